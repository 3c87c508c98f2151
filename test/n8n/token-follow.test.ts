// Tokens follow use (issue 19): many executions at once through n8n-core on the strict profile,
// access tokens that live a few seconds, every answer late (a busy machine, a WAN) so tokens
// expire on the way, and every token revoked mid-run. None may fail: a 401 for a token older
// than the one now held is retried with the current one, an expired one renews again, and only
// a token refused while fresh is an error.
import { DEMO, type Sim } from '../helpers/simulator';
import { passwordCredentials } from './credentials';
import { runNode } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

let sim: Sim;
beforeAll(async () => {
  sim = await startStrictSimulator();
});
afterAll(() => sim?.stop());

it('60 executions at once, 3-second tokens, answers 1.2 s late, a revocation mid-run: none fails', async () => {
  await sim.settings({ accessTokenTTL: 3, latencyMs: 1200 });
  const credentials = passwordCredentials(sim);
  const input = [{ json: {} }, { json: {} }, { json: {} }, { json: {} }];
  const runs = Array.from({ length: 60 }, (_, i) =>
    new Promise((resolve) => setTimeout(resolve, (i % 20) * 150)).then(() => runNode(credentials, { authentication: 'password', resource: 'user', operation: 'getCurrent', itemsInFlight: 1 }, { input })),
  );
  const revoked = new Promise((resolve) => setTimeout(resolve, 2500)).then(() => sim.revoke('access'));
  const results = await Promise.all(runs);
  expect((await revoked).revoked).toBeGreaterThan(0);
  const failed = results.filter((r) => r.error);
  expect(failed.map((r) => r.error?.message)).toEqual([]);
  for (const r of results) expect(r.items.map((item) => item.json.id)).toEqual([DEMO.users[0].id, DEMO.users[0].id, DEMO.users[0].id, DEMO.users[0].id]);
  const state = await sim.state();
  expect(state.api.unauthorized).toBeGreaterThan(0);
  // Renewals follow the tokens: a handful, never one per execution.
  expect((state.identity.grants.password ?? 0) + (state.identity.grants.refresh_token ?? 0)).toBeLessThan(30);
}, 120_000);
