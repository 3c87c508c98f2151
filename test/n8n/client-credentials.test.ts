// The Client Credentials credential through n8n-core, on the strict simulator: the node's and
// the trigger's third Authentication choice, the token from the process's shared sign-in (a new
// one, never a refresh, after a 401), one token request for the process, both client
// authentications, and a client MediaValet has not enabled the grant for.
import { DEMO, type Sim } from '../helpers/simulator';
import { clientCredentials } from './credentials';
import { runNode, trigger } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

let sim: Sim;
const currentUser = { authentication: 'clientCredentials', resource: 'user', operation: 'getCurrent' };

beforeAll(async () => {
  sim = await startStrictSimulator();
});
afterAll(() => sim?.stop());
beforeEach(() => sim.resetCounters());

describe('Client Credentials credential', () => {
  it('signs in as the client (HTTP Basic) once for the process; items and later runs reuse the token', async () => {
    const credentials = clientCredentials(sim);
    const first = await runNode(credentials, currentUser, { input: [{ json: {} }, { json: {} }, { json: {} }] });
    expect(first.error).toBeUndefined();
    expect(first.items).toHaveLength(3);
    expect(first.items[0].json).toMatchObject({ id: DEMO.users[0].id });
    const second = await runNode(credentials, currentUser);
    expect(second.error).toBeUndefined();
    // The node takes its tokens from the process's shared sign-in, as the Password type does:
    // n8n's per-request credential step (preAuthentication, the header expressions) is not run.
    expect(credentials.counts.preAuthentication).toBe(0);
    const state = await sim.state();
    expect(state.identity.grants.client_credentials).toBe(1);
    expect(state.identity.grants.password ?? 0).toBe(0);
  });

  it('another credential of the same client in this process shares the token: no second request', async () => {
    const credentials = clientCredentials(sim);
    const { error } = await runNode(credentials, currentUser);
    expect(error).toBeUndefined();
    expect((await sim.state()).identity.tokenRequests).toBe(0);
  });

  it('after MediaValet answers 401, asks for a new token once (there is no refresh token) and retries', async () => {
    const credentials = clientCredentials(sim);
    await runNode(credentials, currentUser);
    await sim.revoke('access');
    await sim.resetCounters();
    const { items, error } = await runNode(credentials, currentUser, { input: [{ json: {} }, { json: {} }] });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(2);
    const state = await sim.state();
    expect(state.identity.grants.client_credentials).toBe(1);
    expect(state.identity.grants.refresh_token ?? 0).toBe(0);
    // Both items are in flight with the revoked token (at most one 401 each); one new token serves both.
    expect(state.api.unauthorized).toBeGreaterThanOrEqual(1);
    expect(state.api.unauthorized).toBeLessThanOrEqual(2);
  });

  it('sends the client id and secret in the body when Client Authentication says so', async () => {
    const credentials = clientCredentials(sim, { clientId: DEMO.servicePostClientId, clientAuth: 'post' });
    const { items, error } = await runNode(credentials, currentUser);
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: DEMO.users[0].id });
    expect((await sim.state()).identity.grants.client_credentials).toBe(1);
  });

  it('a client MediaValet has not enabled the grant for: every item says to ask MediaValet support or use Password, asked once', async () => {
    const credentials = clientCredentials(sim, { clientId: DEMO.clientId });
    const { items, error } = await runNode(credentials, currentUser, { input: [{ json: {} }, { json: {} }], continueOnFail: true });
    expect(error).toBeUndefined();
    for (const [index, item] of items.entries()) {
      expect(item.pairedItem).toEqual({ item: index });
      expect(item.json).toMatchObject({
        code: 'unauthorized_client',
        field: 'clientId',
        error: expect.stringMatching(/^MediaValet has not enabled client credentials for this client yet: ask MediaValet support, or use Password sign-in\./),
      });
    }
    expect((await sim.state()).identity.grantErrors.client_credentials).toBe(1);
    const failed = await runNode(credentials, currentUser);
    expect(failed.error?.message).toMatch(/has not enabled client credentials/);
  });

  it('a scope MediaValet refuses names the Scope field', async () => {
    const credentials = clientCredentials(sim, { scope: 'openid offline_access' });
    const { items } = await runNode(credentials, currentUser, { continueOnFail: true });
    expect(items[0].json).toMatchObject({ code: 'invalid_scope', field: 'scope', hint: expect.stringMatching(/Scope field/) });
  });

  it('the trigger polls with it', async () => {
    const credentials = clientCredentials(sim);
    const watcher = trigger(credentials, { authentication: 'clientCredentials', event: 'new', options: {} });
    expect(await watcher.poll()).toBeNull();
    expect(watcher.staticData['node:MediaValet Trigger']).toMatchObject({ position: expect.anything() });
  });
});
