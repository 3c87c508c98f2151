// The OAuth 2.0 / OpenID Connect steps MediaValet's identity server speaks, each a named
// function with a typed result. No state lives here: callers keep the pending
// authorization request and the token set (see token-manager.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { baseUrl, type ClientSettings, DEFAULT_SCOPE, DEFAULT_SERVICE_SCOPE, secureUrl } from './config';
import { AuthenticationError, type ErrorCode, MediaValetError, ProtocolError } from './errors';
import { redact } from './redact';
import type { HttpTransport } from './transport';

export interface AuthorizationServer {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
}

/** MediaValet's identity server uses IdentityServer's paths under one host. */
export function authorizationServer(identityUrl: string | undefined, allowInsecure = false): AuthorizationServer {
  const base = baseUrl(secureUrl(identityUrl, 'identityUrl', allowInsecure));
  return {
    issuer: base,
    authorizationEndpoint: `${base}/connect/authorize`,
    tokenEndpoint: `${base}/connect/token`,
    revocationEndpoint: `${base}/connect/revocation`,
  };
}

/** What a successful token request yields; plain JSON so hosts can persist it. */
export interface TokenSet {
  accessToken: string;
  tokenType: 'Bearer';
  /** Milliseconds since the epoch, on this machine's clock. */
  expiresAt: number;
  /** When it was received (same clock): with expiresAt, the token's lifetime, which sets the renewal margin. */
  issuedAt?: number;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
  /** Claims of the id_token, when one came (sub, name, email...). */
  claims?: Record<string, unknown>;
}

export type GrantKind = 'authorization_code' | 'password' | 'refresh_token' | 'client_credentials';

export interface ProtocolOptions {
  timeoutMs?: number;
  /** Seconds of clock difference tolerated when checking id_token times. */
  clockToleranceSeconds?: number;
  now?: () => number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;
// Clocks 5 minutes apart must work. A tolerance of exactly 5 minutes fails at that skew as soon
// as rounding to seconds or the time in flight adds a little: the Node-RED fault run did, now and then.
const DEFAULT_CLOCK_TOLERANCE_S = 360;

// ---------------------------------------------------------------- randomness, PKCE

function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function generateCodeVerifier(): string {
  return randomToken(32);
}

export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---------------------------------------------------------------- authorization request

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface AuthorizationRequestOptions {
  redirectUri: string;
  scope?: string;
  /** Extra parameters, e.g. prompt=login; they cannot override the protocol's own. */
  extraParams?: Record<string, string>;
}

/** A fresh state, nonce and PKCE verifier every call: never reuse one across attempts. */
export function buildAuthorizationRequest(
  server: AuthorizationServer,
  client: ClientSettings,
  options: AuthorizationRequestOptions,
): AuthorizationRequest {
  const state = randomToken();
  const nonce = randomToken();
  const codeVerifier = generateCodeVerifier();
  const url = new URL(server.authorizationEndpoint);
  for (const [key, value] of Object.entries(options.extraParams ?? {})) url.searchParams.set(key, value);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scope || DEFAULT_SCOPE,
    state,
    nonce,
    code_challenge: codeChallengeS256(codeVerifier),
    code_challenge_method: 'S256',
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { url: url.toString(), state, nonce, codeVerifier, redirectUri: options.redirectUri };
}

/**
 * Checks the redirect back from the identity server: the state must be the one we
 * issued, `iss` (RFC 9207) must be the issuer when the server sends it, and an
 * error parameter becomes an AuthenticationError with the server's description.
 */
export function validateAuthorizationResponse(
  server: AuthorizationServer,
  expectedState: string,
  params: URLSearchParams | Record<string, string | undefined>,
): { code: string } {
  const get = (key: string) => (params instanceof URLSearchParams ? params.get(key) ?? undefined : params[key]);
  const state = get('state');
  if (!state || !safeEqual(state, expectedState)) {
    throw new ProtocolError('The sign-in answer does not belong to this connection attempt (state mismatch).', {
      code: 'state_mismatch',
      kind: 'terminal',
      hint: 'Start the connection again from the credential or config node.',
    });
  }
  const iss = get('iss');
  if (iss !== undefined && trimSlash(iss) !== trimSlash(server.issuer)) {
    throw new ProtocolError(`The sign-in answer came from ${iss}, not from ${server.issuer}.`, {
      code: 'issuer_mismatch',
      kind: 'terminal',
      field: 'identityUrl',
      hint: 'Check the identity server URL setting.',
    });
  }
  const error = get('error');
  if (error) {
    const description = get('error_description');
    throw new AuthenticationError(`MediaValet did not grant access: ${error}${description ? ` (${description})` : ''}.`, {
      code: error === 'access_denied' ? 'access_denied' : (error as ErrorCode),
      kind: 'terminal',
      serverMessage: description,
      hint: error === 'access_denied' ? 'Sign in and allow access to connect.' : 'Check the client id and the redirect URI registered with MediaValet.',
    });
  }
  const code = get('code');
  if (!code) {
    throw new ProtocolError('The sign-in answer carries no authorization code.', { code: 'invalid_response', kind: 'terminal', hint: 'Start the connection again.' });
  }
  return { code };
}

// ---------------------------------------------------------------- token endpoint

interface TokenRequestContext {
  grant: GrantKind;
  nonce?: string;
}

async function tokenRequest(
  transport: HttpTransport,
  server: AuthorizationServer,
  client: ClientSettings,
  form: Record<string, string>,
  context: TokenRequestContext,
  options: ProtocolOptions,
): Promise<TokenSet> {
  const response = await postForm(transport, server.tokenEndpoint, client, form, options);
  const text = (response.body as Buffer).toString('utf8');
  if (response.status !== 200) throw tokenEndpointError(response.status, response.headers, text, context.grant);
  return processTokenResponse(server, client, text, { ...options, nonce: context.nonce });
}

/** A form POST to the identity server, with client authentication. */
function postForm(transport: HttpTransport, url: string, client: ClientSettings, form: Record<string, string>, options: ProtocolOptions) {
  const body = new URLSearchParams(form);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  applyClientAuth(client, headers, body);
  return transport.request({
    method: 'POST',
    url,
    headers,
    body: body.toString(),
    responseType: 'buffer',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: 1024 * 1024,
    signal: options.signal,
  });
}

/** RFC 6749 2.3.1: id and secret are form-encoded before they are joined for Basic. */
function applyClientAuth(client: ClientSettings, headers: Record<string, string>, body: URLSearchParams): void {
  if ((client.clientAuth ?? 'basic') === 'basic' && client.clientSecret) {
    const user = encodeURIComponent(client.clientId);
    const pass = encodeURIComponent(client.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    return;
  }
  body.set('client_id', client.clientId);
  if (client.clientSecret) body.set('client_secret', client.clientSecret);
}

const TERMINAL_MESSAGES: Record<string, (grant: GrantKind) => { message: string; hint: string; field?: string; code?: ErrorCode }> = {
  invalid_grant: (grant) =>
    grant === 'password'
      ? { message: 'MediaValet rejected the username or password.', hint: 'Check the Username and Password fields of the MediaValet credentials.', field: 'password' }
      : grant === 'refresh_token'
        ? {
            message: 'The MediaValet sign-in has expired or was revoked (refresh token rejected).',
            hint: 'Reconnect the MediaValet account.',
            code: 'reconnect_required',
          }
        : { message: 'The authorization code was rejected (expired, used already, or issued for another redirect URI).', hint: 'Connect again; codes live 60 seconds.' },
  invalid_client: () => ({
    message: 'MediaValet rejected the client id or client secret.',
    hint: 'Check the Client ID and Client Secret fields of the MediaValet credentials.',
    field: 'clientSecret',
  }),
  unauthorized_client: (grant) =>
    grant === 'client_credentials'
      ? {
          message: 'MediaValet has not enabled client credentials for this client yet: ask MediaValet support, or use Password sign-in.',
          hint: 'Ask MediaValet support to enable client credentials for this Client ID, or sign in with Password instead.',
          field: 'clientId',
        }
      : {
          message: `This MediaValet client is not allowed to use the ${grant.replace('_', ' ')} grant.`,
          hint: 'Ask MediaValet support to enable it for your client id, or switch the authentication type.',
          field: 'clientId',
        },
  unsupported_grant_type: (grant) =>
    grant === 'client_credentials'
      ? {
          message: 'MediaValet\'s identity server does not offer client credentials yet: ask MediaValet support, or use Password sign-in.',
          hint: 'Check the Identity Server URL; client credentials are "coming soon" at MediaValet, so until then sign in with Password.',
          field: 'identityUrl',
        }
      : {
          message: `MediaValet's identity server does not support the ${grant.replace('_', ' ')} grant here.`,
          hint: 'Switch the authentication type or ask MediaValet support.',
          field: 'clientId',
        },
  invalid_scope: (grant) => ({
    message: 'MediaValet rejected the requested scope.',
    hint:
      grant === 'client_credentials'
        ? `Check the Scope field: use "${DEFAULT_SERVICE_SCOPE}" unless MediaValet support gave you another.`
        : `Use the default scope "${DEFAULT_SCOPE}".`,
    field: 'scope',
  }),
};

function tokenEndpointError(status: number, headers: Record<string, string>, text: string, grant: GrantKind): MediaValetError {
  const json = parseJsonObject(text);
  const error = typeof json?.error === 'string' ? json.error : undefined;
  const description = typeof json?.error_description === 'string' ? json.error_description : undefined;
  if (error && TERMINAL_MESSAGES[error]) {
    const info = TERMINAL_MESSAGES[error](grant);
    return new AuthenticationError(description ? `${info.message} MediaValet said: ${description}` : info.message, {
      code: info.code ?? (error as ErrorCode),
      kind: 'terminal',
      status,
      serverMessage: description,
      hint: info.hint,
      field: info.field,
    });
  }
  const retryAfter = parseRetryAfter(headers['retry-after']);
  if (status === 429 || status >= 500) {
    return new AuthenticationError(`MediaValet's identity server is ${status === 429 ? 'throttling requests' : `failing (HTTP ${status})`}.`, {
      code: status === 429 ? 'throttled' : 'server_error',
      kind: 'transient',
      status,
      retryAfterSeconds: retryAfter,
      serverMessage: description ?? (json ? undefined : summarizeText(text)),
      hint: 'Try again in a moment.',
    });
  }
  return new AuthenticationError(
    `MediaValet's identity server refused the token request (HTTP ${status}${error ? `, ${error}` : ''})${description ? `: ${description}` : '.'}`,
    {
      code: (error as ErrorCode) ?? 'invalid_response',
      kind: 'terminal',
      status,
      serverMessage: description ?? (json ? undefined : summarizeText(text)),
      hint: json ? 'Check the credential settings.' : 'The identity server did not answer with JSON; check the identity server URL.',
      field: json ? undefined : 'identityUrl',
    },
  );
}

/** Validates a token response (RFC 6749 5.1) and, when present, the id_token's claims. */
export function processTokenResponse(
  server: AuthorizationServer,
  client: ClientSettings,
  text: string,
  options: ProtocolOptions & { nonce?: string } = {},
): TokenSet {
  const json = parseJsonObject(text);
  const malformed = (what: string) =>
    new ProtocolError(`MediaValet's identity server sent an unusable token response: ${what}.`, {
      code: 'invalid_response',
      kind: 'transient',
      hint: 'Try again; if it persists, check the identity server URL.',
      field: 'identityUrl',
    });
  if (!json) throw malformed('not JSON');
  if (typeof json.access_token !== 'string' || json.access_token === '') throw malformed('no access_token');
  if (typeof json.token_type !== 'string' || json.token_type.toLowerCase() !== 'bearer') throw malformed('token_type is not Bearer');
  const expiresIn = typeof json.expires_in === 'string' ? Number(json.expires_in) : json.expires_in;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) throw malformed('no valid expires_in');
  if (json.refresh_token !== undefined && typeof json.refresh_token !== 'string') throw malformed('refresh_token is not a string');
  const now = (options.now ?? Date.now)();
  const tokens: TokenSet = {
    accessToken: json.access_token,
    tokenType: 'Bearer',
    expiresAt: now + expiresIn * 1000,
  };
  if (json.refresh_token) tokens.refreshToken = json.refresh_token;
  if (typeof json.scope === 'string') tokens.scope = json.scope;
  if (typeof json.id_token === 'string') {
    tokens.idToken = json.id_token;
    tokens.claims = validateIdTokenClaims(server, client, json.id_token, { ...options, now });
  }
  return tokens;
}

/**
 * Checks iss, aud, exp, iat and nonce. The signature is not verified: the id_token
 * came straight from the token endpoint over TLS, which OIDC Core 3.1.3.7 accepts
 * in place of signature validation for confidential clients.
 */
export function validateIdTokenClaims(
  server: AuthorizationServer,
  client: ClientSettings,
  idToken: string,
  options: { now?: number; nonce?: string; clockToleranceSeconds?: number },
): Record<string, unknown> {
  const fail = (what: string, code: ErrorCode = 'invalid_id_token') =>
    new ProtocolError(`The id_token from MediaValet failed a check: ${what}.`, { code, kind: 'terminal', hint: 'Check the identity server URL and the client id, then connect again.' });
  const parts = idToken.split('.');
  if (parts.length !== 3) throw fail('not a JWT');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw fail('unreadable claims');
  }
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_S;
  const nowS = Math.floor((options.now ?? Date.now()) / 1000);
  if (typeof claims.iss !== 'string' || trimSlash(claims.iss) !== trimSlash(server.issuer)) throw fail(`issuer is ${String(claims.iss)}, expected ${server.issuer}`, 'issuer_mismatch');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(client.clientId)) throw fail('issued for another client (aud)');
  if (aud.length > 1 && claims.azp !== undefined && claims.azp !== client.clientId) throw fail('issued for another client (azp)');
  if (typeof claims.exp !== 'number' || claims.exp + tolerance < nowS) throw fail('expired (check this machine\'s clock)');
  if (typeof claims.iat === 'number' && claims.iat - tolerance > nowS) throw fail('issued in the future (check this machine\'s clock)');
  if (options.nonce !== undefined && (typeof claims.nonce !== 'string' || !safeEqual(claims.nonce, options.nonce))) throw fail('nonce mismatch', 'nonce_mismatch');
  return claims;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  nonce?: string;
}

/** The redirect URI must be byte-identical to the one in the authorization request. */
export function exchangeAuthorizationCode(
  transport: HttpTransport,
  server: AuthorizationServer,
  client: ClientSettings,
  exchange: CodeExchange,
  options: ProtocolOptions = {},
): Promise<TokenSet> {
  return tokenRequest(
    transport,
    server,
    client,
    { grant_type: 'authorization_code', code: exchange.code, redirect_uri: exchange.redirectUri, code_verifier: exchange.codeVerifier },
    { grant: 'authorization_code', nonce: exchange.nonce },
    options,
  );
}

export function passwordGrant(
  transport: HttpTransport,
  server: AuthorizationServer,
  client: ClientSettings,
  login: { username: string; password: string; scope?: string },
  options: ProtocolOptions = {},
): Promise<TokenSet> {
  return tokenRequest(
    transport,
    server,
    client,
    { grant_type: 'password', username: login.username, password: login.password, scope: login.scope || DEFAULT_SCOPE },
    { grant: 'password' },
    options,
  );
}

/**
 * RFC 6749 4.4: the client signs in as itself (a service principal), with no user and no
 * refresh token; a new token is requested when the last one runs out. The client must
 * authenticate, so a secret is required (connect() checks it before anything is sent).
 */
export function clientCredentialsGrant(
  transport: HttpTransport,
  server: AuthorizationServer,
  client: ClientSettings,
  request: { scope?: string } = {},
  options: ProtocolOptions = {},
): Promise<TokenSet> {
  return tokenRequest(
    transport,
    server,
    client,
    { grant_type: 'client_credentials', scope: request.scope || DEFAULT_SERVICE_SCOPE },
    { grant: 'client_credentials' },
    options,
  );
}

export function refreshTokenGrant(
  transport: HttpTransport,
  server: AuthorizationServer,
  client: ClientSettings,
  refreshToken: string,
  options: ProtocolOptions = {},
): Promise<TokenSet> {
  return tokenRequest(transport, server, client, { grant_type: 'refresh_token', refresh_token: refreshToken }, { grant: 'refresh_token' }, options);
}

/** RFC 7009. Revoking a refresh token ends the grant; servers answer 200 even for unknown tokens. */
export async function revokeToken(
  transport: HttpTransport,
  server: AuthorizationServer,
  client: ClientSettings,
  token: string,
  hint: 'access_token' | 'refresh_token',
  options: ProtocolOptions = {},
): Promise<void> {
  const response = await postForm(transport, server.revocationEndpoint, client, { token, token_type_hint: hint }, options);
  if (response.status !== 200) throw tokenEndpointError(response.status, response.headers, (response.body as Buffer).toString('utf8'), 'refresh_token');
}

// ---------------------------------------------------------------- small helpers shared with the API client

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** First words of a non-JSON body (an HTML error page, say), safe to show. */
export function summarizeText(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
  return redact(plain.length > 200 ? `${plain.slice(0, 200)}…` : plain);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

