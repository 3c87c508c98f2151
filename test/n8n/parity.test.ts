// The n8n side of "one feature set in both hosts", through n8n-core on the strict simulator:
// Simplify on the trigger (version 2; a saved version 1 trigger keeps the whole record),
// Upload From URL's destination as main fields (version 3; saved version 1 and 2 nodes keep
// them in Options), and New Version From URL streaming a link into an existing asset.
import { createHash, randomBytes } from 'node:crypto';
import { SEED_IDS } from '../../simulator/index';
import { type FileServer, serveFiles } from '../helpers/file-server';
import type { Sim } from '../helpers/simulator';
import type { TestCredentialsHelper } from './credentials-helper';
import { passwordCredentials } from './credentials';
import { runNode, trigger } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

const COMPACT_KEYS = ['id', 'title', 'fileName', 'type', 'sizeInBytes', 'contentType', 'uploadedAt', 'modifiedAt', 'categories', 'keywords', 'thumbnailUrl', 'originalUrl', 'linksExpireAt'];
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const big = randomBytes(17 * 1024 * 1024 + 3);
const small = Buffer.from('a small file from the CMS');
let sim: Sim;
let credentials: TestCredentialsHelper;
let files: FileServer;

beforeAll(async () => {
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
  files = await serveFiles({ '/cms/big.png': { type: 'image/png', body: big }, '/cms/small.txt': { type: 'text/plain', body: small } });
});
afterAll(async () => {
  await files.close();
  await sim?.stop();
});

const upload = (parameters: Record<string, unknown>, typeVersion = 3) =>
  runNode(credentials, { authentication: 'password', resource: 'upload', ...parameters } as never, { typeVersion });

describe('MediaValet Trigger Simplify', () => {
  it('version 2 emits the compact asset by default; a saved version 1 trigger the whole record', async () => {
    const v2 = trigger(credentials, { authentication: 'password', event: 'new', options: {} }, 2);
    const v1 = trigger(credentials, { authentication: 'password', event: 'new', options: {} }, 1);
    const whole = trigger(credentials, { authentication: 'password', event: 'new', options: {}, simplify: false }, 2);
    for (const t of [v2, v1, whole]) expect(await t.poll()).toBeNull();
    const { items, error } = await upload({ operation: 'uploadFromUrl', url: `${files.base}/cms/small.txt`, title: 'Trigger parity' });
    expect(error).toBeUndefined();
    const id = items[0].json.id;
    const [compact] = (await v2.poll())![0];
    expect(compact.json).toMatchObject({ id, title: 'Trigger parity', event: 'new' });
    expect(Object.keys(compact.json).sort()).toEqual([...COMPACT_KEYS, 'event'].sort());
    for (const t of [v1, whole]) {
      const [record] = (await t.poll())![0];
      expect(record.json).toMatchObject({ id, event: 'new', file: expect.objectContaining({ fileName: 'small.txt' }) });
      expect(record.json).not.toHaveProperty('uploadedAt');
    }
  });
});

describe('Upload From URL destination', () => {
  it('version 3 takes category, title and file name from main fields, and streams a large file in blocks', async () => {
    const { items, error } = await upload({
      operation: 'uploadFromUrl',
      url: `${files.base}/cms/big.png`,
      categoryIds: [SEED_IDS.categories.shoes],
      title: 'Main-field title',
      fileName: 'renamed.png',
      options: { keywords: 'cms, parity' },
    });
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ filename: 'renamed.png', method: 'blocks', sizeInBytes: big.length, sha256: sha256(big) });
    expect(items[0].json.asset).toMatchObject({ title: 'Main-field title', fileName: 'renamed.png', categories: [SEED_IDS.categories.shoes], keywords: ['cms', 'parity'] });
  });

  it('a saved version 1 or 2 node, with the destination in Options, still reads it', async () => {
    for (const typeVersion of [1, 2]) {
      const { items, error } = await upload({ operation: 'uploadFromUrl', url: `${files.base}/cms/small.txt`, options: { title: `Options title v${typeVersion}`, fileName: `old-${typeVersion}.txt`, categoryIds: [SEED_IDS.categories.brand] } }, typeVersion);
      expect(error).toBeUndefined();
      expect(items[0].json).toMatchObject({ filename: `old-${typeVersion}.txt` });
      expect(items[0].json.asset).toMatchObject({ categories: [SEED_IDS.categories.brand] });
      expect((items[0].json.asset as { title: string }).title).toBe(`Options title v${typeVersion}`);
    }
  });
});

describe('Search filters', () => {
  const search = (parameters: Record<string, unknown>, typeVersion: number) =>
    runNode(credentials, { authentication: 'password', resource: 'asset', operation: 'search', returnAll: true, simplify: false, ...parameters } as never, { typeVersion });
  const ids = (items: Array<{ json: Record<string, unknown> }>) => items.map((i) => i.json.id).sort();

  it('version 3 takes date ranges as one entry each and the expression from Options; a saved version 2 node its separate bounds and inline expression, to the same assets', async () => {
    const v3 = await search(
      { filterFields: { keywords: 'summer', uploadedBetween: { range: { from: '2026-01-06T00:00:00.000Z', to: '2026-01-14T00:00:00.000Z' } } }, options: { filters: '(AssetType EQ Image)' } },
      3,
    );
    const v2 = await search({ filterFields: { keywords: 'summer', uploadedFrom: '2026-01-06T00:00:00.000Z', uploadedTo: '2026-01-14T00:00:00.000Z', filters: '(AssetType EQ Image)' } }, 2);
    const all = await search({}, 3);
    expect(v3.error).toBeUndefined();
    expect(v2.error).toBeUndefined();
    expect(v3.items.length).toBeGreaterThan(0);
    expect(v3.items.length).toBeLessThan(all.items.length);
    expect(ids(v3.items)).toEqual(ids(v2.items));
    for (const { json } of v3.items) expect(Date.parse((json.record as { createdAt: string }).createdAt)).toBeGreaterThanOrEqual(Date.parse('2026-01-06T00:00:00.000Z'));
  });
});

describe('New Version From URL', () => {
  it('streams the link into the asset as its new version, keeping its id and title', async () => {
    const target = '10000000-0000-4000-8000-000000000005';
    const before = await sim.asset(target);
    const { items, error } = await upload({ operation: 'uploadVersionFromUrl', assetId: { __rl: true, mode: 'id', value: target }, url: `${files.base}/cms/big.png` });
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: target, method: 'blocks', sizeInBytes: big.length, sha256: sha256(big) });
    expect(items[0].json.asset).toMatchObject({ id: target, title: (before as { title: string }).title });
    const dead = await upload({ operation: 'uploadVersionFromUrl', assetId: { __rl: true, mode: 'id', value: target }, url: `${files.base}/cms/gone.png` });
    expect(dead.error?.message).toMatch(/answered HTTP 404/);
  });
});
