import fs from 'node:fs';
import path from 'node:path';
import { SEED_IDS } from '../../simulator/index';
import { signInOverHttp } from '../helpers/browserless-login';
import { collector, helper, nodes, tempUserDir } from '../helpers/node-red';
import { DEMO, Sim } from '../helpers/simulator';

const REDIRECT = 'http://127.0.0.1:1880/mediavalet/oauth/callback';
let sim: Sim;
let userDir: string;

beforeAll(async () => {
  sim = await Sim.start();
  userDir = tempUserDir();
  helper.settings({ userDir, mediavaletStateTTLSeconds: 2 });
  await new Promise((resolve) => helper.startServer(resolve));
});
afterEach(() => helper.unload());
afterAll(async () => {
  await new Promise((resolve) => helper.stopServer(resolve));
  await sim.stop();
});

const codeAccount = (id = 'acctCode') => ({ id, type: 'mediavalet-config', authMode: 'authorization_code', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true });
const codeCredentials = (id = 'acctCode') => ({ [id]: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey } });
const tokenFile = (id = 'acctCode') => path.join(userDir, '.mediavalet', `tokens-${id}.enc`);

async function loadFlow(extra: any[] = [], id = 'acctCode') {
  const flow = [{ id: 'tab', type: 'tab' }, codeAccount(id), ...extra.map((n) => ({ z: 'tab', ...n })), { id: 'out', z: 'tab', type: 'helper' }];
  await helper.load(nodes, flow, codeCredentials(id));
  return collector(helper.getNode('out'));
}

function start(body: Record<string, unknown> = {}) {
  return helper
    .request()
    .post('/mediavalet/oauth/start')
    .send({ nodeId: 'acctCode', identityUrl: sim.identityUrl, allowInsecure: true, clientId: DEMO.clientId, clientSecret: '__PWRD__', redirectUri: REDIRECT, ...body });
}

async function connect(): Promise<any> {
  const started = await start();
  expect(started.status).toBe(200);
  const back = await signInOverHttp(started.body.url, DEMO.users[0].username, DEMO.users[0].password, REDIRECT);
  return helper.request().get(`/mediavalet/oauth/callback${back.search}`);
}

describe('Connect to MediaValet (admin routes)', () => {
  it('starts with PKCE S256, a state and a nonce, using the deployed secret when the editor sends the placeholder', async () => {
    await loadFlow();
    const response = await start();
    expect(response.status).toBe(200);
    const url = new URL(response.body.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
  });

  it('refuses to start without a client id, with a foreign redirect URI, or over plain HTTP to a real host', async () => {
    await loadFlow();
    expect((await start({ clientId: '' })).body.error).toMatch(/Client ID/);
    expect((await start({ redirectUri: 'https://evil.example/steal' })).body.error).toMatch(/must end with \/mediavalet\/oauth\/callback/);
    expect((await start({ identityUrl: 'http://login.mediavalet.com', allowInsecure: false })).body.error).toMatch(/must use https/);
  });

  it('connects: signs in, exchanges the code, stores the tokens encrypted, and reports who is connected', async () => {
    await loadFlow();
    const response = await connect();
    expect(response.status).toBe(200);
    expect(response.text).toContain('Connected to MediaValet as Dana Demo.');
    const stored = fs.readFileSync(tokenFile(), 'utf8');
    expect(stored).not.toContain('refresh');
    expect(stored).not.toContain('Dana');
    const status = await helper.request().get('/mediavalet/oauth/status/acctCode');
    expect(status.body).toMatchObject({ connected: true, user: 'Dana Demo' });
  });

  it('rejects a forged state, a replayed state and an expired state', async () => {
    await loadFlow();
    const forged = await helper.request().get('/mediavalet/oauth/callback?code=abc&state=forged');
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('unknown, expired or already used');

    const started = await start();
    const back = await signInOverHttp(started.body.url, DEMO.users[0].username, DEMO.users[0].password, REDIRECT);
    expect((await helper.request().get(`/mediavalet/oauth/callback${back.search}`)).status).toBe(200);
    const replay = await helper.request().get(`/mediavalet/oauth/callback${back.search}`);
    expect(replay.status).toBe(400);

    const late = await start();
    const lateBack = await signInOverHttp(late.body.url, DEMO.users[0].username, DEMO.users[0].password, REDIRECT);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect((await helper.request().get(`/mediavalet/oauth/callback${lateBack.search}`)).status).toBe(400);
  });

  it('binds the state to its config node: the tokens land on the node that asked', async () => {
    await loadFlow();
    fs.rmSync(tokenFile('otherAcct'), { force: true });
    await connect();
    expect(fs.existsSync(tokenFile('otherAcct'))).toBe(false);
    expect(fs.existsSync(tokenFile())).toBe(true);
  });

  it('shows the sign-in error when the user cancels', async () => {
    await loadFlow();
    const started = await start();
    const url = new URL(started.body.url);
    // Simulate the identity server sending the user back with an error.
    const cancelled = await helper.request().get(`/mediavalet/oauth/callback?error=access_denied&error_description=cancelled&state=${url.searchParams.get('state')}`);
    expect(cancelled.status).toBe(400);
    expect(cancelled.text).toMatch(/did not grant access: access_denied \(cancelled\)/);
  });
});

describe('tokens across restarts, rotation and deletion', () => {
  it('keeps working after a restart even though every renewal rotated the refresh token', async () => {
    // Every message meets a revoked access token: it renews, and the simulator rotates each time.
    await loadFlow();
    await connect();
    await helper.unload();
    const asset = { id: 'fetcher', type: 'mediavalet-asset', account: 'acctCode', operation: 'get', assetId: SEED_IDS.firstAsset, wires: [['out']] };
    let out = await loadFlow([asset]);
    await sim.resetCounters();
    for (let i = 0; i < 3; i++) {
      await sim.revoke('access');
      helper.getNode('fetcher').receive({});
      await out.next();
    }
    expect((await sim.state()).identity.grants.refresh_token).toBe(3);
    // Restart: a new runtime load reads the last rotated refresh token from the store, and must renew with it.
    await helper.unload();
    out = await loadFlow([asset]);
    await sim.revoke('access');
    helper.getNode('fetcher').receive({});
    const [msg] = await out.next();
    expect(msg.payload.id).toBe(SEED_IDS.firstAsset);
    const state = await sim.state();
    expect(state.identity.grantErrors.refresh_token ?? 0).toBe(0);
    expect(state.identity.grants.refresh_token).toBe(4);
  });

  it('deletes the token file when the config node is deleted, not on redeploy', async () => {
    await loadFlow();
    await connect();
    expect(fs.existsSync(tokenFile())).toBe(true);
    await helper.setFlows([{ id: 'tab', type: 'tab' }, codeAccount(), { id: 'out', z: 'tab', type: 'helper' }], 'full', codeCredentials());
    expect(fs.existsSync(tokenFile())).toBe(true);
    await helper.setFlows([{ id: 'tab', type: 'tab' }, { id: 'out', z: 'tab', type: 'helper' }], 'full');
    expect(fs.existsSync(tokenFile())).toBe(false);
  });

  it('asks to reconnect when nothing is stored', async () => {
    fs.rmSync(tokenFile('fresh'), { force: true });
    const flow = [
      { id: 'tab', type: 'tab' },
      codeAccount('fresh'),
      { id: 'tok', z: 'tab', type: 'mediavalet-token', account: 'fresh', wires: [[]] },
      { id: 'catcher', z: 'tab', type: 'catch', scope: null, wires: [['out']] },
      { id: 'out', z: 'tab', type: 'helper' },
    ];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await helper.load([...nodes, require('@node-red/nodes/core/common/25-catch.js')], flow, codeCredentials('fresh'));
    const out = collector(helper.getNode('out'));
    helper.getNode('tok').receive({});
    const [msg] = await out.next();
    expect(msg.error.message).toMatch(/not connected yet.*Connect the MediaValet account first/);
  });
});
