// The account's third sign-in, client credentials, in the real Node-RED runtime against the
// strict simulator: signed in at deploy, a new token (never a refresh) when MediaValet refuses
// the old one, both client authentications, a client MediaValet has not enabled the grant for,
// and Test Connection.
import { SEED_IDS } from '../../simulator/index';
import { catchNode, collector, helper, nodes, wait } from '../helpers/node-red';
import { DEMO } from '../helpers/simulator';
import { forgetStatuses, statusesOf, useRuntime } from './runtime';

const runtime = useRuntime();
const service = () => ({ clientId: DEMO.serviceClientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey });

/** An account in client-credentials mode as the dialog saves it (its default scope included) and one asset Get node. */
async function deploy(creds: Record<string, string> = service(), account: Record<string, unknown> = {}) {
  await helper.unload();
  forgetStatuses();
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    {
      id: 'service',
      type: 'mediavalet-config',
      authMode: 'client_credentials',
      scope: 'openid api offline_access',
      clientAuth: 'basic',
      identityUrl: runtime.sim.identityUrl,
      apiUrl: runtime.sim.apiUrl,
      allowInsecure: true,
      ...account,
    },
    { id: 'getter', z: 'tab', type: 'mediavalet-asset', account: 'service', operation: 'get', assetId: SEED_IDS.firstAsset, wires: [['out']] },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
  await helper.load([...nodes, catchNode], flow, { service: creds });
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

async function statusAfterDeploy() {
  for (let i = 0; i < 50; i++) {
    const last = statusesOf('getter').at(-1);
    if (last?.fill && last.fill !== 'blue') return last;
    await wait(100);
  }
  throw new Error(`no status from the deploy-time check: ${JSON.stringify(statusesOf('getter'))}`);
}

describe('client-credentials account', () => {
  it('signs in at deploy as the client, says as whom, and the flow runs on that token', async () => {
    await runtime.sim.resetCounters();
    const { out } = await deploy();
    expect(await statusAfterDeploy()).toMatchObject({ fill: 'green', text: 'signed in as Dana Demo' });
    helper.getNode('getter').receive({});
    expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);
    const state = await runtime.sim.state();
    expect(state.identity.grants.client_credentials).toBe(1);
    expect(state.identity.grants.password ?? 0).toBe(0);
  });

  it('a token MediaValet refuses is replaced by a new token request, never a refresh', async () => {
    const { out } = await deploy();
    helper.getNode('getter').receive({});
    expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);
    await runtime.sim.revoke('access');
    await runtime.sim.resetCounters();
    helper.getNode('getter').receive({});
    expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);
    const state = await runtime.sim.state();
    expect(state.identity.grants.client_credentials).toBe(1);
    expect(state.identity.grants.refresh_token ?? 0).toBe(0);
  });

  it('sends the client id and secret in the body when Client Authentication says so', async () => {
    await runtime.sim.resetCounters();
    const { out } = await deploy({ ...service(), clientId: DEMO.servicePostClientId }, { clientAuth: 'post', scope: 'api:service_principal' });
    expect(await statusAfterDeploy()).toMatchObject({ fill: 'green' });
    helper.getNode('getter').receive({});
    expect((await out.next())[0].payload.id).toBe(SEED_IDS.firstAsset);
    expect((await runtime.sim.state()).identity.grants.client_credentials).toBe(1);
  });

  it('a client MediaValet has not enabled the grant for: the status and the error say to ask MediaValet support or use Password, asked once', async () => {
    await runtime.sim.resetCounters();
    const { out, caught } = await deploy({ ...service(), clientId: DEMO.clientId });
    const status = await statusAfterDeploy();
    expect(status).toMatchObject({ fill: 'red', shape: 'ring' });
    // A status is short: the start of the message, the whole of it in the error below.
    expect(status.text).toMatch(/^MediaValet has not enabled client credentials/);
    helper.getNode('getter').receive({});
    const [error] = await caught.next();
    expect(error.error.message).toMatch(/ask MediaValet support, or use Password sign-in.*Client ID/);
    expect(out.messages).toHaveLength(0);
    expect((await runtime.sim.state()).identity.tokenRequests).toBe(1);
  });
});

describe('Test Connection (client-credentials mode)', () => {
  const dialog = (overrides: Record<string, unknown> = {}) => ({
    nodeId: 'not-deployed',
    authMode: 'client_credentials',
    identityUrl: runtime.sim.identityUrl,
    apiUrl: runtime.sim.apiUrl,
    apiVersion: '1.2',
    scope: 'api:service_principal',
    allowInsecure: true,
    clientAuth: 'basic',
    ...service(),
    ...overrides,
  });

  it('signs in as the client with what the dialog holds and names the user it acts for', async () => {
    await runtime.sim.resetCounters();
    const response = await helper.request().post('/mediavalet/test').send(dialog());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: 'Dana Demo' });
    const state = await runtime.sim.state();
    expect(state.identity.grants.client_credentials).toBe(1);
    expect(state.identity.grants.password ?? 0).toBe(0);
  });

  it('a client without the grant: the answer names the Client ID and what to do', async () => {
    const response = await helper.request().post('/mediavalet/test').send(dialog({ clientId: DEMO.clientId }));
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('clientId');
    expect(response.body.error).toMatch(/^MediaValet has not enabled client credentials for this client yet: ask MediaValet support, or use Password sign-in/);
  });

  it('a scope MediaValet refuses names the Scope field', async () => {
    const response = await helper.request().post('/mediavalet/test').send(dialog({ scope: 'openid offline_access' }));
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('scope');
    expect(response.body.error).toMatch(/Scope field/);
  });
});
