// The shared core of the MediaValet nodes for n8n and Node-RED. It loads no module and
// touches no timer, process or file of its host: each host hands in its transport and its
// sleep (n8n: its request helpers and n8n-workflow's sleep; Node-RED: axios and Node's
// timers, node-red/axios-transport.ts and node-red/sleep.ts), so the same code passes
// n8n Cloud's scan.
export * from './assets';
export * from './client';
export * from './config';
export * from './connect';
export * from './download';
export * from './envelope';
export * from './errors';
export * from './filters';
export * from './fingerprint';
export * from './keyed-pages';
export * from './labels';
export * from './limiter';
export * from './locators';
export * from './mime';
export * from './oauth';
export * from './redact';
export * from './retry';
export * from './shared-sign-in';
export * from './skyhook';
export * from './taxonomy';
export * from './token-manager';
export * from './transport';
export * from './upload';
export * from './upload-url';
export * from './watch';
