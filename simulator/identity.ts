// The simulator's identity server: oidc-provider (a certified OpenID Connect
// implementation) with IdentityServer's paths, a sign-in page a browser can fill,
// the resource-owner password grant as an extension grant, rotating refresh tokens
// with reuse detection, and opaque access tokens for the API resource.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, sendText } from './http';
import { Witness } from './witness';

export interface SimUser {
  id: string;
  username: string;
  password: string;
  name: string;
  email: string;
  /** Viewers may read but not write. */
  role: 'editor' | 'viewer';
}

export interface SimClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post';
  grant_types?: string[];
  client_name?: string;
  /** Client credentials: the user (id) whose library a token of this client reads and writes (default: the first user). */
  service_account?: string;
}

export interface IdentitySettings {
  accessTokenTTL: number;
  refreshTokenTTL: number;
  rotateRefreshTokens: boolean;
  requirePkce: boolean;
  /** See ProfileSettings (profiles.ts). */
  strictClientAuth: boolean;
  issOnCallback: boolean;
}

export interface IdentityCounters {
  tokenRequests: number;
  grants: Record<string, number>;
  grantErrors: Record<string, number>;
}

export interface AccessTokenInfo {
  accountId: string;
  scope: string;
  clientId: string;
  exp: number;
}

/** Storage for oidc-provider's models: a Map we can also inspect and revoke from. */
class TokenStore {
  entries = new Map<string, { payload: Record<string, any>; expiresAt?: number }>();
  byGrant = new Map<string, Set<string>>();

  adapterClass() {
    const store = this;
    return class MapAdapter {
      constructor(private readonly name: string) {}
      private key(id: string) {
        return `${this.name}:${id}`;
      }
      async upsert(id: string, payload: Record<string, any>, expiresIn?: number) {
        const key = this.key(id);
        store.entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
        if (payload.grantId) {
          if (!store.byGrant.has(payload.grantId)) store.byGrant.set(payload.grantId, new Set());
          store.byGrant.get(payload.grantId)!.add(key);
        }
        if (payload.uid) store.entries.set(`${this.name}:uid:${payload.uid}`, { payload: { id }, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      }
      async find(id: string) {
        const entry = store.entries.get(this.key(id));
        if (!entry) return undefined;
        if (entry.expiresAt !== undefined && entry.expiresAt < Date.now()) {
          store.entries.delete(this.key(id));
          return undefined;
        }
        return entry.payload;
      }
      async findByUid(uid: string) {
        const ref = store.entries.get(`${this.name}:uid:${uid}`);
        return ref ? this.find(ref.payload.id) : undefined;
      }
      async findByUserCode() {
        return undefined;
      }
      async consume(id: string) {
        const entry = store.entries.get(this.key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      }
      async destroy(id: string) {
        store.entries.delete(this.key(id));
      }
      async revokeByGrantId(grantId: string) {
        for (const key of store.byGrant.get(grantId) ?? []) store.entries.delete(key);
        store.byGrant.delete(grantId);
      }
    };
  }

  revokeAll(model: string): number {
    let n = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(`${model}:`)) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }
}

export interface Identity {
  handle(req: IncomingMessage, res: ServerResponse): void;
  findAccessToken(token: string): Promise<AccessTokenInfo | undefined>;
  revokeAccessTokens(): number;
  revokeGrants(): number;
  addClient(client: SimClient): Promise<void>;
  counters: IdentityCounters;
}

/** What a client-credentials token may ask for: the scope a derived API description names, and plain api. */
const SERVICE_SCOPES = ['api:service_principal', 'api'];

// 'api' is listed as a provider scope too (so discovery advertises it), which makes consent require it on the grant.
const OIDC_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'api'];

export async function createIdentity(options: {
  issuer: string;
  apiResource: string;
  users: SimUser[];
  clients: SimClient[];
  settings: IdentitySettings;
  witness?: Witness;
}): Promise<Identity> {
  // oidc-provider is an ES module; this file compiles to CommonJS, so load it dynamically.
  const moduleName = 'oidc-provider';
  const oidc = await import(moduleName);
  const Provider = oidc.default;
  const { errors } = oidc;
  const { issuer, apiResource, users, settings } = options;
  const witness = options.witness ?? new Witness();
  for (const user of users) witness.add('password', user.password);
  const store = new TokenStore();
  const counters: IdentityCounters = { tokenRequests: 0, grants: {}, grantErrors: {} };

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'sim-1', use: 'sig', alg: 'RS256' };
  const accountOf = (id: string) => users.find((u) => u.id === id);

  const provider = new Provider(issuer, {
    adapter: store.adapterClass(),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    routes: {
      authorization: '/connect/authorize',
      token: '/connect/token',
      revocation: '/connect/revocation',
      introspection: '/connect/introspect',
      userinfo: '/connect/userinfo',
      end_session: '/connect/endsession',
      jwks: '/.well-known/openid-configuration/jwks',
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api'],
    claims: { openid: ['sub', 'name', 'email', 'preferred_username'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = accountOf(sub);
      return user ? { accountId: user.id, claims: async () => ({ sub: user.id, name: user.name, email: user.email, preferred_username: user.username }) } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== apiResource) throw new errors.InvalidTarget();
          return { scope: 'api', audience: apiResource, accessTokenTTL: settings.accessTokenTTL, accessTokenFormat: 'opaque' };
        },
      },
    },
    pkce: { required: () => settings.requirePkce },
    rotateRefreshToken: () => settings.rotateRefreshTokens,
    // OIDC Core drops offline_access unless prompt=consent; IdentityServer (MediaValet's)
    // issues a refresh token whenever the client may refresh. Match MediaValet.
    issueRefreshToken: async (_ctx: unknown, client: any) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: () => settings.accessTokenTTL,
      AuthorizationCode: 60,
      IdToken: () => settings.accessTokenTTL,
      RefreshToken: () => settings.refreshTokenTTL,
      Grant: () => settings.refreshTokenTTL,
      Interaction: 600,
      Session: 3600,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    renderError: async (ctx: any, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<h1>Sign-in error</h1><p><strong>${escapeHtml(out.error)}</strong></p><p>${escapeHtml(out.error_description ?? '')}</p>`);
    },
  });
  // IdentityServer (MediaValet's) answers unauthorized_client to a grant the client may not use (RFC 6749 5.2); oidc-provider says invalid_request.
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    await next();
    const body = ctx.body;
    if (body && typeof body === 'object' && body.error === 'invalid_request' && /grant type is not allowed/.test(String(body.error_description))) {
      body.error = 'unauthorized_client';
      if (ctx.oidc?.params?.grant_type === 'client_credentials') {
        body.error_description = `client credentials are not enabled for client ${ctx.oidc.client?.clientId ?? ''}: ask MediaValet support to enable them`;
      }
    }
  });
  if (witness.enabled) {
    provider.use(async (ctx: any, next: () => Promise<void>) => {
      witness.addBasic(ctx.get('authorization'));
      await next();
      const params = ctx.oidc?.params ?? {};
      for (const kind of ['code', 'code_verifier', 'refresh_token', 'password', 'client_secret'] as const) witness.add(kind, params[kind]);
      if (params.token) witness.add(params.token_type_hint === 'access_token' ? 'access_token' : 'refresh_token', params.token);
      const body = ctx.body;
      if (body && typeof body === 'object' && !Buffer.isBuffer(body)) for (const kind of ['access_token', 'refresh_token', 'id_token'] as const) witness.add(kind, body[kind]);
      const location = ctx.response.get('location');
      if (location) witness.add('code', new URL(location, issuer).searchParams.get('code'));
    });
  }
  provider.on('grant.success', (ctx: any) => {
    const type = ctx.oidc.params?.grant_type ?? 'unknown';
    counters.grants[type] = (counters.grants[type] ?? 0) + 1;
  });
  provider.on('grant.error', (ctx: any) => {
    const type = ctx.oidc.params?.grant_type ?? 'unknown';
    counters.grantErrors[type] = (counters.grantErrors[type] ?? 0) + 1;
  });

  async function newGrant(accountId: string, clientId: string, scopes: string[]): Promise<string> {
    const grant = new provider.Grant({ accountId, clientId });
    const oidcScopes = scopes.filter((s) => OIDC_SCOPES.includes(s));
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    grant.addOIDCClaims(['sub', 'name', 'email', 'preferred_username']);
    if (scopes.includes('api')) grant.addResourceScope(apiResource, 'api');
    return grant.save();
  }

  // The resource-owner password grant (RFC 6749 4.3), which MediaValet offers for unattended use.
  provider.registerGrantType(
    'password',
    async (ctx: any) => {
      const { username, password, scope } = ctx.oidc.params;
      const client = ctx.oidc.client;
      const user = users.find((u) => u.username.toLowerCase() === String(username ?? '').toLowerCase());
      if (!user || user.password !== password) throw new errors.InvalidGrant('invalid username or password');
      const scopes = String(scope || 'openid api offline_access').split(' ').filter(Boolean);
      const grantId = await newGrant(user.id, client.clientId, scopes);
      const at = new provider.AccessToken({ accountId: user.id, client, grantId, gty: 'password', scope: scopes.includes('api') ? 'api' : '' });
      at.resourceServer = new provider.ResourceServer(apiResource, { scope: 'api', audience: apiResource, accessTokenTTL: settings.accessTokenTTL, accessTokenFormat: 'opaque' });
      const accessToken = await at.save();
      let refreshToken: string | undefined;
      if (scopes.includes('offline_access') && client.grantTypeAllowed('refresh_token')) {
        const rt = new provider.RefreshToken({ accountId: user.id, client, grantId, gty: 'password', scope: scopes.join(' '), resource: apiResource, rotations: 0 });
        refreshToken = await rt.save();
      }
      let idToken: string | undefined;
      if (scopes.includes('openid')) {
        const token = new provider.IdToken({ sub: user.id, name: user.name, email: user.email, preferred_username: user.username }, { ctx });
        token.scope = 'openid';
        idToken = await token.issue({ use: 'idtoken' });
      }
      ctx.body = { access_token: accessToken, token_type: 'Bearer', expires_in: at.expiration, refresh_token: refreshToken, id_token: idToken, scope: scopes.join(' ') };
    },
    ['username', 'password', 'scope'],
  );

  // Client credentials (RFC 6749 4.4), "coming soon" at MediaValet: only for clients registered with
  // the grant (others get unauthorized_client), no refresh token, no id_token. The service principal
  // works in one user's library (service_account), so the API serves its token like any other.
  provider.registerGrantType(
    'client_credentials',
    async (ctx: any) => {
      const client = ctx.oidc.client;
      const scopes = String(ctx.oidc.params.scope || SERVICE_SCOPES[0]).split(' ').filter(Boolean);
      const unknown = scopes.filter((s) => !SERVICE_SCOPES.includes(s));
      if (unknown.length) throw new errors.InvalidScope(`scope ${unknown.join(' ')} is not available to a service principal; ask for ${SERVICE_SCOPES[0]}`, unknown[0]);
      const accountId = registered.get(client.clientId)?.service_account ?? users[0]?.id;
      if (!accountId) throw new errors.InvalidGrant('no user to act for');
      const grantId = await newGrant(accountId, client.clientId, ['api']);
      const at = new provider.AccessToken({ accountId, client, grantId, gty: 'client_credentials', scope: 'api' });
      at.resourceServer = new provider.ResourceServer(apiResource, { scope: 'api', audience: apiResource, accessTokenTTL: settings.accessTokenTTL, accessTokenFormat: 'opaque' });
      ctx.body = { access_token: await at.save(), token_type: 'Bearer', expires_in: at.expiration, scope: scopes.join(' ') };
    },
    ['scope'],
  );

  const registered = new Map<string, SimClient>();
  // checkClientAuth reads token request bodies before oidc-provider on purpose; its one-time
  // "already parsed request body" warning would only puzzle people running the simulator.
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('already parsed request body detected')) return;
    warn(...args);
  };
  async function addClient(client: SimClient): Promise<void> {
    witness.add('client_secret', client.client_secret);
    registered.set(client.client_id, client);
    const Adapter = store.adapterClass();
    await new Adapter('Client').upsert(client.client_id, {
      client_id: client.client_id,
      client_secret: client.client_secret,
      client_name: client.client_name ?? client.client_id,
      redirect_uris: client.redirect_uris,
      grant_types: client.grant_types ?? ['authorization_code', 'refresh_token', 'password'],
      // A client without the code flow (a service client) has no response types.
      response_types: (client.grant_types ?? ['authorization_code']).includes('authorization_code') ? ['code'] : [],
      token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_basic',
    });
  }
  for (const client of options.clients) await addClient(client);

  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const uid = details.uid as string;
    const params = details.params as Record<string, string>;
    const action = url.pathname.split('/')[3];
    if (req.method === 'GET') {
      sendText(res, 200, loginPage(uid, params), 'text/html; charset=utf-8', { 'cache-control': 'no-store' });
      return;
    }
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    witness.add('password', form.get('password'));
    if (action === 'abort') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
      return;
    }
    const user = users.find((u) => u.username.toLowerCase() === (form.get('username') ?? '').toLowerCase());
    if (!user || user.password !== form.get('password')) {
      sendText(res, 200, loginPage(uid, params, 'Wrong username or password.'), 'text/html; charset=utf-8');
      return;
    }
    const grantId = await newGrant(user.id, params.client_id, String(params.scope ?? '').split(' '));
    await provider.interactionFinished(req, res, { login: { accountId: user.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  return {
    counters,
    handle(req, res) {
      const url = new URL(req.url ?? '/', issuer);
      if (url.pathname.startsWith('/interaction/')) {
        interaction(req, res, url).catch((error) => {
          sendText(res, 400, page('Sign-in error', `<h1>Sign-in error</h1><p>${escapeHtml(String(error?.message ?? error))}</p><p>Start the connection again.</p>`), 'text/html; charset=utf-8');
        });
        return;
      }
      if (!settings.issOnCallback && url.pathname.startsWith('/connect/authorize')) withoutIss(res);
      if (req.method === 'POST' && url.pathname === '/connect/token') counters.tokenRequests++;
      if (req.method === 'POST' && CLIENT_AUTH_PATHS.has(url.pathname)) {
        checkClientAuth(req, res, registered, settings)
          .then((ok) => ok && callback(req, res))
          .catch(() => sendJson(res, 400, { error: 'invalid_request', error_description: 'The request body could not be read.' }));
        return;
      }
      callback(req, res);
    },
    async findAccessToken(token) {
      const at = await provider.AccessToken.find(token);
      if (!at || at.isExpired) return undefined;
      return { accountId: at.accountId, scope: at.scope ?? '', clientId: at.clientId, exp: at.exp };
    },
    revokeAccessTokens: () => store.revokeAll('AccessToken'),
    revokeGrants: () => store.revokeAll('AccessToken') + store.revokeAll('RefreshToken') + store.revokeAll('Grant'),
    addClient,
  };
}

/** oidc-provider always adds iss to the redirect back (RFC 9207); servers that predate it do not. */
function withoutIss(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name: string, value: number | string | readonly string[]) => {
    if (name.toLowerCase() === 'location' && typeof value === 'string' && value.includes('iss=')) {
      const location = new URL(value);
      location.searchParams.delete('iss');
      return setHeader(name, location.toString());
    }
    return setHeader(name, value);
  };
}

const CLIENT_AUTH_PATHS = new Set(['/connect/token', '/connect/revocation', '/connect/introspect']);

/**
 * oidc-provider accepts Basic and body credentials for any client that has a secret, and
 * always form-decodes the Basic header. Strict: a client authenticates only the way it
 * registered, as IdentityServer clients are configured. Lenient: a Basic header carrying
 * the raw secret (what clients that skip RFC 6749 2.3.1 send) is accepted as well.
 * Returns false when it has answered the request itself.
 */
async function checkClientAuth(req: IncomingMessage, res: ServerResponse, clients: Map<string, SimClient>, settings: IdentitySettings): Promise<boolean> {
  const body = await readBody(req, 56 * 1024);
  // oidc-provider reads an already-read body from req.body.
  (req as IncomingMessage & { body?: Buffer }).body = body;
  const form = new URLSearchParams(body.toString('utf8'));
  const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  const decoded = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : undefined;
  const colon = decoded?.indexOf(':') ?? -1;
  const rawId = decoded && colon >= 0 ? decoded.slice(0, colon) : undefined;
  const clientId = form.get('client_id') ?? (rawId !== undefined ? safeFormDecode(rawId) ?? rawId : undefined);
  const client = clientId ? clients.get(clientId) : undefined;
  if (!client) return true;
  const used = form.has('client_secret') ? 'client_secret_post' : basic ? 'client_secret_basic' : undefined;
  const expected = client.token_endpoint_auth_method ?? 'client_secret_basic';
  if (settings.strictClientAuth) {
    if (used && used !== expected) {
      sendJson(res, 401, {
        error: 'invalid_client',
        error_description: `client ${client.client_id} must authenticate with ${expected === 'client_secret_basic' ? 'HTTP Basic' : 'client_id and client_secret in the body'}`,
      });
      return false;
    }
    return true;
  }
  if (decoded && colon >= 0) {
    const rawSecret = decoded.slice(colon + 1);
    if (safeFormDecode(rawSecret) !== client.client_secret && rawSecret === client.client_secret) {
      const encoded = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`;
      req.headers.authorization = `Basic ${Buffer.from(encoded).toString('base64')}`;
    }
  }
  return true;
}

function safeFormDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · MediaValet Simulator</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f5f8;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:8px;box-shadow:0 2px 12px #0002;padding:32px;width:340px}h1{font-size:20px;margin:0 0 8px}p{color:#444;font-size:14px}
label{display:block;font-size:13px;margin:14px 0 4px;color:#333}input{width:100%;box-sizing:border-box;padding:8px;border:1px solid #bbb;border-radius:4px;font-size:14px}
.row{display:flex;gap:8px;margin-top:20px}button{flex:1;padding:9px;border:0;border-radius:4px;font-size:14px;cursor:pointer}
.primary{background:#0c6fd1;color:#fff}.secondary{background:#e4e7eb}.error{color:#b00020;font-weight:600}.note{font-size:12px;color:#777}</style></head><body><main>${body}</main></body></html>`;
}

function loginPage(uid: string, params: Record<string, string>, error?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in to MediaValet</h1>
<p><strong>${escapeHtml(params.client_id ?? '')}</strong> asks for access to your library (${escapeHtml(params.scope ?? '')}).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" type="text" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<div class="row"><button class="primary" type="submit" id="sign-in">Sign in and allow</button>
<button class="secondary" type="submit" formaction="/interaction/${uid}/abort" formnovalidate id="cancel">Cancel</button></div>
</form><p class="note">This is the local MediaValet simulator, not MediaValet.</p>`,
  );
}
