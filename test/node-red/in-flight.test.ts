// Node-RED's in-flight work per account (issue 19): however many messages arrive at once, the
// account's calls follow core's adaptive limit (8 at once, halved on 429), in the real runtime.
import { DEFAULT_IN_FLIGHT } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { catchNode, collector, helper, nodes } from '../helpers/node-red';
import { goodCredentials, useRuntime } from './runtime';

const runtime = useRuntime();

async function load() {
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: runtime.sim.identityUrl, apiUrl: runtime.sim.apiUrl, allowInsecure: true },
    ...[
      { id: 'getter', type: 'mediavalet-asset', account: 'acct', operation: 'get', wires: [['out']] },
      { id: 'updater', type: 'mediavalet-asset', account: 'acct', operation: 'update', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ].map((n) => ({ z: 'tab', ...n })),
  ];
  await helper.load([...nodes, catchNode], flow, { acct: goodCredentials() });
  const out = collector(helper.getNode('out'));
  const caught = collector(helper.getNode('caught'));
  // Signed in before counting.
  helper.getNode('getter').receive({ assetId: SEED_IDS.firstAsset });
  await out.next();
  return { out, caught };
}

afterEach(() => runtime.sim.settings({ latencyMs: 0, rateLimitPerSecond: 0, rateLimitRetryAfter: true }));

it(`${DEFAULT_IN_FLIGHT + 44} messages at once: at most DEFAULT_IN_FLIGHT (${DEFAULT_IN_FLIGHT}) calls of the account at MediaValet at a time, every message answered`, async () => {
  const { out, caught } = await load();
  // Answers late enough that every call sent is still at the API when the last one arrives.
  await runtime.sim.settings({ latencyMs: 400 });
  await runtime.sim.resetCounters();
  const count = DEFAULT_IN_FLIGHT + 44;
  for (let i = 0; i < count; i++) helper.getNode('getter').receive({ assetId: SEED_IDS.firstAsset, seq: i });
  const answers = await out.next(count, 30_000);
  expect(new Set(answers.map((m) => m.seq)).size).toBe(count);
  expect(caught.messages).toHaveLength(0);
  const state = await runtime.sim.state();
  expect(state.api.requests).toBe(count);
  expect(state.throttle.maxInFlight).toBe(DEFAULT_IN_FLIGHT);
});

it('60 updates at once under 10 calls/s: all applied once, none lost, the account polite', async () => {
  const { out, caught } = await load();
  await runtime.sim.settings({ rateLimitPerSecond: 10, latencyMs: 10 });
  await runtime.sim.resetCounters();
  for (let i = 0; i < 60; i++) helper.getNode('updater').receive({ assetId: SEED_IDS.firstAsset, payload: { title: `Title ${i}` }, seq: i });
  const answers = await out.next(60, 60_000);
  expect(new Set(answers.map((m) => m.seq)).size).toBe(60);
  expect(caught.messages).toHaveLength(0);
  const state = await runtime.sim.state();
  expect(state.throttle.throttled).toBeGreaterThan(0);
  // At loopback speed no in-flight limit stays under a per-second rate: the 429s come once per
  // window, a handful each (the calls in flight then), and every Retry-After is waited out.
  expect(state.throttle.throttled).toBeLessThan(120);
  expect(state.api.byRoute['PATCH /assets/:id']).toBe(60);
}, 90_000);
