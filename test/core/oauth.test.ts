import {
  authorizationServer,
  buildAuthorizationRequest,
  codeChallengeS256,
  exchangeAuthorizationCode,
  passwordGrant,
  processTokenResponse,
  refreshTokenGrant,
  revokeToken,
  secureUrl,
  validateAuthorizationResponse,
  validateIdTokenClaims,
  type AuthorizationServer,
  type HttpRequest,
  type HttpTransport,
} from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { signInOverHttp } from '../helpers/browserless-login';
import { caught, DEMO, Sim } from '../helpers/simulator';

const REDIRECT = 'http://127.0.0.1:1880/mediavalet/oauth/callback';
const transport = createAxiosTransport();
let sim: Sim;
let server: AuthorizationServer;
const client = { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret };
const user = DEMO.users[0];

beforeAll(async () => {
  sim = await Sim.start();
  server = authorizationServer(sim.identityUrl, true);
});
afterAll(() => sim.stop());

function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.sig`;
}

describe('HTTPS is required', () => {
  it('accepts https hosts', () => {
    expect(secureUrl('https://login.mediavalet.com', 'identityUrl').host).toBe('login.mediavalet.com');
  });
  it('refuses http even for loopback unless "allow insecure" is on, and says how to fix it', () => {
    const error = (() => {
      try {
        secureUrl('http://127.0.0.1:4010', 'identityUrl');
      } catch (e) {
        return e as any;
      }
    })();
    expect(error.code).toBe('insecure_url');
    expect(error.field).toBe('identityUrl');
    expect(error.hint).toMatch(/Allow Insecure/);
    expect(secureUrl('http://127.0.0.1:4010', 'identityUrl', true).port).toBe('4010');
    expect(secureUrl('http://localhost:4010', 'identityUrl', true).hostname).toBe('localhost');
  });
  it('refuses http to a non-loopback host even with "allow insecure" on', () => {
    expect(() => secureUrl('http://login.mediavalet.com', 'identityUrl', true)).toThrow(/must use https/);
    expect(() => secureUrl('http://10.0.0.5', 'apiUrl', true)).toThrow(/must use https/);
  });
  it('names the empty or malformed field', () => {
    expect(() => secureUrl('', 'apiUrl')).toThrow(/API URL setting is empty/);
    expect(() => secureUrl('not a url', 'apiUrl')).toThrow(/is not a URL/);
  });
});

describe('authorization request', () => {
  it('carries response_type=code, PKCE S256, state, nonce and the default scope', () => {
    const request = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe(`${sim.identityUrl}/connect/authorize`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(DEMO.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('scope')).toBe('openid api offline_access');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBe(codeChallengeS256(request.codeVerifier));
    expect(url.searchParams.get('state')).toBe(request.state);
    expect(url.searchParams.get('nonce')).toBe(request.nonce);
    expect(request.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });
  it('uses a fresh verifier, state and nonce every time', () => {
    const a = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    const b = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.state).not.toBe(b.state);
    expect(a.nonce).not.toBe(b.nonce);
  });
  it('takes extra parameters but never lets them override protocol ones', () => {
    const r = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT, extraParams: { prompt: 'login', code_challenge_method: 'plain', state: 'mine' } });
    const url = new URL(r.url);
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBe(r.state);
  });
});

describe('callback validation', () => {
  it('accepts the right state, with or without iss', () => {
    expect(validateAuthorizationResponse(server, 'abc', { state: 'abc', code: 'c1' })).toEqual({ code: 'c1' });
    expect(validateAuthorizationResponse(server, 'abc', new URLSearchParams({ state: 'abc', code: 'c2', iss: sim.identityUrl }))).toEqual({ code: 'c2' });
  });
  it('rejects a forged state', () => {
    expect(() => validateAuthorizationResponse(server, 'abc', { state: 'abd', code: 'c' })).toThrow(/state mismatch/);
    expect(() => validateAuthorizationResponse(server, 'abc', { code: 'c' })).toThrow(/state mismatch/);
  });
  it('rejects an answer from another issuer', () => {
    expect(() => validateAuthorizationResponse(server, 'abc', { state: 'abc', code: 'c', iss: 'https://evil.example' })).toThrow(/came from https:\/\/evil.example/);
  });
  it('turns an error parameter into a clear message', () => {
    expect(() => validateAuthorizationResponse(server, 'abc', { state: 'abc', error: 'access_denied', error_description: 'The user cancelled the sign-in.' })).toThrow(
      /did not grant access: access_denied \(The user cancelled the sign-in.\)/,
    );
  });
});

describe('authorization code flow against the simulator', () => {
  it('signs in, returns iss on the callback, and exchanges the code with the same redirect URI and verifier', async () => {
    const request = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    const callback = await signInOverHttp(request.url, user.username, user.password, REDIRECT);
    expect(callback.searchParams.get('iss')).toBe(sim.identityUrl);
    const { code } = validateAuthorizationResponse(server, request.state, callback.searchParams);
    const tokens = await exchangeAuthorizationCode(transport, server, client, { code, codeVerifier: request.codeVerifier, redirectUri: REDIRECT, nonce: request.nonce });
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.claims?.sub).toBe(user.id);
    expect(tokens.claims?.nonce).toBe(request.nonce);
    // The strict profile's 20-second tokens.
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 10_000);
    expect(tokens.expiresAt).toBeLessThanOrEqual(Date.now() + 20_000);
  });

  it('signs in with a server that sends no iss (lenient profile)', async () => {
    const lenient = await Sim.start({ profile: 'lenient' });
    try {
      const other = authorizationServer(lenient.identityUrl, true);
      const request = buildAuthorizationRequest(other, client, { redirectUri: REDIRECT });
      const callback = await signInOverHttp(request.url, user.username, user.password, REDIRECT);
      expect(callback.searchParams.has('iss')).toBe(false);
      const { code } = validateAuthorizationResponse(other, request.state, callback.searchParams);
      const tokens = await exchangeAuthorizationCode(transport, other, client, { code, codeVerifier: request.codeVerifier, redirectUri: REDIRECT, nonce: request.nonce });
      expect(tokens.claims?.nonce).toBe(request.nonce);
      expect(tokens.refreshToken).toBeTruthy();
    } finally {
      await lenient.stop();
    }
  });

  it('fails when the verifier does not match (PKCE enforced)', async () => {
    const request = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    const callback = await signInOverHttp(request.url, user.username, user.password, REDIRECT);
    const error = await caught(() =>
      exchangeAuthorizationCode(transport, server, client, { code: callback.searchParams.get('code')!, codeVerifier: 'not-the-verifier-of-this-sign-in-0123456789abcdef', redirectUri: REDIRECT }),
    );
    expect(error.code).toBe('invalid_grant');
    expect(error.kind).toBe('terminal');
  });

  it('fails when the redirect URI differs from the authorization request', async () => {
    const request = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    const callback = await signInOverHttp(request.url, user.username, user.password, REDIRECT);
    const error = await caught(() =>
      exchangeAuthorizationCode(transport, server, client, { code: callback.searchParams.get('code')!, codeVerifier: request.codeVerifier, redirectUri: 'http://localhost:1880/mediavalet/oauth/callback' }),
    );
    expect(error.code).toBe('invalid_grant');
  });

  it('does not accept a code twice', async () => {
    const request = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    const callback = await signInOverHttp(request.url, user.username, user.password, REDIRECT);
    const exchange = { code: callback.searchParams.get('code')!, codeVerifier: request.codeVerifier, redirectUri: REDIRECT };
    await exchangeAuthorizationCode(transport, server, client, exchange);
    const error = await caught(() => exchangeAuthorizationCode(transport, server, client, exchange));
    expect(error.message).toMatch(/authorization code was rejected/);
  });

  it('rejects an id_token whose nonce is not ours', async () => {
    const request = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT });
    const callback = await signInOverHttp(request.url, user.username, user.password, REDIRECT);
    const error = await caught(() =>
      exchangeAuthorizationCode(transport, server, client, { code: callback.searchParams.get('code')!, codeVerifier: request.codeVerifier, redirectUri: REDIRECT, nonce: 'another-nonce' }),
    );
    expect(error.code).toBe('nonce_mismatch');
  });
});

describe('password and refresh grants', () => {
  // Records what went over the wire, then lets the real transport send it.
  const recorded: HttpRequest[] = [];
  const recording: HttpTransport = { request: (r) => (recorded.push(r), transport.request(r)) };

  it('authenticates the client with HTTP Basic by default', async () => {
    recorded.length = 0;
    const tokens = await passwordGrant(recording, server, client, { username: user.username, password: user.password });
    expect(tokens.scope).toBe('openid api offline_access');
    expect(tokens.refreshToken).toBeTruthy();
    // RFC 6749 2.3.1: form-encoded before Base64. The demo secret holds + : and %, which a raw header garbles.
    expect(DEMO.clientSecret).toMatch(/[+:%]/);
    expect(recorded[0].headers.authorization).toBe(`Basic ${Buffer.from(`${encodeURIComponent(DEMO.clientId)}:${encodeURIComponent(DEMO.clientSecret)}`).toString('base64')}`);
    expect(String(recorded[0].body)).not.toContain('client_secret');
  });
  it('authenticates in the body when asked', async () => {
    recorded.length = 0;
    const post = { clientId: DEMO.postClientId, clientSecret: DEMO.clientSecret, clientAuth: 'post' as const };
    const tokens = await passwordGrant(recording, server, post, { username: user.username, password: user.password });
    expect(tokens.accessToken).toBeTruthy();
    expect(recorded[0].headers.authorization).toBeUndefined();
    expect(new URLSearchParams(String(recorded[0].body)).get('client_secret')).toBe(DEMO.clientSecret);
  });
  it('says which field is wrong: password', async () => {
    const error = await caught(() => passwordGrant(transport, server, client, { username: user.username, password: 'wrong-password' }));
    expect(error.code).toBe('invalid_grant');
    expect(error.field).toBe('password');
    expect(error.message).toMatch(/username or password/);
  });
  it('says which field is wrong: client secret', async () => {
    const error = await caught(() => passwordGrant(transport, server, { ...client, clientSecret: 'wrong-secret' }, { username: user.username, password: user.password }));
    expect(error.code).toBe('invalid_client');
    expect(error.field).toBe('clientSecret');
  });
  it('says when the client may not use the password grant (MediaValet enables it per client)', async () => {
    await sim.client({ client_id: 'mv-code-only', client_secret: DEMO.clientSecret, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] });
    const error = await caught(() => passwordGrant(transport, server, { clientId: 'mv-code-only', clientSecret: DEMO.clientSecret }, { username: user.username, password: user.password }));
    expect(error.code).toBe('unauthorized_client');
    expect(error.kind).toBe('terminal');
    expect(error.message).toMatch(/not allowed to use the password grant/);
    expect(error.hint).toMatch(/Ask MediaValet support to enable it/);
  });
  it('rotates the refresh token and treats a replayed one as terminal', async () => {
    const first = await passwordGrant(transport, server, client, { username: user.username, password: user.password });
    const second = await refreshTokenGrant(transport, server, client, first.refreshToken!);
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const replay = await caught(() => refreshTokenGrant(transport, server, client, first.refreshToken!));
    expect(replay.code).toBe('reconnect_required');
    expect(replay.kind).toBe('terminal');
    // Reuse detection revoked the whole grant, the rotated token included.
    const after = await caught(() => refreshTokenGrant(transport, server, client, second.refreshToken!));
    expect(after.code).toBe('reconnect_required');
  });
  it('revokes a refresh token (RFC 7009)', async () => {
    const tokens = await passwordGrant(transport, server, client, { username: user.username, password: user.password });
    await revokeToken(transport, server, client, tokens.refreshToken!, 'refresh_token');
    const error = await caught(() => refreshTokenGrant(transport, server, client, tokens.refreshToken!));
    expect(error.code).toBe('reconnect_required');
  });
  it('reports a throttled or failing identity server as transient', async () => {
    await sim.faults({ server: 'identity', path: '/connect/token', status: 503, html: true });
    const error = await caught(() => passwordGrant(transport, server, client, { username: user.username, password: user.password }));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/failing \(HTTP 503\)/);
  });
});

describe('token response validation', () => {
  const ok = { access_token: 'at-123456', token_type: 'Bearer', expires_in: 3600 };
  it('accepts a minimal valid response and computes the expiry', () => {
    const tokens = processTokenResponse(server, client, JSON.stringify(ok), { now: () => 1_000_000 });
    expect(tokens).toMatchObject({ accessToken: 'at-123456', tokenType: 'Bearer', expiresAt: 1_000_000 + 3_600_000 });
  });
  it.each([
    ['not JSON', '<html>oops</html>'],
    ['no access_token', JSON.stringify({ ...ok, access_token: undefined })],
    ['token_type is not Bearer', JSON.stringify({ ...ok, token_type: 'mac' })],
    ['no valid expires_in', JSON.stringify({ ...ok, expires_in: undefined })],
    ['no valid expires_in', JSON.stringify({ ...ok, expires_in: -5 })],
  ])('rejects a response with %s', (what, body) => {
    expect(() => processTokenResponse(server, client, body)).toThrow(what);
  });

  const now = Date.now();
  const claims = { iss: 'ISS', aud: DEMO.clientId, exp: Math.floor(now / 1000) + 600, iat: Math.floor(now / 1000), nonce: 'n1', sub: 'u' };
  const check = (overrides: Record<string, unknown>, options: { now?: number; nonce?: string } = {}) =>
    validateIdTokenClaims({ ...server, issuer: 'ISS' }, client, jwt({ ...claims, ...overrides }), { now, ...options });
  it('checks iss, aud, exp and nonce of an id_token', () => {
    expect(check({}, { nonce: 'n1' }).sub).toBe('u');
    expect(() => check({ iss: 'OTHER' })).toThrow(/issuer is OTHER/);
    expect(() => check({ aud: 'someone-else' })).toThrow(/another client/);
    expect(() => check({ exp: Math.floor(now / 1000) - 3600 })).toThrow(/expired/);
    expect(() => check({}, { nonce: 'n2' })).toThrow(/nonce mismatch/);
  });
  it('tolerates five minutes of clock skew either way, with a minute to spare', () => {
    // exp is 10 minutes ahead; past exp + 6 minutes it fails.
    expect(check({}, { now: now + (600 + 350) * 1000 })).toBeTruthy();
    expect(() => check({}, { now: now + (600 + 370) * 1000 })).toThrow(/expired/);
    expect(check({ exp: Math.floor(now / 1000) - 350 })).toBeTruthy();
    expect(check({ iat: Math.floor(now / 1000) + 350 })).toBeTruthy();
    expect(() => check({ iat: Math.floor(now / 1000) + 900 })).toThrow(/in the future/);
  });
});
