// Starts a local MediaValet: identity server, API and storage on 127.0.0.1, plus a
// control API (/__sim on the API port) through which tests inject faults, change
// token lifetimes and read counters. Never expose it beyond loopback.
import fs from 'node:fs';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Api, type ApiSettings } from './api';
import { setClockOffset } from './clock';
import { Faults, type FaultRule, type ServerName } from './faults';
import { HttpError, readJson, sendJson } from './http';
import { createIdentity, type IdentitySettings, type SimClient, type SimUser } from './identity';
import { addBulkAssets, Library, seedLibrary } from './library';
import { type ProfileName, profileNamed, PROFILES, type ProfileSettings } from './profiles';
import { Skyhook, type SkyhookSettings } from './skyhook';
import { Storage } from './storage';
import { Witness } from './witness';
import { THROTTLE_DEFAULTS, Throttle, type ThrottleSettings } from './throttle';

export type { FaultRule } from './faults';
export type { SimClient, SimUser } from './identity';
export { SEED_IDS } from './library';
export { SIM_LIBRARY_ID } from './skyhook';
export { PROFILES, type ProfileName, type ProfileSettings } from './profiles';

// Under the test suite MV_CANARY is set: every demo secret then ends in a value unique to
// the run, so the secret-leak scan can tell a leaked secret from an ordinary word.
const canary = process.env.MV_CANARY ? `-${process.env.MV_CANARY}` : '';

/** The demo accounts (what `npm start` and the README offer). */
export const DEMO = {
  users: [
    { id: 'u-demo', username: 'demo@mediavalet.test', password: `demo-password${canary}`, name: 'Dana Demo', email: 'demo@mediavalet.test', role: 'editor' },
    { id: 'u-viewer', username: 'viewer@mediavalet.test', password: `viewer-password${canary}`, name: 'Vic Viewer', email: 'viewer@mediavalet.test', role: 'viewer' },
  ] as SimUser[],
  clientId: 'mv-demo-client',
  // Reserved characters on purpose: a client that puts the raw secret in the Basic header
  // instead of form-encoding it (RFC 6749 2.3.1) is refused, as IdentityServer refuses it.
  clientSecret: `demo+client:secret%2F${canary}`,
  postClientId: 'mv-post-client',
  subscriptionKey: `demo-subscription-key${canary}`,
  /** What n8n and Node-RED use on their default ports. */
  redirectUris: [
    'http://localhost:5678/rest/oauth2-credential/callback',
    'http://127.0.0.1:5678/rest/oauth2-credential/callback',
    'http://localhost:1880/mediavalet/oauth/callback',
    'http://127.0.0.1:1880/mediavalet/oauth/callback',
  ],
};

export interface SimulatorOptions extends Partial<ProfileSettings> {
  /** Which side of the facts sheet's unknowns to take (default strict); single settings below override it. */
  profile?: ProfileName;
  identityPort?: number;
  apiPort?: number;
  storagePort?: number;
  users?: SimUser[];
  clients?: SimClient[];
  subscriptionKeys?: string[];
  /** Added to the demo clients' redirect URIs. */
  redirectUris?: string[];
  refreshTokenTTL?: number;
  /** The API alone judges token expiry this many seconds ahead (tokens look expired early). */
  clockSkewSeconds?: number;
  /** The whole simulator's clock (identity server and API) runs this far ahead; own process only. */
  clockOffsetSeconds?: number;
  /** Extra generated assets, for paging benchmarks. */
  bulkAssets?: number;
  /** Every API answer this many ms late (simulator/throttle.ts). */
  latencyMs?: number;
  /** API calls per second per subscription key before 429 (0: no limit). */
  rateLimitPerSecond?: number;
  /** Whether the rate limit's 429 carries Retry-After (default true). */
  rateLimitRetryAfter?: boolean;
  /** Assets made on demand from an index, never stored (simulator/synthetic.ts): a library of any size. */
  syntheticAssets?: number;
}

export interface Simulator {
  identityUrl: string;
  apiUrl: string;
  storageUrl: string;
  /** Base of the control API. */
  controlUrl: string;
  stop(): Promise<void>;
}

async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  if (options.clockOffsetSeconds) setClockOffset(options.clockOffsetSeconds);
  // Revoking needs the identity server, which needs the servers' ports: bound once it exists.
  let revoke = (_what: 'access' | 'all'): void => undefined;
  const faults = new Faults({ revoke: (what) => revoke(what), retryAfterOn429: () => faultSettings.retryAfterOn429 });
  const library = new Library();
  const users = options.users ?? DEMO.users;
  seedLibrary(library, users[0]?.username ?? 'demo');
  if (options.bulkAssets) addBulkAssets(library, options.bulkAssets, users[0]?.username ?? 'demo');

  let profile = profileNamed(options.profile);
  const p: ProfileSettings = { ...PROFILES[profile] };
  for (const key of Object.keys(p) as Array<keyof ProfileSettings>) if (options[key] !== undefined) (p as unknown as Record<string, unknown>)[key] = options[key];
  const identitySettings: IdentitySettings = {
    accessTokenTTL: p.accessTokenTTL,
    refreshTokenTTL: options.refreshTokenTTL ?? 14 * 24 * 3600,
    rotateRefreshTokens: p.rotateRefreshTokens,
    requirePkce: p.requirePkce,
    issOnCallback: p.issOnCallback,
    strictClientAuth: p.strictClientAuth,
  };
  const apiSettings: ApiSettings = {
    subscriptionKeys: options.subscriptionKeys ?? [DEMO.subscriptionKey],
    clockSkewSeconds: options.clockSkewSeconds ?? 0,
    pageSizeCap: p.pageSizeCap,
    pageSizeOverCap: p.pageSizeOverCap,
    offsetCeiling: p.offsetCeiling,
    syntheticAssets: options.syntheticAssets ?? 0,
    startingRecordBase: p.startingRecordBase,
    pascalCase: p.pascalCase,
    uploadAnswer: p.uploadAnswer,
    requireServerFilename: p.requireServerFilename,
    errorBodyForm: p.errorBodyForm,
    requirePatchContentType: p.requirePatchContentType,
    warnUnneededFields: p.warnUnneededFields,
  };
  const storageSettings = { sasTTLSeconds: p.sasTTLSeconds, uploadSasTTLSeconds: p.uploadSasTTLSeconds };
  const faultSettings = { retryAfterOn429: p.retryAfterOn429 };
  const skyhookSettings: SkyhookSettings = {
    skyhookRefusal: p.skyhookRefusal,
    skyhookCreateAnswer: p.skyhookCreateAnswer,
    skyhookDuplicateEvery: p.skyhookDuplicateEvery,
    skyhookBatchMs: p.skyhookBatchMs,
    skyhookReorder: p.skyhookReorder,
    skyhookRetryScale: p.skyhookRetryScale,
    skyhookTimeoutMs: p.skyhookTimeoutMs,
  };
  const skyhook = new Skyhook(skyhookSettings);
  const throttleSettings: ThrottleSettings = {
    latencyMs: options.latencyMs ?? THROTTLE_DEFAULTS.latencyMs,
    rateLimitPerSecond: options.rateLimitPerSecond ?? THROTTLE_DEFAULTS.rateLimitPerSecond,
    rateLimitRetryAfter: options.rateLimitRetryAfter ?? THROTTLE_DEFAULTS.rateLimitRetryAfter,
  };
  const throttle = new Throttle(throttleSettings);

  // Servers first, so the issuer and URLs carry the real ports.
  let identityHandler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  let apiHandler = identityHandler;
  let storageHandler = identityHandler;
  const servers = [
    http.createServer((req, res) => identityHandler(req, res)),
    http.createServer((req, res) => apiHandler(req, res)),
    http.createServer((req, res) => storageHandler(req, res)),
  ];
  const [identityUrl, apiUrl, storageUrl] = await Promise.all([
    listen(servers[0], options.identityPort ?? 0),
    listen(servers[1], options.apiPort ?? 0),
    listen(servers[2], options.storagePort ?? 0),
  ]);

  const redirectUris = [...DEMO.redirectUris, ...(options.redirectUris ?? [])];
  const clients = options.clients ?? [
    { client_id: DEMO.clientId, client_secret: DEMO.clientSecret, redirect_uris: redirectUris, client_name: 'MediaValet demo client' },
    { client_id: DEMO.postClientId, client_secret: DEMO.clientSecret, redirect_uris: redirectUris, token_endpoint_auth_method: 'client_secret_post' as const },
  ];
  const witness = new Witness();
  for (const key of apiSettings.subscriptionKeys) witness.add('subscription_key', key);
  const identity = await createIdentity({ issuer: identityUrl, apiResource: apiUrl, users, clients, settings: identitySettings, witness });
  revoke = (what) => void (what === 'all' ? identity.revokeGrants() : identity.revokeAccessTokens());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-sim-'));
  const storage = new Storage(library, dir, storageSettings);
  storage.baseUrl = storageUrl;
  const api = new Api(library, identity, storage, users, apiSettings, witness, skyhook);

  const guard = (name: ServerName, handler: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void) => (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    (async () => {
      if (name === 'api' && url.pathname.startsWith('/__sim/')) return control(req, res, url);
      if (name === 'api' && (await throttle.apply(req, res))) return;
      if (await faults.apply(name, req, res, url.pathname)) return;
      await handler(req, res, url);
    })().catch((error) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) return sendJson(res, error.status, error.body ?? { Message: error.message });
      sendJson(res, 500, { Message: 'An error has occurred.', ExceptionMessage: String((error as Error)?.message ?? error) });
    });
  };
  identityHandler = guard('identity', (req, res) => identity.handle(req, res));
  apiHandler = guard('api', (req, res, url) => api.handle(req, res, url));
  storageHandler = guard('storage', (req, res) => storage.handle(req, res));

  async function control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname.slice('/__sim'.length)}`;
    const body = (req.method === 'POST' ? await readJson(req) : undefined) as Record<string, unknown> | FaultRule[] | undefined;
    switch (route) {
      case 'GET /state':
        return sendJson(res, 200, {
          identity: identity.counters,
          api: api.counters,
          storage: storage.counters,
          faultsFired: faults.fired,
          throttle: throttle.counters,
          settings: { profile, ...identitySettings, ...apiSettings, ...storageSettings, ...faultSettings, ...skyhookSettings, ...throttleSettings, subscriptionKeys: undefined },
          assets: library.assets.size + apiSettings.syntheticAssets,
          skyhook: { subscriptions: skyhook.subscriptions.size, raised: skyhook.raised, deliveries: skyhook.log.length },
        });
      case 'POST /faults':
        faults.add(Array.isArray(body) ? body : [body as FaultRule]);
        return sendJson(res, 200, { ok: true });
      case 'DELETE /faults':
        faults.clear();
        return sendJson(res, 200, { ok: true });
      case 'POST /settings': {
        const b = (body ?? {}) as Record<string, unknown>;
        if (typeof b.clockOffsetSeconds === 'number') setClockOffset(b.clockOffsetSeconds);
        const targets = [identitySettings, apiSettings, storageSettings, faultSettings, skyhookSettings, throttleSettings] as unknown as Array<Record<string, unknown>>;
        if (typeof b.profile === 'string') {
          // A whole profile first, then any single settings sent with it.
          profile = profileNamed(b.profile);
          for (const target of targets) for (const key of Object.keys(target)) if (key in PROFILES[profile]) target[key] = (PROFILES[profile] as unknown as Record<string, unknown>)[key];
        }
        for (const target of targets) {
          for (const key of Object.keys(target)) if (key in b && key !== 'subscriptionKeys') target[key] = b[key];
        }
        return sendJson(res, 200, { ok: true });
      }
      case 'POST /revoke': {
        const what = (body as { what?: string } | undefined)?.what ?? 'access';
        return sendJson(res, 200, { revoked: what === 'all' ? identity.revokeGrants() : identity.revokeAccessTokens() });
      }
      case 'POST /reset-counters':
        identity.counters.tokenRequests = 0;
        identity.counters.grants = {};
        identity.counters.grantErrors = {};
        api.counters.requests = 0;
        api.counters.byRoute = {};
        api.counters.unauthorized = 0;
        api.counters.correlationIds = [];
        Object.assign(storage.counters, { singlePuts: 0, blocks: 0, blockLists: 0, downloads: 0, maxConcurrentBlocks: 0, rejectedAuthHeaders: 0 });
        faults.fired = 0;
        throttle.reset();
        return sendJson(res, 200, { ok: true });
      case 'POST /clients':
        await identity.addClient(body as unknown as SimClient);
        return sendJson(res, 200, { ok: true });
      case 'POST /bulk':
        addBulkAssets(library, Number((body as { count?: number })?.count ?? 0), users[0]?.username ?? 'demo');
        library.revision++;
        return sendJson(res, 200, { assets: library.assets.size });
      case 'GET /skyhook':
        return sendJson(res, 200, skyhook.describe());
      case 'POST /skyhook/raise': {
        // Events by hand: {type, data?, subject?} or an array of them (raised together, one burst);
        // data gets the library id like any other.
        const list = (Array.isArray(body) ? body : [body ?? {}]) as Array<{ type?: unknown; data?: unknown; subject?: unknown }>;
        if (!list.length || list.some((b) => typeof b?.type !== 'string' || !b.type)) return sendJson(res, 400, { error: 'type is required, e.g. {"type":"Asset.MediaFileAdded","data":{"AssetId":"..."}}' });
        const events = list.map((b) => {
          const data = b.data && typeof b.data === 'object' && !Array.isArray(b.data) ? (b.data as Record<string, unknown>) : {};
          const subject = typeof b.subject === 'string' ? b.subject : typeof data.AssetId === 'string' ? `assets/${data.AssetId}` : 'manual';
          return skyhook.raise(b.type as string, data, subject);
        });
        return sendJson(res, 200, Array.isArray(body) ? { events } : { event: events[0] });
      }
      case 'POST /skyhook/clear-log':
        skyhook.clearLog();
        return sendJson(res, 200, { ok: true });
      case 'DELETE /skyhook/subscriptions':
        skyhook.subscriptions.clear();
        return sendJson(res, 200, { ok: true });
      default: {
        const upload = /^GET \/uploads\/([^/]+)$/.exec(route);
        if (upload) return sendJson(res, 200, storage.describe(upload[1]) ?? null);
        const asset = /^GET \/assets\/([^/]+)$/.exec(route);
        if (asset) return sendJson(res, 200, library.assets.get(asset[1]) ? api.wireAsset(library.assets.get(asset[1])!) : null);
        return sendJson(res, 404, { error: `No control route ${route}.` });
      }
    }
  }

  return {
    identityUrl,
    apiUrl,
    storageUrl,
    controlUrl: `${apiUrl}/__sim`,
    async stop() {
      skyhook.stop();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
      storage.cleanup();
    },
  };
}
