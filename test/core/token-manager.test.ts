import { authorizationServer, passwordGrant, TokenManager, type TokenSet } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { PROFILES, SEED_IDS } from '../../simulator/index';
import { caught, DEMO, Sim } from '../helpers/simulator';

const transport = createAxiosTransport({ maxSockets: 64 });
const client = { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret };
const login = { username: DEMO.users[0].username, password: DEMO.users[0].password };
let sim: Sim;

beforeAll(async () => {
  sim = await Sim.start();
});
afterAll(() => sim.stop());
beforeEach(() => sim.resetCounters());

const server = () => authorizationServer(sim.identityUrl, true);

/** A token set as the host would restore it from storage: the access token already expired. */
async function storedTokens(): Promise<TokenSet> {
  const tokens = await passwordGrant(transport, server(), client, login);
  return { ...tokens, expiresAt: Date.now() - 1000 };
}

describe('TokenManager', () => {
  it('makes exactly one token request for 50 concurrent callers at expiry', async () => {
    const initial = await storedTokens();
    await sim.resetCounters();
    const saved: TokenSet[] = [];
    const manager = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: initial, onTokens: (t) => void saved.push(t) });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(initial.accessToken);
    const state = await sim.state();
    expect(state.identity.tokenRequests).toBe(1);
    expect(state.identity.grants.refresh_token).toBe(1);
    expect(saved).toHaveLength(1);
  });

  it('hands the rotated refresh token to onTokens before the new access token is used', async () => {
    const initial = await storedTokens();
    const saved: TokenSet[] = [];
    const manager = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: initial, onTokens: (t) => void saved.push(t) });
    const access = await manager.getAccessToken();
    expect(saved).toHaveLength(1);
    expect(saved[0].accessToken).toBe(access);
    expect(saved[0].refreshToken).toBeTruthy();
    expect(saved[0].refreshToken).not.toBe(initial.refreshToken);
    // The saved set really is the live one: refreshing from it works, the old one is dead.
    const next = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: { ...saved[0], expiresAt: 0 } });
    await expect(next.getAccessToken()).resolves.toBeTruthy();
  });

  it('keeps the old refresh token when the server does not rotate', async () => {
    await sim.settings({ rotateRefreshTokens: false });
    try {
      const initial = await storedTokens();
      const manager = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: initial });
      await manager.getAccessToken();
      expect(manager.current?.refreshToken).toBe(initial.refreshToken);
    } finally {
      await sim.settings({ rotateRefreshTokens: true });
    }
  });

  it('refreshes proactively within the skew, and not before', async () => {
    const initial = await passwordGrant(transport, server(), client, login);
    const manager = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: { ...initial, expiresAt: Date.now() + 90_000 }, refreshSkewSeconds: 60 });
    expect(await manager.getAccessToken()).toBe(initial.accessToken);
    const soon = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: { ...initial, expiresAt: Date.now() + 30_000 }, refreshSkewSeconds: 60 });
    expect(await soon.getAccessToken()).not.toBe(initial.accessToken);
  });

  it('renews short-lived tokens about once per lifetime, not at every call (issue 9, item 7)', async () => {
    // 6-second tokens stand in for MediaValet's possible 20-second ones: a fixed 60 s margin renewed at every call.
    await sim.settings({ accessTokenTTL: 6 });
    try {
      const { client } = sim.connect();
      await client.authHeaders();
      await sim.resetCounters();
      const started = Date.now();
      let calls = 0;
      while (Date.now() - started < 9000) {
        await client.request({ method: 'GET', path: `/assets/${SEED_IDS.firstAsset}` });
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const state = await sim.state();
      const renewals = state.identity.grants.refresh_token ?? 0;
      expect(calls).toBeGreaterThan(30);
      // 9 s of calls with a 6 s token renewed 1.2 s (a fifth) before expiry: about 2 renewals.
      expect(renewals).toBeGreaterThanOrEqual(1);
      expect(renewals).toBeLessThanOrEqual(3);
      // ...and no call went out with an expired token.
      expect(state.api.unauthorized).toBe(0);
    } finally {
      await sim.settings({ accessTokenTTL: PROFILES.strict.accessTokenTTL });
    }
  });

  it('keeps the renewal margin of a restored token set (a restart, the next n8n execution)', async () => {
    const saved: TokenSet[] = [];
    const first = new TokenManager({ transport, server: server(), client, mode: 'password', login, onTokens: (t) => void saved.push(t) });
    await first.getAccessToken();
    const lifetime = saved[0].expiresAt - saved[0].issuedAt!;
    expect(lifetime).toBeGreaterThan(15_000);
    expect(lifetime).toBeLessThanOrEqual(20_000);
    // Restored with 8 s left of a 20 s token: more than a fifth, so used as is.
    const restored = { ...saved[0], issuedAt: Date.now() - 12_000, expiresAt: Date.now() + 8_000 };
    await sim.resetCounters();
    const again = new TokenManager({ transport, server: server(), client, mode: 'password', login, tokens: restored });
    expect(again.refreshMarginMs).toBe(4_000);
    expect(await again.getAccessToken()).toBe(restored.accessToken);
    expect((await sim.state()).identity.tokenRequests).toBe(0);
  });

  it('ends in a terminal "reconnect" error when a replayed refresh token revoked the grant, without retrying', async () => {
    const initial = await storedTokens();
    // Someone else (a second copy of the flow) used this refresh token first.
    const other = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: initial });
    await other.getAccessToken();
    const manager = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: initial });
    const error = await caught(() => manager.getAccessToken());
    expect(error.code).toBe('reconnect_required');
    expect(error.kind).toBe('terminal');
    expect(error.hint).toMatch(/Reconnect/);
    await sim.resetCounters();
    await caught(() => manager.getAccessToken());
    expect((await sim.state()).identity.tokenRequests).toBe(0);
  });

  it('in password mode, logs in again when the refresh token is no longer accepted', async () => {
    const initial = await storedTokens();
    await sim.revoke('all');
    await sim.resetCounters();
    const manager = new TokenManager({ transport, server: server(), client, mode: 'password', login, tokens: initial });
    await expect(manager.getAccessToken()).resolves.toBeTruthy();
    const state = await sim.state();
    expect(state.identity.grantErrors.refresh_token).toBe(1);
    expect(state.identity.grants.password).toBe(1);
  });

  it('says the account is not connected when there is nothing to refresh from', async () => {
    const manager = new TokenManager({ transport, server: server(), client, mode: 'authorization_code' });
    const error = await caught(() => manager.getAccessToken());
    expect(error.message).toMatch(/not connected yet/);
  });

  it('invalidates only the token that failed', async () => {
    const manager = new TokenManager({ transport, server: server(), client, mode: 'password', login });
    const first = await manager.getAccessToken();
    manager.invalidate('some-other-token');
    expect(await manager.getAccessToken()).toBe(first);
    manager.invalidate(first);
    expect(await manager.getAccessToken()).not.toBe(first);
  });

  it('retries saving a token set whose persistence failed, so a rotation is never dropped', async () => {
    const initial = await storedTokens();
    let fail = true;
    const saved: TokenSet[] = [];
    const manager = new TokenManager({
      transport,
      server: server(),
      client,
      mode: 'authorization_code',
      tokens: initial,
      onTokens: (t) => {
        if (fail) throw new Error('disk full');
        saved.push(t);
      },
    });
    await expect(manager.getAccessToken()).rejects.toThrow('disk full');
    fail = false;
    await manager.getAccessToken();
    expect(saved).toHaveLength(1);
    expect(saved[0].refreshToken).toBe(manager.current?.refreshToken);
    expect(saved[0].refreshToken).not.toBe(initial.refreshToken);
  });

  it('revokes the grant on request', async () => {
    const manager = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: await storedTokens() });
    const refresh = manager.current!.refreshToken!;
    await manager.revoke();
    const again = new TokenManager({ transport, server: server(), client, mode: 'authorization_code', tokens: { accessToken: 'x', tokenType: 'Bearer', expiresAt: 0, refreshToken: refresh } });
    expect((await caught(() => again.getAccessToken())).code).toBe('reconnect_required');
  });
});
