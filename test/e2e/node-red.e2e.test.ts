// Node-RED end to end: the packed Node-RED package uploaded to the palette manager of a fresh Node-RED
// started from its CLI with admin authentication, the editor driven in headless Chromium
// to connect the account, then a deployed flow calling MediaValet before and after a
// restart that follows several refresh-token rotations; Test Connection in password mode.
import fs from 'node:fs';
import path from 'node:path';
import { DEMO, Sim } from '../helpers/simulator';
import { ARTIFACTS, e2eEnv, freePort, launchChromium, nodeRedTarball, ROOT, waitFor } from './env';
import { ADMIN, NodeRedProcess } from './node-red-runtime';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

/** Signs in to the editor as the admin and opens the account's config dialog. */
async function openAccount(browser: Awaited<ReturnType<typeof launchChromium>>, url: string, accountId: string) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.fill('#node-dialog-login-username', ADMIN.username);
  await page.fill('#node-dialog-login-password', ADMIN.password);
  await page.click('#node-dialog-login-submit');
  await page.waitForFunction((id) => (window as any).RED?.nodes?.node(id), accountId, { timeout: 60_000 });
  // Node-RED 4.1 asks about update notifications on first use.
  await page.click('text=No, do not enable notifications', { timeout: 2000 }).catch(() => undefined);
  await page.evaluate((id) => (window as any).RED.editor.editConfig('', 'mediavalet-config', id), accountId);
  return page;
}

const runtimes = [
  { name: 'Node-RED 4.1 on Node 20', node: () => process.execPath, red: () => require.resolve('node-red/red.js', { paths: [ROOT] }) },
  { name: 'Node-RED 5 on Node 24', node: () => e2eEnv().NODE24, red: () => e2eEnv().NODERED5_JS },
];

describe.each(runtimes)('$name', (runtime) => {
  let sim: Sim;
  let red: NodeRedProcess;
  let port: number;
  let installed: Awaited<ReturnType<NodeRedProcess['installFromPalette']>>;

  /** The account as the editor would deploy it, pointing at this run's simulator. */
  const account = (id: string, authMode: 'authorization_code' | 'password') => ({
    id,
    type: 'mediavalet-config',
    name: authMode === 'password' ? 'Password account' : 'Simulator',
    authMode,
    identityUrl: sim.identityUrl,
    apiUrl: sim.apiUrl,
    apiVersion: '1.2',
    scope: 'openid api offline_access',
    clientAuth: 'basic',
    allowInsecure: true,
    redirectUri: '',
    credentials: {
      clientId: 'mv-demo-client',
      clientSecret: DEMO.clientSecret,
      subscriptionKey: DEMO.subscriptionKey,
      ...(authMode === 'password' ? { username: DEMO.users[0].username, password: DEMO.users[0].password } : {}),
    },
  });

  beforeAll(async () => {
    port = await freePort();
    // The strict profile rotates the refresh token at every renewal; each call below meets a revoked access token, so each renews.
    sim = await Sim.start({ redirectUris: [`http://127.0.0.1:${port}/mediavalet/oauth/callback`] });
    const userDir = NodeRedProcess.prepare();
    red = new NodeRedProcess(runtime.node(), runtime.red(), userDir, port);
    await red.start();
    installed = await red.installFromPalette(nodeRedTarball());
  });
  afterAll(async () => {
    await red?.stop();
    await sim?.stop();
  });

  it('installs from the tarball through the palette manager, without pulling n8n or native modules into the user directory', () => {
    expect(installed.nodes.map((n) => [n.id.split('/').pop(), n.types, n.enabled, n.err ?? ''])).toEqual(
      ['mediavalet-config', 'mediavalet-token', 'mediavalet-request', 'mediavalet-asset', 'mediavalet-upload', 'mediavalet-watch', 'mediavalet-events'].map((id) => [id, [id], true, '']),
    );
    const modules = path.join(red.userDir, 'node_modules');
    expect(JSON.parse(fs.readFileSync(path.join(red.userDir, 'package.json'), 'utf8')).dependencies[installed.name]).toMatch(/^file:nodes\//);
    expect(fs.existsSync(path.join(modules, installed.name, 'dist', 'node-red', 'mediavalet-config.js'))).toBe(true);
    expect(fs.existsSync(path.join(modules, installed.name, 'dist', 'nodes'))).toBe(false);
    expect(fs.existsSync(path.join(modules, 'n8n-workflow'))).toBe(false);
    expect(fs.existsSync(path.join(modules, 'isolated-vm'))).toBe(false);
    expect(red.log).not.toMatch(/\[mediavalet-[a-z]+\] (Error|Type already registered)/);
  });

  it('enforces admin permission on the Connect routes', async () => {
    const start = await fetch(`${red.url}/mediavalet/oauth/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(start.status).toBe(401);
    expect((await fetch(`${red.url}/mediavalet/oauth/status/acct`)).status).toBe(401);
    const test = await fetch(`${red.url}/mediavalet/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(test.status).toBe(401);
    const token = await red.adminToken();
    expect((await fetch(`${red.url}/mediavalet/oauth/status/acct`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('connects from the editor, lists assets, and still works after a restart that follows rotations', async () => {
    await red.deploy([
      { id: 'tab', type: 'tab', label: 'e2e' },
      account('acct', 'authorization_code'),
      { id: 'in', z: 'tab', type: 'http in', url: '/mv-e2e', method: 'get', wires: [['list']] },
      { id: 'list', z: 'tab', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', returnAll: 'single', wires: [['reply']] },
      { id: 'reply', z: 'tab', type: 'http response', wires: [] },
      { id: 'catcher', z: 'tab', type: 'catch', scope: null, wires: [['failed']] },
      { id: 'failed', z: 'tab', type: 'change', rules: [{ t: 'set', p: 'statusCode', pt: 'msg', to: '500', tot: 'num' }, { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }], wires: [['reply']] },
    ]);
    // Deploying returns before the flows have started.
    const before = await waitFor('the deployed flow', async () => {
      const response = await fetch(`${red.url}/mv-e2e`);
      return response.status === 404 ? undefined : response;
    });
    expect(before.status).toBe(500);
    expect(await before.text()).toMatch(/not connected yet/);

    const browser = await launchChromium();
    try {
      const page = await openAccount(browser, red.url, 'acct');
      await page.waitForSelector('#mv-connect', { state: 'visible' });
      await page.waitForFunction(() => document.querySelector('#mv-redirect-uri')?.textContent?.endsWith('/mediavalet/oauth/callback'));
      expect(await page.textContent('#mv-redirect-uri')).toBe(`${red.url}/mediavalet/oauth/callback`);
      await page.screenshot({ path: path.join(ARTIFACTS, `node-red-config-${port}.png`) });
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#mv-connect')]);
      await popup.waitForSelector('#username');
      await popup.fill('#username', 'demo@mediavalet.test');
      await popup.fill('#password', DEMO.users[0].password);
      await popup.click('#sign-in');
      await popup.waitForEvent('close', { timeout: 15_000 }).catch(async () => {
        throw new Error(`the sign-in window did not close; it shows ${popup.url()}: ${(await popup.textContent('body'))?.slice(0, 300)}`);
      });
      await page.waitForFunction(() => /Connected as Dana Demo/.test(document.querySelector('#mv-connect-status')?.textContent ?? ''), null, { timeout: 30_000 });
      await page.screenshot({ path: path.join(ARTIFACTS, `node-red-connected-${port}.png`) });
      record('node-red editor', await page.textContent('body'));
    } finally {
      await browser.close();
    }

    await sim.resetCounters();
    for (let i = 0; i < 3; i++) {
      await sim.revoke('access');
      const response = await fetch(`${red.url}/mv-e2e`);
      expect(response.status).toBe(200);
      const body = await response.json();
      record('node-red output', body);
      expect(body.assets.length).toBeGreaterThan(0);
    }
    expect((await sim.state()).identity.grants.refresh_token).toBe(3);

    await red.stop();
    await red.start();
    // The restarted runtime must renew with the last rotated refresh token it stored.
    await sim.revoke('access');
    const after = await waitFor('the flow after restart', async () => {
      const response = await fetch(`${red.url}/mv-e2e`);
      return response.status === 200 ? response.json() : undefined;
    });
    expect(after.assets.length).toBeGreaterThan(0);
    const state = await sim.state();
    expect(state.identity.grantErrors.refresh_token ?? 0).toBe(0);
    expect(state.identity.grants.refresh_token).toBe(4);
  });

  it('Test Connection in password mode: the deployed account, and a wrong password typed in the dialog before deploying', async () => {
    await red.deploy([
      { id: 'tab', type: 'tab', label: 'e2e' },
      account('pwacct', 'password'),
      { id: 'get', z: 'tab', type: 'mediavalet-request', account: 'pwacct', method: 'GET', path: '/users/current', returnAll: 'single', wires: [[]] },
    ]);
    const browser = await launchChromium();
    try {
      const page = await openAccount(browser, red.url, 'pwacct');
      await page.waitForSelector('#mv-test', { state: 'visible' });
      expect(await page.isVisible('#mv-connect')).toBe(false);
      // The deployed credentials reach the route as Node-RED's __PWRD__ placeholders.
      expect(await page.inputValue('#node-config-input-password')).toBe('__PWRD__');
      await sim.resetCounters();
      await page.click('#mv-test');
      await page.waitForFunction(() => /^Connected as Dana Demo$/.test(document.querySelector('#mv-test-status')?.textContent ?? ''), null, { timeout: 30_000 });
      expect((await sim.state()).identity.grants.password).toBe(1);
      // "Connected as" belongs to the mode that connected: not to authorization code.
      await page.selectOption('#node-config-input-authMode', 'authorization_code');
      expect(await page.textContent('#mv-connect-status')).not.toMatch(/Connected as/);
      await page.selectOption('#node-config-input-authMode', 'password');
      // A wrong password typed in the dialog, not deployed: one sign-in, the field named.
      await page.fill('#node-config-input-password', 'typed-wrong-password-1');
      await sim.resetCounters();
      await page.click('#mv-test');
      await page.waitForFunction(() => /^Failed: /.test(document.querySelector('#mv-test-status')?.textContent ?? ''), null, { timeout: 30_000 });
      const failed = (await page.textContent('#mv-test-status')) ?? '';
      expect(failed).toMatch(/username or password/);
      expect(failed).toMatch(/Password field/);
      expect(failed).not.toContain('typed-wrong-password-1');
      expect((await sim.state()).identity.tokenRequests).toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, `node-red-test-connection-${port}.png`) });
      record('node-red editor', await page.textContent('body'));
    } finally {
      await browser.close();
    }
  });
});
