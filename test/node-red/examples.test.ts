// Every example flow in examples/ runs as shipped in the real Node-RED runtime against the
// simulator: each file is loaded as a user imports it, its own debug, inject, change and file
// nodes included. The one thing a user must fill in is the account, so only the config node
// gets what its dialog would hold for the simulator (sign-in mode, URLs, credentials).
import fs from 'node:fs';
import path from 'node:path';
import { SEED_IDS } from '../../simulator/index';
import { gradientPng } from '../../simulator/png';
import { catchNode, collector, helper, httpRequestNode, nodes, tempUserDir, wait } from '../helpers/node-red';
import { DEMO, Sim } from '../helpers/simulator';

const core = (file: string) => require(require.resolve(`@node-red/nodes/core/${file}`));
const coreNodes = [catchNode, httpRequestNode, core('common/20-inject.js'), core('common/21-debug.js'), core('function/15-change.js'), core('storage/10-file.js')];
const dir = path.resolve(__dirname, '../../examples');
const ACCOUNT_FIELDS = ['authMode', 'identityUrl', 'apiUrl', 'allowInsecure'];
let sim: Sim;
let userDir: string;
let workDir: string;
const startDir = process.cwd();

beforeAll(async () => {
  sim = await Sim.start();
  userDir = tempUserDir();
  // Relative paths in the examples (the download folder) are Node-RED's working directory.
  workDir = tempUserDir();
  process.chdir(workDir);
  helper.settings({ userDir });
  await new Promise((resolve) => helper.startServer(resolve));
  // Node-RED serves RED.httpNode on its server; the helper makes one per load and serves none:
  // serve the current one, so MediaValet (the simulator) reaches the events example's webhook.
  helper._app.use((req: any, res: any, next: any) => helper._registryUtil.createNodeApi({}).httpNode(req, res, next));
  // What a user of example 07 sets before starting Node-RED: where MediaValet reaches it.
  process.env.MEDIAVALET_PUBLIC_URL = helper.url();
});
afterEach(() => helper.unload());
afterAll(async () => {
  delete process.env.MEDIAVALET_PUBLIC_URL;
  process.chdir(startDir);
  await new Promise((resolve) => helper.stopServer(resolve));
  await sim.stop();
});

/** The example as a user imports it; every debug node's messages collected. */
async function loadExample(file: string) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const shipped = JSON.parse(text);
  const flow = JSON.parse(text).map((node: any) =>
    node.type === 'mediavalet-config' ? { ...node, authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, allowInsecure: true } : node,
  );
  // Nothing but the account's connection settings differs from the file.
  expect(flow.map((n: any) => (n.type === 'mediavalet-config' ? { ...n, ...Object.fromEntries(ACCOUNT_FIELDS.map((k) => [k, shipped.find((s: any) => s.id === n.id)[k]])) } : n))).toEqual(shipped);
  const account = flow.find((n: any) => n.type === 'mediavalet-config');
  await helper.load([...nodes, ...coreNodes], flow, {
    [account.id]: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password },
  });
  const debugs = flow.filter((n: any) => n.type === 'debug');
  return Object.fromEntries(debugs.map((n: any) => [n.id, collector(helper.getNode(n.id))]));
}

/** Presses an inject node's button, as the editor does. */
const press = (id: string) => helper.getNode(id).receive({});

it('ships one example per node and nothing but Node-RED flows at the top level', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  const types = new Set(files.flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).map((n: any) => n.type)));
  for (const type of ['mediavalet-config', 'mediavalet-token', 'mediavalet-request', 'mediavalet-asset', 'mediavalet-upload', 'mediavalet-watch', 'mediavalet-events']) expect(types).toContain(type);
});

it('every example deploys without a node that is "not properly configured" (JSONata and all)', async () => {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    await loadExample(file);
    // Errors (level 20) and warnings (30) at deploy: an invalid JSONata expression is one, and
    // the runtime then lists the node as "not properly configured".
    const problems = helper.log().args.map((a: any[]) => a[0]).filter((e: any) => e?.level <= 30 && e.id !== undefined);
    expect({ file, problems: problems.map((e: any) => `${e.type} ${e.id}: ${e.msg}`) }).toEqual({ file, problems: [] });
    await helper.unload();
  }
});

it('01 token + http request lists assets', async () => {
  const out = await loadExample('01 - Token and http request node.json');
  press('tok-inject');
  const [msg] = await out['tok-debug'].next();
  expect(msg.statusCode).toBe(200);
  // The raw envelope, PascalCase on the strict simulator profile.
  expect((msg.payload.payload ?? msg.payload.Payload).assets).toHaveLength(5);
  expect(msg.headers).toBeUndefined();
});

it('02 search sends one compact asset per image tagged demo, from the Filters rows', async () => {
  const out = await loadExample('02 - Search assets.json');
  press('srch-inject');
  const messages = await out['srch-debug'].next(12);
  expect(messages.every((m) => m.payload.type === 'Image' && m.payload.keywords.includes('demo'))).toBe(true);
  expect(messages.every((m) => !('record' in m.payload))).toBe(true);
});

it('04 uploads its sample image with metadata, and 03 downloads the new asset into mediavalet-downloads/', async () => {
  // 03 as shipped watches the whole library; its first poll sets the starting point.
  const watch = await loadExample('03 - Watch a category and download new assets.json');
  await wait(1000);
  const { client } = sim.connect();
  const { uploadAsset } = await import('../../core');
  const png = gradientPng(10, 10, [1, 2, 3]);
  await uploadAsset(client, { data: png, filename: 'campaign/shot.png', categories: [SEED_IDS.categories.campaigns] });
  press('wch-now');
  const [saved] = await watch['wch-debug'].next();
  // The name from MediaValet, made safe for a path: no folder taken from it.
  // The download's msg.filename is a safe base name (core's safeFileName): the path part is gone.
  expect(saved.filename).toBe('mediavalet-downloads/shot.png');
  expect(fs.readFileSync(path.join(workDir, saved.filename)).equals(png)).toBe(true);
  await wait(300);
  expect(watch['wch-debug'].messages).toHaveLength(1);
  expect(watch['wch-err'].messages).toHaveLength(0);
  await helper.unload();

  const out = await loadExample('04 - Upload a file with metadata.json');
  press('up-inject');
  const [msg] = await out['up-debug'].next();
  expect(msg.payload.asset).toMatchObject({ title: 'Uploaded from Node-RED', keywords: ['node-red', 'example'] });
  expect(msg.payload.asset.attributes[SEED_IDS.attributes.photographer]).toBe('Node-RED');
  const stored = await sim.asset(msg.payload.asset.id);
  expect(stored.file).toMatchObject({ fileName: 'node-red-example.png', contentType: 'image/png' });
  await helper.unload();

  // The demo's "Try:": what 04 uploads, 03 saves.
  const again = await loadExample('03 - Watch a category and download new assets.json');
  press('wch-now');
  const [next] = await again['wch-debug'].next();
  expect(next.filename).toBe('mediavalet-downloads/node-red-example.png');
  expect(fs.readFileSync(path.join(workDir, next.filename)).subarray(1, 4).toString()).toBe('PNG');
});

it('07 writes each new upload to mediavalet-events/ the moment SkyHOOK delivers it, once, and unsubscribes when removed', async () => {
  const out = await loadExample('07 - New uploads in real time.json');
  const webhook = (s: { url: string }) => s.url.startsWith(`${helper.url()}/mediavalet/events/`);
  let end = Date.now() + 15_000;
  while (!(await sim.skyhook()).subscriptions.some(webhook) && Date.now() < end) await wait(100);
  expect((await sim.skyhook()).subscriptions.filter(webhook).map((s) => s.events)).toEqual([['Asset.MediaFileAdded']]);
  // Every delivery twice, as Event Grid may do.
  await sim.settings({ skyhookDuplicateEvery: 1 } as never);
  try {
    const { client } = sim.connect();
    const { uploadAsset } = await import('../../core');
    const png = gradientPng(12, 12, [9, 8, 7]);
    // A name from MediaValet that tries to leave the folder.
    await uploadAsset(client, { data: png, filename: '../../live/event.png' });
    const [saved] = await out['evt-debug'].next();
    // The download's msg.filename is a safe base name (core's rule): no folder from the name.
    expect(saved.filename).toBe('mediavalet-events/event.png');
    expect(fs.readFileSync(path.join(workDir, saved.filename)).equals(png)).toBe(true);
    end = Date.now() + 10_000;
    const delivered = async () => (await sim.skyhook()).deliveries.filter((d) => d.type === 'Asset.MediaFileAdded' && d.outcome === 'delivered').length;
    while ((await delivered()) < 2 && Date.now() < end) await wait(100);
    expect(await delivered()).toBe(2);
    await wait(300);
    expect(out['evt-debug'].messages).toHaveLength(1);
    expect(out['evt-err'].messages).toHaveLength(0);
  } finally {
    await sim.settings({ profile: 'strict' } as never);
  }
  // Removed from the flows: no subscription left.
  await helper.setFlows(
    JSON.parse(fs.readFileSync(path.join(dir, '07 - New uploads in real time.json'), 'utf8')).filter((n: any) => n.type !== 'mediavalet-events').map((n: any) => (n.type === 'mediavalet-config' ? { ...n, authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, allowInsecure: true } : n)),
    'nodes',
  );
  end = Date.now() + 10_000;
  while ((await sim.skyhook()).subscriptions.some(webhook) && Date.now() < end) await wait(100);
  expect((await sim.skyhook()).subscriptions.filter(webhook)).toEqual([]);
});

it('05 request lists categories, and every asset one by one', async () => {
  const out = await loadExample('05 - Any endpoint, every page.json');
  press('req-inject');
  const [cats] = await out['req-debug'].next();
  expect(cats.payload.length).toBeGreaterThanOrEqual(5);
  const total = (await sim.state()).assets;
  press('req-inject2');
  expect(await out['req-debug'].next(total)).toHaveLength(total);
});

it('06 update + tag changes an asset, and a bad field reaches the Catch node', async () => {
  const out = await loadExample('06 - Update and tag an asset.json');
  // The inject node sends its own configured asset id and changes.
  press('upd-inject');
  const [msg] = await out['upd-debug'].next();
  expect(msg.payload).toEqual(expect.arrayContaining(['reviewed', 'web']));
  expect((await sim.asset(SEED_IDS.firstAsset)).title).toBe('Reviewed');
  helper.getNode('upd-update').receive({ assetId: SEED_IDS.firstAsset, payload: { attributes: { Mood: 'calm' } } });
  const [error] = await out['upd-err'].next();
  expect(error.error.message).toMatch(/no attribute named "Mood"/);
});
