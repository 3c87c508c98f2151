// The security checklist, one test per item. Items proven elsewhere in more depth point there.
import {
  authorizationServer,
  buildAuthorizationRequest,
  codeChallengeS256,
  type HttpRequest,
  type HttpTransport,
  passwordGrant,
  refreshTokenGrant,
  secureUrl,
  TokenManager,
  validateAuthorizationResponse,
  validateIdTokenClaims,
} from '../core';
import { createAxiosTransport } from '../node-red/axios-transport';
import { caught, DEMO, Sim } from './helpers/simulator';

let sim: Sim;
const sent: HttpRequest[] = [];
const axios = createAxiosTransport();
const recording: HttpTransport = { request: (r) => (sent.push(r), axios.request(r)) };
const client = { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret };
const login = { username: DEMO.users[0].username, password: DEMO.users[0].password };

beforeAll(async () => {
  sim = await Sim.start();
});
afterAll(() => sim.stop());
beforeEach(() => {
  sent.length = 0;
});
const server = () => authorizationServer(sim.identityUrl, true);

it('1. every authorize URL carries PKCE S256 with a fresh verifier', () => {
  const a = buildAuthorizationRequest(server(), client, { redirectUri: 'http://127.0.0.1:1880/mediavalet/oauth/callback' });
  const b = buildAuthorizationRequest(server(), client, { redirectUri: 'http://127.0.0.1:1880/mediavalet/oauth/callback' });
  for (const r of [a, b]) {
    const url = new URL(r.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBe(codeChallengeS256(r.codeVerifier));
  }
  expect(a.codeVerifier).not.toBe(b.codeVerifier);
});

it('2. state is checked (one-time use and binding to the config node: test/node-red/oauth.test.ts)', () => {
  const r = buildAuthorizationRequest(server(), client, { redirectUri: 'http://x/cb' });
  expect(() => validateAuthorizationResponse(server(), r.state, { state: `${r.state}x`, code: 'c' })).toThrow(/state mismatch/);
});

it('3. the nonce of the id_token is checked', () => {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const token = `${part({})}.${part({ iss: server().issuer, aud: DEMO.clientId, exp: Date.now() / 1000 + 60, nonce: 'theirs' })}.x`;
  expect(() => validateIdTokenClaims(server(), client, token, { nonce: 'ours' })).toThrow(/nonce mismatch/);
});

it('4. iss on the callback is checked when present', () => {
  expect(() => validateAuthorizationResponse(server(), 's', { state: 's', code: 'c', iss: 'https://attacker.example' })).toThrow(/came from https:\/\/attacker.example/);
  expect(validateAuthorizationResponse(server(), 's', { state: 's', code: 'c' }).code).toBe('c');
});

it('5. the redirect URI of the token request is the one of the authorize request', () => {
  const r = buildAuthorizationRequest(server(), client, { redirectUri: 'http://127.0.0.1:1880/mediavalet/oauth/callback' });
  expect(new URL(r.url).searchParams.get('redirect_uri')).toBe(r.redirectUri);
  // The exchange takes it from the same pending request (node-red/oauth-routes.ts); a different one is refused by the server: test/core/oauth.test.ts.
});

it('6. the client authenticates with HTTP Basic by default', async () => {
  await passwordGrant(recording, server(), client, login);
  expect(sent[0].headers.authorization).toMatch(/^Basic /);
  expect(String(sent[0].body)).not.toContain('client_secret');
});

it('7. the bearer token travels only in the Authorization header', async () => {
  const { client: api } = sim.connect({}, { transport: recording });
  await api.request({ method: 'GET', path: '/assets', query: { count: 1 } });
  const apiCalls = sent.filter((r) => r.url.startsWith(sim.apiUrl));
  expect(apiCalls[0].headers.Authorization).toMatch(/^Bearer /);
  for (const r of sent) expect(r.url).not.toMatch(/access_token|Bearer/i);
});

it('8. a rotated refresh token is handed on for saving, and the old one is dead', async () => {
  const first = await passwordGrant(axios, server(), client, login);
  const saved: string[] = [];
  const manager = new TokenManager({ transport: axios, server: server(), client, mode: 'authorization_code', tokens: { ...first, expiresAt: 0 }, onTokens: (t) => void saved.push(t.refreshToken!) });
  await manager.getAccessToken();
  expect(saved[0]).not.toBe(first.refreshToken);
  // Replaying the old one now ends the whole grant (reuse detection), so it must never be used again.
  expect((await caught(() => refreshTokenGrant(axios, server(), client, first.refreshToken!))).code).toBe('reconnect_required');
});

it('9. concurrent callers share one refresh', async () => {
  const stale = { ...(await passwordGrant(axios, server(), client, login)), expiresAt: 0 };
  await sim.resetCounters();
  const manager = new TokenManager({ transport: axios, server: server(), client, mode: 'authorization_code', tokens: stale });
  await Promise.all(Array.from({ length: 32 }, () => manager.getAccessToken()));
  expect((await sim.state()).identity.tokenRequests).toBe(1);
});

it('10. invalid_grant is terminal: no retry loop', async () => {
  const manager = new TokenManager({ transport: axios, server: server(), client, mode: 'authorization_code', tokens: { accessToken: 'x', tokenType: 'Bearer', expiresAt: 0, refreshToken: 'not-a-refresh-token' } });
  await sim.resetCounters();
  for (let i = 0; i < 3; i++) expect((await caught(() => manager.getAccessToken())).kind).toBe('terminal');
  expect((await sim.state()).identity.tokenRequests).toBe(1);
});

it('11. HTTPS is required for MediaValet hosts unless "allow insecure" is on, and then only for loopback', () => {
  expect(() => secureUrl('http://127.0.0.1:4011', 'apiUrl')).toThrow(/must use https/);
  expect(() => secureUrl('http://api.mediavalet.com', 'apiUrl', true)).toThrow(/must use https/);
  expect(secureUrl('http://127.0.0.1:4011', 'apiUrl', true).protocol).toBe('http:');
});

// 12. The Node-RED admin routes enforce permission: proven in real Node-RED with adminAuth on
// (test/e2e/node-red.e2e.test.ts, "enforces admin permission on the Connect routes").

// 13. The secret-leak scan covers the whole suite rather than one file: a canary per run, every
// secret the simulator saw or issued, looked for in everything the tests captured, at the end of
// `npm test` and of `npm run test:e2e` (test/leak/: global-setup.js, capture.ts, global-teardown.js;
// test/leak/scan.test.ts shows it finds planted secrets).
