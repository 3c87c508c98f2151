// The shared core of the MediaValet nodes for n8n and Node-RED. The axios adapter is
// deliberately not exported here: n8n code must not load axios (it uses n8n's request
// helper), so Node-RED and the tools import 'core/axios-transport' by path.
export * from './assets';
export * from './client';
export * from './config';
export * from './connect';
export * from './download';
export * from './envelope';
export * from './errors';
export * from './fingerprint';
export * from './labels';
export * from './oauth';
export * from './redact';
export * from './retry';
export * from './shared-sign-in';
export * from './token-manager';
export * from './transport';
export * from './upload';
export * from './watch';
