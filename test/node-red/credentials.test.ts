// Saved tokens belong to the exact credentials, and the exact Node-RED instance, that
// obtained them: a changed password or client secret signs in again at deploy and the
// nodes say how it went; Test Connection signs in with what the dialog holds; a token
// store copied from another instance is never replayed.
import fs from 'node:fs';
import path from 'node:path';
import { SEED_IDS } from '../../simulator/index';
import { catchNode, collector, helper, nodes, tempUserDir, wait } from '../helpers/node-red';
import { DEMO } from '../helpers/simulator';
import { forgetStatuses, goodCredentials as good, statusesOf, useRuntime } from './runtime';

const runtime = useRuntime();

/** Deploys an account and one asset Get node, as a full deploy does. */
async function deploy(creds: Record<string, string> = good(), account: Record<string, unknown> = {}) {
  await helper.unload();
  forgetStatuses();
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: runtime.sim.identityUrl, apiUrl: runtime.sim.apiUrl, allowInsecure: true, ...account },
    { id: 'getter', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'get', assetId: SEED_IDS.firstAsset, wires: [['out']] },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
  await helper.load([...nodes, catchNode], flow, { acct: creds });
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

/** The Get node's status once the deploy-time check has finished. */
async function statusAfterDeploy(predicate: (s: any) => boolean = (s) => s?.fill && s.fill !== 'blue') {
  for (let i = 0; i < 50; i++) {
    const last = statusesOf('getter').at(-1);
    if (predicate(last)) return last;
    await wait(100);
  }
  throw new Error(`no status from the deploy-time check: ${JSON.stringify(statusesOf('getter'))}`);
}

describe('changed credentials', () => {
  it.each([
    ['Password', { password: 'not-the-password' }, /Password/],
    ['Client Secret', { clientSecret: 'not-the-secret' }, /Client Secret/],
  ])('a wrong %s signs in again at deploy, once, and the node shows the refusal', async (_label, change, field) => {
    // Working tokens saved for the right credentials.
    let { out } = await deploy();
    helper.getNode('getter').receive({});
    expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);

    await runtime.sim.resetCounters();
    const deployed = await deploy({ ...good(), ...change });
    const status = await statusAfterDeploy();
    expect(status).toMatchObject({ fill: 'red', shape: 'ring' });
    expect(status.text).toMatch(/^MediaValet rejected the (username or password|client)/);
    // The flow does not run on the old tokens: the message fails, naming the field to fix.
    helper.getNode('getter').receive({});
    const [error] = await deployed.caught.next();
    expect(error.error.message).toMatch(field);
    expect(deployed.out.messages).toHaveLength(0);
    // One sign-in for the deploy and the message together: a refusal is not asked again (accounts lock).
    const state = await runtime.sim.state();
    expect(state.identity.tokenRequests).toBe(1);
    expect(state.api.requests ?? 0).toBe(0);

    // Back to the right credentials: the tokens saved for them fit again, no sign-in needed
    // (a renewal may happen with short-lived tokens: that is not a sign-in).
    await runtime.sim.resetCounters();
    ({ out } = await deploy());
    helper.getNode('getter').receive({});
    expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);
    expect((await runtime.sim.state()).identity.grants.password ?? 0).toBe(0);
  });

  it('new credentials sign in at deploy and say as whom; an unchanged redeploy or restart does not sign in again', async () => {
    fs.rmSync(path.join(runtime.userDir, '.mediavalet', 'tokens-acct.enc'), { force: true });
    await deploy();
    expect(await statusAfterDeploy()).toMatchObject({ fill: 'green', text: 'signed in as Dana Demo' });
    await runtime.sim.resetCounters();
    const { out } = await deploy();
    helper.getNode('getter').receive({});
    await out.next();
    expect((await runtime.sim.state()).identity.grants.password ?? 0).toBe(0);
  });

  it('authorization-code mode with changed credentials asks for Connect in the status', async () => {
    await deploy({ clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey }, { authMode: 'authorization_code' });
    expect(await statusAfterDeploy()).toMatchObject({ fill: 'yellow', text: expect.stringMatching(/press Connect/) });
  });
});

describe('Test Connection (password mode)', () => {
  const dialog = (overrides: Record<string, unknown> = {}) => ({ nodeId: 'not-deployed', identityUrl: runtime.sim.identityUrl, apiUrl: runtime.sim.apiUrl, apiVersion: '1.2', allowInsecure: true, clientAuth: 'basic', ...good(), ...overrides });

  it('signs in with the dialog\'s credentials for an account not yet deployed, and names the user', async () => {
    await runtime.sim.resetCounters();
    const response = await helper.request().post('/mediavalet/test').send(dialog());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: 'Dana Demo' });
    const state = await runtime.sim.state();
    expect(state.identity.grants.password).toBe(1);
    // Nothing saved for a node that does not exist.
    expect(fs.existsSync(path.join(runtime.userDir, '.mediavalet', 'tokens-not-deployed.enc'))).toBe(false);
  });

  it('resolves the editor\'s __PWRD__ placeholders against the deployed credentials', async () => {
    await deploy();
    const placeholders = { nodeId: 'acct', clientSecret: '__PWRD__', subscriptionKey: '__PWRD__', password: '__PWRD__' };
    const response = await helper.request().post('/mediavalet/test').send(dialog(placeholders));
    expect(response.status).toBe(200);
    expect(response.body.user).toBe('Dana Demo');
  });

  it('explains a wrong password by its field, with one sign-in and no secret', async () => {
    await runtime.sim.resetCounters();
    const response = await helper.request().post('/mediavalet/test').send(dialog({ password: 'wrong-password-typed-9' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/Password/);
    expect(response.body.field).toBe('password');
    expect(JSON.stringify(response.body)).not.toContain('wrong-password-typed-9');
    expect((await runtime.sim.state()).identity.tokenRequests).toBe(1);
  });

  it('names an unsafe URL by the label the dialog shows', async () => {
    const response = await helper.request().post('/mediavalet/test').send(dialog({ identityUrl: 'http://login.example.com' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^The Identity Server URL setting must use https:\/\//);
  });
});

describe('several Node-RED instances, one account', () => {
  it('a token store copied from another instance is not replayed: the copy signs in on its own and the original keeps working', async () => {
    // Instance A signs in and saves its tokens.
    let { out } = await deploy();
    helper.getNode('getter').receive({});
    await out.next();
    await helper.unload();
    // Its user directory is copied to make instance B (another path: another instance).
    const copy = tempUserDir();
    fs.cpSync(path.join(runtime.userDir, '.mediavalet'), path.join(copy, '.mediavalet'), { recursive: true });
    // A renews meanwhile: with rotation, the refresh token B holds is spent.
    await runtime.sim.revoke('access');
    ({ out } = await deploy());
    helper.getNode('getter').receive({});
    await out.next();
    await helper.unload();

    await runtime.sim.resetCounters();
    helper.settings({ userDir: copy });
    try {
      ({ out } = await deploy());
      expect((await statusAfterDeploy()).text).toBe('signed in as Dana Demo');
      helper.getNode('getter').receive({});
      expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);
      const state = await runtime.sim.state();
      // B signed in with the password and never sent A's spent refresh token: no refresh was
      // refused (a replay is refused, and on a strict server revokes A's grant too).
      expect(state.identity.grants.password).toBe(1);
      expect(state.identity.grantErrors.refresh_token ?? 0).toBe(0);
    } finally {
      await helper.unload();
      helper.settings({ userDir: runtime.userDir });
    }
    // A still works on its own tokens, renewing them as usual.
    await runtime.sim.revoke('access');
    await runtime.sim.resetCounters();
    ({ out } = await deploy());
    helper.getNode('getter').receive({});
    expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);
    const state = await runtime.sim.state();
    expect(state.identity.grants.refresh_token).toBeGreaterThanOrEqual(1);
    expect(state.identity.grantErrors.refresh_token ?? 0).toBe(0);
    expect(state.identity.grants.password ?? 0).toBe(0);
  });

  it('a store saved under another instance name is not used (settings.js mediavaletInstanceId)', async () => {
    helper.settings({ userDir: runtime.userDir, mediavaletInstanceId: 'red-1' });
    try {
      let { out } = await deploy();
      helper.getNode('getter').receive({});
      await out.next();
      await runtime.sim.resetCounters();
      helper.settings({ userDir: runtime.userDir, mediavaletInstanceId: 'red-2' });
      ({ out } = await deploy());
      helper.getNode('getter').receive({});
      await out.next();
      expect((await runtime.sim.state()).identity.grants.password).toBe(1);
      // The same name again uses its own store, with no sign-in.
      await runtime.sim.resetCounters();
      ({ out } = await deploy());
      helper.getNode('getter').receive({});
      await out.next();
      expect((await runtime.sim.state()).identity.grants.password ?? 0).toBe(0);
    } finally {
      helper.settings({ userDir: runtime.userDir });
    }
  });
});
