// The n8n features in Node-RED, in the real runtime against the simulator: the filter rows
// of mv asset (typedInputs read per message, through core's buildFilters), Output compact
// or whole (a node deployed before the choice keeps the whole record), mv watch's compact
// output, and a new version of an asset streamed from a link (msg.url + msg.assetId).
import { createHash, randomBytes } from 'node:crypto';
import { SEED_IDS } from '../../simulator/index';
import { catchNode, collector, helper, nodes, tempUserDir, wait } from '../helpers/node-red';
import { statusesOf } from './runtime';
import { type FileServer, serveFiles } from '../helpers/file-server';
import { DEMO, Sim } from '../helpers/simulator';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const file = randomBytes(17 * 1024 * 1024 + 5);
const COMPACT_KEYS = ['id', 'title', 'fileName', 'type', 'sizeInBytes', 'contentType', 'uploadedAt', 'modifiedAt', 'categories', 'keywords', 'thumbnailUrl', 'originalUrl', 'linksExpireAt'];
let sim: Sim;
let files: FileServer;

beforeAll(async () => {
  sim = await Sim.start();
  files = await serveFiles({ '/cms/new-version.png': { type: 'image/png', body: file } });
  helper.settings({ userDir: tempUserDir() });
  await new Promise((resolve) => helper.startServer(resolve));
});
afterEach(() => helper.unload());
afterAll(async () => {
  await new Promise((resolve) => helper.stopServer(resolve));
  await files.close();
  await sim.stop();
});

async function load(extra: object[]) {
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true },
    ...[...extra, { id: 'out', type: 'helper' }, { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }].map((n) => ({ z: 'tab', ...n })),
  ];
  const creds = { acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } };
  await helper.load([...nodes, catchNode], flow, creds);
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

const search = (extra: object = {}) => ({ id: 'mv', type: 'mediavalet-asset', account: 'acct', operation: 'search', sort: 'record.createdAt A', searchOutput: 'array', wires: [['out']], ...extra });

describe('mv asset filter rows', () => {
  it('narrows by type, keyword, upload date and attribute, each row text or a msg property, as the raw expression would', async () => {
    const { out } = await load([
      search({
        output: 'compact',
        assetTypes: 'Image',
        filterKeywords: 'summer',
        uploadedFrom: 'since',
        uploadedFromType: 'msg',
        filterAttributes: [{ name: 'Usage Rights', value: 'rights', type: 'msg' }],
      }),
    ]);
    helper.getNode('mv').receive({ since: '2025-01-01', rights: 'Unrestricted' });
    const [rows] = await out.next();
    const u = SEED_IDS.attributes.usageRights;
    helper.getNode('mv').receive({
      search: { filters: `(AssetType EQ Image) AND (DateUploaded GE 2025-01-01T00:00:00.000Z) AND (Keywords/ANY(k: k EQ 'summer')) AND (Attributes/${u} EQ 'Unrestricted')` },
    });
    const [raw] = await out.next();
    expect(rows.payload.length).toBeGreaterThan(0);
    expect(rows.payload.map((a: { id: string }) => a.id)).toEqual(raw.payload.map((a: { id: string }) => a.id));
    for (const asset of rows.payload) expect(asset.keywords).toContain('summer');
    // A row from the message changes the answer: no asset was uploaded in 2999.
    helper.getNode('mv').receive({ since: '2999-01-01', rights: 'Unrestricted' });
    const [none] = await out.next();
    expect(none.payload).toEqual([]);
  });

  it('ANDs the raw expression with the rows, and a bad date or attribute goes to Catch naming the row', async () => {
    const { out } = await load([search({ output: 'compact', filterKeywords: 'summer', filters: "(Keywords/ANY(k: k EQ 'winter'))" })]);
    helper.getNode('mv').receive({});
    const [both] = await out.next();
    expect(both.payload).toEqual([]);
    await helper.unload();
    const bad1 = await load([search({ uploadedTo: 'not a date' })]);
    helper.getNode('mv').receive({});
    const [bad] = await bad1.caught.next();
    expect(bad.error.message).toMatch(/Uploaded To is not a date/);
    await helper.unload();
    const again = await load([search({ filterAttributes: [{ name: 'Shoe Size', value: '42', type: 'str' }] })]);
    helper.getNode('mv').receive({});
    const [unknown] = await again.caught.next();
    expect(unknown.error.message).toMatch(/no attribute named "Shoe Size"/);
  });
});

describe('mv asset Output', () => {
  const assetId = () => SEED_IDS.firstAsset;

  it('a node deployed before Output existed (no output property) still sends the whole record', async () => {
    const { out } = await load([{ id: 'mv', type: 'mediavalet-asset', account: 'acct', operation: 'get', assetId: assetId(), wires: [['out']] }]);
    helper.getNode('mv').receive({});
    const [msg] = await out.next();
    expect(msg.payload.id).toBe(assetId());
    expect(msg.payload.file).toEqual(expect.objectContaining({ fileName: expect.any(String) }));
    expect(msg.payload).not.toHaveProperty('uploadedAt');
  });

  it('compact (the default of a new node) sends core\'s compact asset for get, search and update', async () => {
    const { out } = await load([
      { id: 'mv', type: 'mediavalet-asset', account: 'acct', operation: 'get', assetId: assetId(), output: 'compact', wires: [['out']] },
      search({ id: 's', output: 'compact', limit: 2 }),
      { id: 'u', type: 'mediavalet-asset', account: 'acct', operation: 'update', assetId: assetId(), output: 'compact', altText: 'alt from parity', wires: [['out']] },
      { id: 'w', type: 'mediavalet-asset', account: 'acct', operation: 'search', output: 'whole', limit: 1, wires: [['out']] },
    ]);
    helper.getNode('mv').receive({});
    const [got] = await out.next();
    expect(Object.keys(got.payload).sort()).toEqual([...COMPACT_KEYS].sort());
    expect(got.payload.id).toBe(assetId());
    helper.getNode('s').receive({});
    const [found] = await out.next();
    expect(found.payload).toHaveLength(2);
    for (const a of found.payload) expect(Object.keys(a).sort()).toEqual([...COMPACT_KEYS].sort());
    helper.getNode('u').receive({});
    const [updated] = await out.next();
    expect(Object.keys(updated.payload).sort()).toEqual([...COMPACT_KEYS].sort());
    helper.getNode('w').receive({});
    const [whole] = await out.next();
    expect(whole.payload[0]).toHaveProperty('file');
  });
});

describe('mv watch Output', () => {
  it('compact sends the compact asset; without the property (an old flow) the whole record', async () => {
    const { out } = await load([
      { id: 'watch', type: 'mediavalet-watch', account: 'acct', event: 'new', interval: 3600, output: 'compact', wires: [['out']] },
      { id: 'old', type: 'mediavalet-watch', account: 'acct', event: 'new', interval: 3600, wires: [['out']] },
      { id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [['uploaded']] },
      { id: 'uploaded', type: 'helper' },
    ]);
    const uploaded = collector(helper.getNode('uploaded'));
    // Each watch's first poll sets its starting position (and shows "0 change(s)"), however busy the machine.
    const polled = (id: string) => statusesOf(id).some((st) => /change\(s\)/.test(st?.text ?? ''));
    for (let i = 0; i < 200 && !(polled('watch') && polled('old')); i++) await wait(100);
    expect(polled('watch') && polled('old')).toBe(true);
    helper.getNode('up').receive({ payload: Buffer.from('watched compact'), filename: 'compact.txt' });
    await uploaded.next(1, 30_000);
    helper.getNode('watch').receive({});
    const [compact] = await out.next(1, 30_000);
    expect(Object.keys(compact.payload).sort()).toEqual([...COMPACT_KEYS].sort());
    expect(compact.payload.fileName).toBe('compact.txt');
    helper.getNode('old').receive({});
    const [whole] = await out.next(1, 30_000);
    expect(whole.payload.file.fileName).toBe('compact.txt');
  });
});

describe('mv upload: new version from a link', () => {
  it('msg.url with msg.assetId streams the linked file into blocks as the asset\'s new version', async () => {
    const { out } = await load([{ id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [['out']] }]);
    helper.getNode('up').receive({ payload: Buffer.from('version one'), filename: 'versioned.png' });
    const [first] = await out.next();
    helper.getNode('up').receive({ url: `${files.base}/cms/new-version.png`, assetId: first.assetId });
    const [second] = await out.next(1, 30_000);
    expect(second.assetId).toBe(first.assetId);
    expect(second.payload).toMatchObject({ id: first.assetId, method: 'blocks', sizeInBytes: file.length, sha256: sha(file) });
  });
});
