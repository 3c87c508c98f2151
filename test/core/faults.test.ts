// The fault matrix for core: each fault from the simulator, 100 calls through one client,
// and the outcome checked by count and id: recovered (every id once, in order) or failed
// with an error that names the cause, and never a repeated write that may have succeeded.
import { MediaValetClient, TokenManager, authorizationServer, passwordGrant, type FaultRule } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { sleep } from '../../node-red/sleep';
import { caught, DEMO, Sim } from '../helpers/simulator';

let sim: Sim;
let ids: string[];
beforeAll(async () => {
  sim = await Sim.start({ bulkAssets: 100 });
  const { client } = sim.connect();
  ids = [];
  for await (const a of client.paginate<{ id: string }>({ method: 'GET', path: '/assets', pageSize: 100, query: { sort: 'record.createdAt A' } })) ids.push(a.id);
  ids = ids.slice(0, 100);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await sim.clearFaults();
  await sim.resetCounters();
});

/** 100 GETs, 10 at a time, results in input order. */
async function getAll(client: MediaValetClient): Promise<string[]> {
  const out: string[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i += 10) {
    const batch = ids.slice(i, i + 10);
    const got = await Promise.all(batch.map((id) => client.request<{ id: string }>({ method: 'GET', path: `/assets/${id}` })));
    got.forEach((r, j) => (out[i + j] = r.payload.id));
  }
  return out;
}

const recoverable: Array<[string, FaultRule[]]> = [
  ['a burst of 429 with Retry-After', [{ server: 'api', path: '^/assets/', status: 429, retryAfter: '0', times: 5 }]],
  ['a burst of 429 without Retry-After', [{ server: 'api', path: '^/assets/', status: 429, times: 5 }]],
  ['500s', [{ server: 'api', path: '^/assets/', status: 500, times: 4 }]],
  ['502s', [{ server: 'api', path: '^/assets/', status: 502, html: true, times: 4 }]],
  ['503s', [{ server: 'api', path: '^/assets/', status: 503, times: 4 }]],
  ['connection resets mid-request', [{ server: 'api', path: '^/assets/', reset: true, times: 4 }]],
  ['slow responses past the timeout', [{ server: 'api', path: '^/assets/', delayMs: 1500, status: 200, body: {}, times: 3 }]],
  ['the identity server failing once', [{ server: 'identity', path: '/connect/token', status: 503, times: 1 }]],
  ['a malformed token response', [{ server: 'identity', path: '/connect/token', malformed: true, times: 1 }]],
];

describe.each(recoverable)('recovers from %s: 100 calls, every id once, in order', (_name, rules) => {
  it('recovers', async () => {
    const { client } = sim.connect({}, { client: { timeoutMs: 800, retry: { baseDelayMs: 10, maxDelayMs: 50 } } });
    await sim.faults(...rules);
    expect(await getAll(client)).toEqual(ids);
    expect((await sim.state()).faultsFired).toBeGreaterThan(0);
  });
});

it('recovers when the access token is revoked mid-run', async () => {
  const { client } = sim.connect();
  const first = await Promise.all(ids.slice(0, 50).map((id) => client.request<{ id: string }>({ method: 'GET', path: `/assets/${id}` })));
  await sim.revoke('access');
  const rest = await Promise.all(ids.slice(50).map((id) => client.request<{ id: string }>({ method: 'GET', path: `/assets/${id}` })));
  expect([...first, ...rest].map((r) => r.payload.id)).toEqual(ids);
  expect((await sim.state()).identity.grants.refresh_token).toBe(1);
});

it.each([
  ['ahead', 5 * 60_000],
  ['behind', -5 * 60_000],
])('works with this machine\'s clock 5 minutes %s', async (_dir, skew) => {
  const { client } = sim.connect({}, { now: () => Date.now() + skew });
  expect(await getAll(client)).toEqual(ids);
});

describe('fails clearly, naming the cause', () => {
  it('a throttle that never ends', async () => {
    const { client } = sim.connect({}, { client: { retry: { maxRetries: 2, baseDelayMs: 5 } } });
    await sim.faults({ server: 'api', path: '^/assets/', status: 429, times: 0 });
    const error = await caught(() => getAll(client));
    expect(error.message).toMatch(/MediaValet answered 429/);
    expect(error.kind).toBe('transient');
  });

  it('an HTML error page from a proxy', async () => {
    const { client } = sim.connect({}, { client: { retry: { maxRetries: 1, baseDelayMs: 5 } } });
    await sim.faults({ server: 'api', path: '^/assets/', status: 502, html: true, times: 0 });
    expect((await caught(() => getAll(client))).message).toMatch(/502 .* \(an HTML error page\)/);
  });

  it('an oversize body', async () => {
    const { client } = sim.connect({}, { client: { maxResponseBytes: 50_000 } });
    await sim.faults({ server: 'api', path: '^/assets/', oversizeBytes: 200_000, times: 0 });
    expect((await caught(() => getAll(client))).code).toBe('response_too_large');
  });

  it('a refresh token rotated then replayed elsewhere', async () => {
    const transport = createAxiosTransport();
    const server = authorizationServer(sim.identityUrl, true);
    const clientSettings = { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret };
    const stale = { ...(await passwordGrant(transport, server, clientSettings, { username: DEMO.users[0].username, password: DEMO.users[0].password })), expiresAt: 0 };
    const first = new TokenManager({ transport, server, client: clientSettings, mode: 'authorization_code', tokens: stale });
    await first.getAccessToken();
    const replay = new TokenManager({ transport, server, client: clientSettings, mode: 'authorization_code', tokens: stale });
    const client = new MediaValetClient({ transport, tokens: replay, subscriptionKey: DEMO.subscriptionKey, apiUrl: sim.apiUrl, allowInsecure: true, sleep });
    const error = await caught(() => client.request({ method: 'GET', path: `/assets/${ids[0]}` }));
    expect(error.code).toBe('reconnect_required');
    expect(error.hint).toMatch(/Reconnect/);
  });
});

describe('never repeats a write that may have succeeded', () => {
  it.each([
    ['500', { status: 500 }],
    ['502', { status: 502 }],
    ['a reset after the body was sent', { reset: true }],
  ])('POST meeting %s is tried once and the error says so', async (_name, fault) => {
    const { client } = sim.connect();
    await client.authHeaders();
    await sim.faults({ server: 'api', method: 'POST', path: '/keywords$', ...fault, times: 0 });
    const error = await caught(() => client.request({ method: 'POST', path: `/assets/${ids[0]}/keywords`, body: ['once'] }));
    expect(error.message).toBeTruthy();
    expect((await sim.state()).faultsFired).toBe(1);
  });

  it('a POST meeting 429 or 503 is retried (not processed) and lands once', async () => {
    const { client } = sim.connect();
    await sim.faults({ server: 'api', method: 'POST', path: '/keywords$', status: 429, retryAfter: '0', times: 2 }, { server: 'api', method: 'POST', path: '/keywords$', status: 503, times: 1 });
    await client.request({ method: 'POST', path: `/assets/${ids[1]}/keywords`, body: ['exactly-once'] });
    expect((await sim.state()).api.byRoute['POST /assets/:id/keywords']).toBe(1);
  });
});
