// mv upload's msg.url source in the real Node-RED runtime: a link streamed into a new
// asset with the dialog's metadata, bytes in msg.payload winning over a leftover msg.url,
// and a dead link going to Catch with the host and status.
import { createHash, randomBytes } from 'node:crypto';
import { SEED_IDS } from '../../simulator/index';
import { catchNode, collector, helper, nodes, tempUserDir } from '../helpers/node-red';
import { type FileServer, serveFiles } from '../helpers/file-server';
import { DEMO, Sim } from '../helpers/simulator';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const file = randomBytes(18 * 1024 * 1024 + 17);
let sim: Sim;
let files: FileServer;
let base: string;

beforeAll(async () => {
  sim = await Sim.start();
  files = await serveFiles({ '/pim/product-42.jpg': { type: 'image/jpeg', body: file } }, 410);
  base = files.base;
  helper.settings({ userDir: tempUserDir() });
  await new Promise((resolve) => helper.startServer(resolve));
});
afterEach(() => helper.unload());
afterAll(async () => {
  await new Promise((resolve) => helper.stopServer(resolve));
  await files.close();
  await sim.stop();
});

async function load() {
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true },
    ...[
      { id: 'up', type: 'mediavalet-upload', account: 'acct', title: 'PIM image', keywords: 'pim', categories: SEED_IDS.categories.shoes, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ].map((n) => ({ z: 'tab', ...n })),
  ];
  const creds = { acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } };
  await helper.load([...nodes, catchNode], flow, creds);
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

describe('mediavalet-upload from msg.url', () => {
  it('streams the linked file into blocks with the dialog\'s metadata, named by the link', async () => {
    const { out } = await load();
    helper.getNode('up').receive({ url: `${base}/pim/product-42.jpg` });
    const [msg] = await out.next(1, 30_000);
    expect(msg.payload).toMatchObject({ filename: 'product-42.jpg', method: 'blocks', sizeInBytes: file.length, sha256: sha(file) });
    expect(msg.payload.asset).toMatchObject({ title: 'PIM image', keywords: ['pim'], categories: [SEED_IDS.categories.shoes] });
    expect(msg.assetId).toBe(msg.payload.id);
  });

  it('uploads msg.payload bytes when both are set, and sends a dead link to Catch with the host and status', async () => {
    const { out, caught } = await load();
    helper.getNode('up').receive({ url: `${base}/gone`, payload: Buffer.from('bytes win'), filename: 'bytes.txt' });
    expect((await out.next())[0].payload).toMatchObject({ filename: 'bytes.txt', sizeInBytes: 9 });
    helper.getNode('up').receive({ url: `${base}/gone?sig=abc` });
    const [failed] = await caught.next();
    expect(failed.error.message).toMatch(/127\.0\.0\.1:\d+ answered HTTP 410/);
    expect(failed.error.message).not.toContain('sig=abc');
  });
});
