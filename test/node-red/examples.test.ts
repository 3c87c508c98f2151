// Every example flow in examples/ runs in the real Node-RED runtime against the
// simulator: its debug nodes are swapped for collectors, its injects are triggered.
import fs from 'node:fs';
import path from 'node:path';
import { SEED_IDS } from '../../simulator/index';
import { gradientPng } from '../../simulator/png';
import { catchNode, collector, helper, httpRequestNode, nodes, tempUserDir, wait } from '../helpers/node-red';
import { DEMO, Sim } from '../helpers/simulator';

const core = (file: string) => require(require.resolve(`@node-red/nodes/core/${file}`));
const coreNodes = [catchNode, httpRequestNode, core('common/20-inject.js'), core('function/15-change.js'), core('storage/10-file.js')];
const dir = path.resolve(__dirname, '../../examples');
let sim: Sim;
let userDir: string;

beforeAll(async () => {
  sim = await Sim.start();
  userDir = tempUserDir();
  helper.settings({ userDir });
  await new Promise((resolve) => helper.startServer(resolve));
});
afterEach(() => helper.unload());
afterAll(async () => {
  await new Promise((resolve) => helper.stopServer(resolve));
  await sim.stop();
});

async function loadExample(file: string, tweak: (node: any) => void = () => undefined) {
  const flow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).map((node: any) => {
    if (node.type === 'debug') return { id: node.id, z: node.z, type: 'helper' };
    if (node.type === 'mediavalet-config') return { ...node, authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, allowInsecure: true };
    tweak(node);
    return node;
  });
  const account = flow.find((n: any) => n.type === 'mediavalet-config');
  await helper.load([...nodes, ...coreNodes], flow, {
    [account.id]: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password },
  });
  const debugs = flow.filter((n: any) => n.type === 'helper');
  return Object.fromEntries(debugs.map((n: any) => [n.id, collector(helper.getNode(n.id))]));
}

it('ships one example per node and nothing but Node-RED flows at the top level', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  const types = new Set(files.flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).map((n: any) => n.type)));
  for (const type of ['mediavalet-config', 'mediavalet-token', 'mediavalet-request', 'mediavalet-asset', 'mediavalet-upload', 'mediavalet-watch']) expect(types).toContain(type);
});

it('01 token + http request lists assets', async () => {
  const out = await loadExample('01 - Token and http request node.json');
  helper.getNode('tok-inject').receive({});
  const [msg] = await out['tok-debug'].next();
  expect(msg.statusCode).toBe(200);
  // The raw envelope, PascalCase on the strict simulator profile.
  expect((msg.payload.payload ?? msg.payload.Payload).assets).toHaveLength(5);
  expect(msg.headers).toBeUndefined();
});

it('02 search sends one message per image', async () => {
  const out = await loadExample('02 - Search assets.json');
  helper.getNode('srch-inject').receive({});
  const messages = await out['srch-debug'].next(12);
  expect(messages.every((m) => m.payload.assetType === 'Image')).toBe(true);
});

it('03 watch + download writes each new asset of the category to disk', async () => {
  const downloads = path.join(userDir, 'dl');
  const out = await loadExample('03 - Watch a category and download new assets.json', (node) => {
    if (node.type === 'mediavalet-watch') node.categoryId = SEED_IDS.categories.marketing;
    if (node.id === 'wch-name') node.rules[0].to = `"${downloads}/" & filename`;
  });
  await wait(800);
  const { client } = sim.connect();
  const { uploadAsset } = await import('../../core');
  const png = gradientPng(10, 10, [1, 2, 3]);
  await uploadAsset(client, { data: png, filename: 'campaign.png', categories: [SEED_IDS.categories.campaigns] });
  await uploadAsset(client, { data: png, filename: 'elsewhere.png', categories: [SEED_IDS.categories.brand] });
  helper.getNode('wch-watch').receive({});
  const [saved] = await out['wch-debug'].next();
  expect(saved.filename).toBe(`${downloads}/campaign.png`);
  expect(fs.readFileSync(saved.filename).equals(png)).toBe(true);
  await wait(300);
  expect(out['wch-debug'].messages).toHaveLength(1);
});

it('04 upload sends a file from disk with metadata', async () => {
  const file = path.join(userDir, 'example.png');
  fs.writeFileSync(file, gradientPng(20, 10, [200, 0, 0]));
  const out = await loadExample('04 - Upload a file with metadata.json', (node) => {
    if (node.id === 'up-inject') node.payload = file;
  });
  helper.getNode('up-inject').receive({ payload: file });
  const [msg] = await out['up-debug'].next();
  expect(msg.payload.asset).toMatchObject({ title: 'Uploaded from Node-RED', keywords: ['node-red', 'example'] });
  expect(msg.payload.asset.attributes[SEED_IDS.attributes.photographer]).toBe('Node-RED');
});

it('05 request lists categories, and every asset one by one', async () => {
  const out = await loadExample('05 - Any endpoint, every page.json');
  helper.getNode('req-inject').receive({});
  const [cats] = await out['req-debug'].next();
  expect(cats.payload.length).toBeGreaterThanOrEqual(5);
  const total = (await sim.state()).assets;
  helper.getNode('req-inject2').receive({});
  expect(await out['req-debug'].next(total)).toHaveLength(total);
});

it('06 update + tag changes an asset, and a bad field reaches the Catch node', async () => {
  const out = await loadExample('06 - Update and tag an asset.json');
  // The inject node sends its own configured asset id and changes.
  helper.getNode('upd-inject').receive({});
  const [msg] = await out['upd-debug'].next();
  expect(msg.payload).toEqual(expect.arrayContaining(['reviewed', 'web']));
  expect((await sim.asset(SEED_IDS.firstAsset)).title).toBe('Reviewed');
  helper.getNode('upd-update').receive({ assetId: SEED_IDS.firstAsset, payload: { attributes: { Mood: 'calm' } } });
  const [error] = await out['upd-err'].next();
  expect(error.error.message).toMatch(/no attribute named "Mood"/);
});
