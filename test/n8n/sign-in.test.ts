// The two credential types through n8n-core's request helpers: the password type's tokens from
// the process's shared sign-in (renewed once after a 401), its headers; the OAuth2 type through
// n8n-core's own requestOAuth2 (bearer, refresh on 401, rotated refresh token kept).
import { DEMO, type Sim } from '../helpers/simulator';
import { oauth2Credentials, passwordCredentials } from './credentials';
import { runNode } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

let sim: Sim;
const currentUser = { resource: 'user', operation: 'getCurrent' };

beforeAll(async () => {
  sim = await startStrictSimulator();
});
afterAll(() => sim?.stop());
beforeEach(() => sim.resetCounters());

describe('Password credential', () => {
  it('signs in once for the process, and the next run reuses the token without reading it from the credential again', async () => {
    const credentials = passwordCredentials(sim);
    const first = await runNode(credentials, { authentication: 'password', ...currentUser }, { input: [{ json: {} }, { json: {} }, { json: {} }] });
    expect(first.error).toBeUndefined();
    expect(first.items).toHaveLength(3);
    const second = await runNode(credentials, { authentication: 'password', ...currentUser });
    expect(second.items[0].json).toMatchObject({ id: DEMO.users[0].id });
    // The node takes its tokens from the process's shared sign-in: n8n's per-request credential
    // step (preAuthentication, the header expressions) is not run for its calls.
    expect(credentials.counts.preAuthentication).toBe(0);
    expect((await sim.state()).identity.grants.password).toBe(1);
  });

  it('after MediaValet answers 401, renews once and retries the request', async () => {
    const credentials = passwordCredentials(sim);
    await runNode(credentials, { authentication: 'password', ...currentUser });
    await sim.revoke('access');
    await sim.resetCounters();
    const { items, error } = await runNode(credentials, { authentication: 'password', ...currentUser });
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: DEMO.users[0].id });
    const state = await sim.state();
    // One token request: the process's shared sign-in renews with its refresh token (or the password when it has none).
    expect((state.identity.grants.password ?? 0) + (state.identity.grants.refresh_token ?? 0)).toBe(1);
    expect(state.api.unauthorized).toBe(1);
  });

  it('a refused password fails every item with what to fix, and is asked only once', async () => {
    const credentials = passwordCredentials(sim, { password: 'wrong-password' });
    const { items, error } = await runNode(credentials, { authentication: 'password', ...currentUser }, { input: [{ json: {} }, { json: {} }, { json: {} }], continueOnFail: true });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(3);
    // Accounts lock: one refused sign-in, not one per item or per retry.
    const state = await sim.state();
    expect(state.identity.grantErrors.password).toBe(1);
    for (const [index, item] of items.entries()) {
      expect(item.pairedItem).toEqual({ item: index });
      expect(item.json).toMatchObject({ error: expect.stringMatching(/rejected the username or password/), field: 'password' });
    }
  });

  it('sends the credential\'s subscription key: a wrong one is named', async () => {
    const credentials = passwordCredentials(sim, { subscriptionKey: 'not-the-key' });
    const { error } = await runNode(credentials, { authentication: 'password', ...currentUser });
    // n8n-workflow 2.11 (this harness) drops MediaValet's answer from the 401 it throws, so the
    // node knows only the status and names the field in the hint; real n8n 2.41 keeps the answer
    // and the e2e checks the exact "rejected the subscription key" message there.
    expect(error?.message).toMatch(/MediaValet rejected the subscription key|MediaValet answered 401/);
    expect(error?.description).toMatch(/Subscription Key field/);
    expect((error as { httpCode?: string }).httpCode).toBe('401');
    const { items } = await runNode(credentials, { authentication: 'password', ...currentUser }, { continueOnFail: true });
    expect(items[0].json).toMatchObject({ status: 401, hint: expect.stringMatching(/Subscription Key field/) });
  });
});

describe('OAuth2 credential', () => {
  it('sends the stored access token as a bearer token', async () => {
    const credentials = await oauth2Credentials(sim);
    await sim.resetCounters();
    const { items, error } = await runNode(credentials, currentUser);
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: DEMO.users[0].id });
    expect((await sim.state()).identity.tokenRequests).toBe(0);
  });

  it('on 401, n8n-core refreshes, saves the rotated refresh token and retries; the next run uses it', async () => {
    const credentials = await oauth2Credentials(sim);
    const before = credentials.stored.mediaValetOAuth2Api.oauthTokenData as { refresh_token: string; access_token: string };
    await sim.revoke('access');
    await sim.resetCounters();
    const { items, error } = await runNode(credentials, currentUser);
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: DEMO.users[0].id });
    expect(credentials.counts.oauthTokenSaves).toBe(1);
    const after = credentials.stored.mediaValetOAuth2Api.oauthTokenData as { refresh_token: string; access_token: string };
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).toEqual(expect.any(String));
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect((await sim.state()).identity.grants.refresh_token).toBe(1);
    // The old refresh token is spent; only the saved one works.
    await sim.revoke('access');
    const again = await runNode(credentials, currentUser);
    expect(again.error).toBeUndefined();
    expect(credentials.counts.oauthTokenSaves).toBe(2);
  });

  it('a revoked sign-in says to reconnect, once for all items', async () => {
    const credentials = await oauth2Credentials(sim);
    await sim.revoke('all');
    await sim.resetCounters();
    const { items } = await runNode(credentials, currentUser, { input: [{ json: {} }, { json: {} }], continueOnFail: true });
    expect(items).toHaveLength(2);
    for (const item of items) expect(item.json).toMatchObject({ code: 'reconnect_required', error: expect.stringMatching(/revoked|reconnect|Connect/i) });
    expect((await sim.state()).identity.grantErrors.refresh_token).toBe(1);
  });
});
