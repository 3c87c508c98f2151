// The process-wide sign-in pool, the way n8n drives it: every API call that meets a 401 asks
// for a token again, with the token it was refused, and nobody holds a lock.
import { authorizationServer, isAccountRefused, SignInPool, type SharedSignInRequest } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { caught, DEMO, Sim } from '../helpers/simulator';

const transport = createAxiosTransport({ maxSockets: 64 });
let sim: Sim;

beforeAll(async () => {
  sim = await Sim.start();
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await sim.clearFaults();
  await sim.resetCounters();
});

function request(overrides: { password?: string; username?: string; clientSecret?: string } = {}): SharedSignInRequest {
  return {
    transport,
    server: authorizationServer(sim.identityUrl, true),
    client: { clientId: DEMO.clientId, clientSecret: overrides.clientSecret ?? DEMO.clientSecret },
    login: { username: overrides.username ?? DEMO.users[0].username, password: overrides.password ?? DEMO.users[0].password },
  };
}

async function currentUser(token: string): Promise<number> {
  const response = await transport.request({
    method: 'GET',
    url: `${sim.apiUrl}/users/current`,
    headers: { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': DEMO.subscriptionKey },
    responseType: 'buffer',
  });
  return response.status;
}

/** One n8n-like execution: a token (empty at first), calls; a 401 asks the pool again with the refused token. */
async function execution(pool: SignInPool, calls: number, stored = { token: '' }): Promise<number> {
  let ok = 0;
  for (let i = 0; i < calls; i++) {
    let token = stored.token || (await pool.accessToken(request()));
    let status = await currentUser(token);
    if (status === 401) {
      token = await pool.accessToken(request(), token);
      status = await currentUser(token);
    }
    if (status === 200) ok++;
    stored.token = token;
  }
  return ok;
}

describe('SignInPool', () => {
  it('500 concurrent callers, cold and with the token revoked twice mid-run: one token request each time', async () => {
    const pool = new SignInPool();
    // Revoke at the 501st API call and again 1500 calls later: every execution in flight meets each
    // revocation, and the retries after the first are over before the second (n8n retries once).
    await sim.faults({ server: 'api', path: '^/users/current$', skip: 500, revoke: 'access' }, { server: 'api', path: '^/users/current$', skip: 1500, revoke: 'access' });
    const results = await Promise.all(Array.from({ length: 500 }, () => execution(pool, 6)));
    const state = await sim.state();
    expect(state.faultsFired).toBe(2);
    expect(state.api.unauthorized).toBeGreaterThan(100);
    expect(results.filter((ok) => ok !== 6)).toEqual([]);
    // The cold start plus one per revocation.
    expect(state.identity.tokenRequests).toBeLessThanOrEqual(3);
  });

  it('two processes sharing a stored token (n8n queue mode): after a revocation each signs in once, none fails', async () => {
    // Two workers with their own pools; n8n's database holds one token, the last one written.
    let now = Date.now();
    const workers = [new SignInPool({ now: () => now }), new SignInPool({ now: () => now })];
    const stored = { token: '' };
    for (const pool of workers) stored.token = await pool.accessToken(request());
    now += 60_000; // the tokens have been in use a while when the revocation comes
    await sim.faults({ server: 'api', path: '^/users/current$', skip: 100, revoke: 'access' });
    await sim.resetCounters();
    // Each execution starts from the stored token, whichever worker wrote it.
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => execution(workers[i % 2], 2, { token: stored.token })));
    const state = await sim.state();
    expect(state.faultsFired).toBe(1);
    expect(state.api.unauthorized).toBeGreaterThan(50);
    expect(results.filter((ok) => ok !== 2)).toEqual([]);
    expect(state.identity.tokenRequests).toBeLessThanOrEqual(2);
  });

  it('a caller refused an older token gets the one just obtained, without a token request', async () => {
    const pool = new SignInPool();
    const first = await pool.accessToken(request());
    const second = await pool.accessToken(request(), first);
    await sim.resetCounters();
    expect(await pool.accessToken(request(), first)).toBe(second);
    expect(await pool.accessToken(request())).toBe(second);
    expect((await sim.state()).identity.tokenRequests).toBe(0);
  });

  it('an older token refused after the current one went stale renews once: a revocation may have taken both', async () => {
    let clock = Date.now();
    const pool = new SignInPool({ now: () => clock });
    const first = await pool.accessToken(request());
    const second = await pool.accessToken(request(), first);
    // Every token of the user revoked (as the simulator's 'access' revocation does), 20 s after the current one came.
    clock += 20_000;
    await sim.revoke('access');
    await sim.resetCounters();
    const third = await pool.accessToken(request(), first);
    expect(third).not.toBe(second);
    expect(await currentUser(third)).toBe(200);
    // The rest of the burst with the same old token shares the fresh one.
    expect(await pool.accessToken(request(), first)).toBe(third);
    expect((await sim.state()).identity.tokenRequests).toBe(1);
  });

  it('different credentials never share a token', async () => {
    const pool = new SignInPool();
    const a = await pool.accessToken(request());
    const b = await pool.accessToken(request({ username: DEMO.users[1].username, password: DEMO.users[1].password }));
    expect(a).not.toBe(b);
    expect(pool.size).toBe(2);
  });

  it('a wrong password is asked once for 50 callers; the corrected one works at once', async () => {
    const pool = new SignInPool();
    const errors = await Promise.all(Array.from({ length: 50 }, () => caught(() => pool.accessToken(request({ password: 'wrong-password' })))));
    expect(errors.every(isAccountRefused)).toBe(true);
    // Later calls with the same wrong password fail from memory.
    await caught(() => pool.accessToken(request({ password: 'wrong-password' })));
    expect((await sim.state()).identity.tokenRequests).toBe(1);
    expect(await currentUser(await pool.accessToken(request()))).toBe(200);
    expect((await sim.state()).identity.tokenRequests).toBe(2);
  });

  it('a refused sign-in is asked again only after the refusal period', async () => {
    let now = Date.now();
    const pool = new SignInPool({ refusalMs: 60_000, now: () => now });
    await caught(() => pool.accessToken(request({ password: 'wrong-password' })));
    now += 59_000;
    await caught(() => pool.accessToken(request({ password: 'wrong-password' })));
    expect((await sim.state()).identity.tokenRequests).toBe(1);
    now += 2_000;
    await caught(() => pool.accessToken(request({ password: 'wrong-password' })));
    expect((await sim.state()).identity.tokenRequests).toBe(2);
  });

  it('keeps at most maxEntries credential sets, dropping the least recently used', async () => {
    const pool = new SignInPool({ maxEntries: 2 });
    const a = await pool.accessToken(request());
    await pool.accessToken(request({ username: DEMO.users[1].username, password: DEMO.users[1].password }));
    expect(await pool.accessToken(request())).toBe(a); // a is now the most recent
    await caught(() => pool.accessToken(request({ password: 'third-set' })));
    expect(pool.size).toBe(2);
    await sim.resetCounters();
    expect(await pool.accessToken(request())).toBe(a);
    await pool.accessToken(request({ username: DEMO.users[1].username, password: DEMO.users[1].password }));
    expect((await sim.state()).identity.tokenRequests).toBe(1); // the second set had been dropped
  });
});
