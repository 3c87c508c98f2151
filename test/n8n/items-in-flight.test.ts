// Items in flight through n8n-core (issue 19): several items at once, output order and
// pairedItem as a loop gives them, Continue On Fail per item, writes applied once under the
// simulator's rate limit, a refused sign-in asked once however many items wait for it.
import { DEFAULT_IN_FLIGHT, getAssetById } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import type { Sim } from '../helpers/simulator';
import { oauth2Credentials, passwordCredentials } from './credentials';
import { runNode } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

const ids = Array.from({ length: 12 }, (_, i) => (i === 0 ? SEED_IDS.firstAsset : `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`));
const MISSING = '10000000-0000-4000-8000-999999999999';

let sim: Sim;
beforeAll(async () => {
  sim = await startStrictSimulator();
});
afterAll(() => sim?.stop());
beforeEach(async () => {
  await sim.settings({ latencyMs: 0, rateLimitPerSecond: 0, rateLimitRetryAfter: true });
  await sim.resetCounters();
});

const get = (input: Array<{ json: { id: string } }>, itemsInFlight?: number, continueOnFail = false) =>
  runNode(passwordCredentials(sim), { authentication: 'password', resource: 'asset', operation: 'get', assetId: '={{ $json.id }}', ...(itemsInFlight ? { itemsInFlight } : {}) }, { input, continueOnFail });

it.each([
  [undefined, Math.min(48, DEFAULT_IN_FLIGHT)],
  [3, 3],
  [1, 1],
])('48 items with Items in Flight %s: %i calls at the API at once, output in input order with pairedItem', async (itemsInFlight, expected) => {
  await get([{ json: { id: ids[0] } }]); // signed in before counting
  await sim.settings({ latencyMs: 30 });
  await sim.resetCounters();
  const input = Array.from({ length: 48 }, (_, i) => ({ json: { id: ids[(i * 5) % 12] } }));
  const { items, error } = await get(input, itemsInFlight);
  expect(error).toBeUndefined();
  expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual(input.map((item, i) => [item.json.id, { item: i }]));
  const state = await sim.state();
  expect(state.api.requests).toBe(48);
  expect(state.throttle.maxInFlight).toBe(expected);
});

it('Continue On Fail: each failed item becomes an error item in its own place, the others run', async () => {
  const input = Array.from({ length: 20 }, (_, i) => ({ json: { id: i % 4 === 1 ? MISSING : ids[i % 12] } }));
  const { items, error } = await get(input, 8, true);
  expect(error).toBeUndefined();
  expect(items).toHaveLength(20);
  items.forEach((item, i) => {
    expect(item.pairedItem).toEqual({ item: i });
    if (i % 4 === 1) expect(item.json).toMatchObject({ status: 404, error: expect.stringMatching(/was not found/) });
    else expect(item.json.id).toBe(ids[i % 12]);
  });
});

it('without Continue On Fail, the first failing item in input order fails the node, as a loop would', async () => {
  const input = Array.from({ length: 20 }, (_, i) => ({ json: { id: i === 5 || i === 9 ? MISSING : ids[i % 12] } }));
  const { error } = await get(input, 8);
  expect(error?.context?.itemIndex).toBe(5);
});

it('30 updates under a rate limit of 8 calls/s: every item done, each write applied once, the limit halved', async () => {
  await get([{ json: { id: ids[0] } }]);
  await sim.settings({ rateLimitPerSecond: 8, latencyMs: 20 });
  await sim.resetCounters();
  const input = Array.from({ length: 30 }, (_, i) => ({ json: { id: ids[i % 12], title: `Title ${i}` } }));
  const { items, error } = await runNode(
    passwordCredentials(sim),
    { authentication: 'password', resource: 'asset', operation: 'update', assetId: '={{ $json.id }}', updateFields: { title: '={{ $json.title }}' } },
    { input },
  );
  expect(error).toBeUndefined();
  expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, i) => ({ item: i })));
  const state = await sim.state();
  expect(state.throttle.throttled).toBeGreaterThan(0);
  // A 429 is not applied, and nothing else is sent twice.
  expect(state.api.byRoute['PATCH /assets/:id']).toBe(30);
  // Each item's output is its own write's answer: writes to one asset run in input order.
  items.forEach((item, i) => expect(item.json.title).toBe(`Title ${i}`));
  // And each asset ends with the last title a loop would have left.
  const { client } = sim.connect();
  for (let a = 0; a < 12; a++) {
    const last = Math.max(...input.map((_, i) => i).filter((i) => i % 12 === a));
    expect(await getAssetById(client, ids[a])).toMatchObject({ title: `Title ${last}` });
  }
}, 60_000);

it('a refused password is asked once for 40 items in flight', async () => {
  const { items, error } = await runNode(
    passwordCredentials(sim, { password: 'wrong-password-in-flight' }),
    { authentication: 'password', resource: 'user', operation: 'getCurrent' },
    { input: Array.from({ length: 40 }, () => ({ json: {} })), continueOnFail: true },
  );
  expect(error).toBeUndefined();
  expect(items).toHaveLength(40);
  for (const item of items) expect(item.json).toMatchObject({ field: 'password' });
  expect((await sim.state()).identity.grantErrors.password).toBe(1);
});

describe('OAuth2 with items in flight', () => {
  it('an access token revoked under 24 items in flight is refreshed once: the rotated refresh token is never replayed', async () => {
    const credentials = await oauth2Credentials(sim);
    await sim.revoke('access');
    await sim.settings({ latencyMs: 30 });
    await sim.resetCounters();
    const input = Array.from({ length: 24 }, () => ({ json: {} }));
    const { items, error } = await runNode(credentials, { resource: 'user', operation: 'getCurrent' }, { input });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(24);
    const state = await sim.state();
    // Parallel refreshes would replay the spent refresh token, which revokes the grant (strict).
    expect(state.identity.grants.refresh_token).toBe(1);
    expect(state.identity.grantErrors.refresh_token ?? 0).toBe(0);
    expect(credentials.counts.oauthTokenSaves).toBe(1);
    // And the grant still works.
    await sim.revoke('access');
    expect((await runNode(credentials, { resource: 'user', operation: 'getCurrent' })).error).toBeUndefined();
  });

  it('a revoked grant fails every item in flight with one refresh asked', async () => {
    const credentials = await oauth2Credentials(sim);
    await sim.revoke('all');
    await sim.resetCounters();
    const { items } = await runNode(credentials, { resource: 'user', operation: 'getCurrent' }, { input: Array.from({ length: 16 }, () => ({ json: {} })), continueOnFail: true });
    expect(items).toHaveLength(16);
    for (const item of items) expect(item.json).toMatchObject({ code: 'reconnect_required' });
    expect((await sim.state()).identity.grantErrors.refresh_token).toBe(1);
  });
});
