// Every Asset operation of the MediaValet node, executed by n8n-core against the strict simulator.
import { SEED_IDS } from '../../simulator/index';
import type { Sim } from '../helpers/simulator';
import type { TestCredentialsHelper } from './credentials-helper';
import { passwordCredentials } from './credentials';
import { runNode } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

let sim: Sim;
let credentials: TestCredentialsHelper;
const A = SEED_IDS.firstAsset;
const B = '10000000-0000-4000-8000-000000000002';
const MISSING = '10000000-0000-4000-8000-999999999999';
const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const asset = (parameters: Record<string, unknown>, options?: Parameters<typeof runNode>[2]) =>
  runNode(credentials, { authentication: 'password', resource: 'asset', ...parameters } as never, options);

beforeAll(async () => {
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
});
afterAll(() => sim?.stop());

describe('Search', () => {
  it('returns up to Limit assets matching the text, each paired with its input item', async () => {
    const { items, error } = await asset({ operation: 'search', query: 'summer', returnAll: false, limit: 3 });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item.json.keywords).toContain('summer');
      expect(item.pairedItem).toEqual({ item: 0 });
    }
  });

  it('Return All pages past the 50-asset page cap and returns every asset once', async () => {
    await sim.bulk(100);
    const total = (await sim.state()).assets;
    expect(total).toBeGreaterThan(100);
    await sim.resetCounters();
    const { items, error } = await asset({ operation: 'search', query: '', returnAll: true, options: {} });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(total);
    expect(new Set(items.map((i) => i.json.id)).size).toBe(total);
    const searches = Object.entries((await sim.state()).api.byRoute).filter(([route]) => /search/i.test(route)).reduce((n, [, c]) => n + c, 0);
    expect(searches).toBeGreaterThanOrEqual(Math.ceil(total / 50));
  });

  it('scopes to a category chosen in the resource locator', async () => {
    const { items } = await asset({ operation: 'search', query: '', returnAll: true, options: { category: rl(SEED_IDS.categories.shoes), includeSubcategories: true } });
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.json.categories).toContain(SEED_IDS.categories.shoes);
  });
});

describe('Get', () => {
  it('gets each input item\'s asset by an expression, pairedItem per item', async () => {
    const { items, error } = await asset({ operation: 'get', assetId: '={{ $json.id }}' }, { input: [{ json: { id: A } }, { json: { id: B } }] });
    expect(error).toBeUndefined();
    expect(items.map((i) => [i.json.id, i.pairedItem])).toEqual([
      [A, { item: 0 }],
      [B, { item: 1 }],
    ]);
    expect(items[0].json).toMatchObject({ title: 'Coral gradient', file: { fileName: 'coral-gradient.png', contentType: 'image/png' } });
  });

  it('fails with MediaValet\'s answer, the HTTP status and a hint on the item', async () => {
    const { items, error } = await asset({ operation: 'get', assetId: MISSING });
    expect(items).toHaveLength(0);
    expect(error?.message).toMatch(`404 to GET /assets/${MISSING}`);
    expect(error?.message).toMatch(/was not found/);
    expect(error?.description).toMatch(/Check the id/);
    expect((error as { httpCode?: string }).httpCode).toBe('404');
    expect(error?.context?.itemIndex).toBe(0);
  });

  it('with Continue On Fail, a failed item becomes an error item and the others still run', async () => {
    const { items, error } = await asset({ operation: 'get', assetId: '={{ $json.id }}' }, { input: [{ json: { id: MISSING } }, { json: { id: A } }], continueOnFail: true });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ json: { status: 404, code: expect.any(String), hint: expect.stringMatching(/Check the id/) }, pairedItem: { item: 0 } });
    expect(items[0].json.error).toMatch(/was not found/);
    expect(items[1]).toMatchObject({ json: { id: A }, pairedItem: { item: 1 } });
  });
});

describe('Update', () => {
  it('changes title and an attribute picked by name', async () => {
    const { items, error } = await asset({
      operation: 'update',
      assetId: B,
      updateFields: { title: 'Renamed in n8n', altText: 'Alt from n8n' },
      attributes: { attribute: [{ name: 'Photographer', value: 'N. Core' }] },
    });
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: B, title: 'Renamed in n8n', altText: 'Alt from n8n' });
    const stored = await sim.asset(B);
    expect(JSON.stringify(stored)).toMatch(/Renamed in n8n/);
    expect(JSON.stringify(stored)).toMatch(/N\. Core/);
  });

  it('says what to fill in when no field is given', async () => {
    const { error } = await asset({ operation: 'update', assetId: B, updateFields: {}, attributes: {} });
    expect(error?.message).toMatch(/Nothing to update/);
  });
});

describe('Keywords and categories', () => {
  it('adds and removes keywords', async () => {
    const added = await asset({ operation: 'addKeywords', assetId: B, keywords: 'n8n-core, in-process' });
    expect(added.items[0].json).toMatchObject({ id: B, keywords: expect.arrayContaining(['n8n-core', 'in-process']) });
    const removed = await asset({ operation: 'removeKeywords', assetId: B, keywords: 'n8n-core, never-had-it' });
    expect(removed.error).toBeUndefined();
    expect(removed.items[0].json.keywords).not.toContain('n8n-core');
    expect(removed.items[0].json.keywords).toContain('in-process');
  });

  it('adds to and removes from a category chosen in the resource locator', async () => {
    const added = await asset({ operation: 'addCategory', assetId: B, category: rl(SEED_IDS.categories.brand) });
    expect((added.items[0].json.categories as Array<{ id: string }>).map((c) => c.id)).toContain(SEED_IDS.categories.brand);
    const removed = await asset({ operation: 'removeCategory', assetId: B, category: rl(SEED_IDS.categories.brand) });
    expect(removed.error).toBeUndefined();
    expect((removed.items[0].json.categories as Array<{ id: string }>).map((c) => c.id)).not.toContain(SEED_IDS.categories.brand);
  });
});

describe('Renditions, history and direct links', () => {
  it('lists renditions, one item each', async () => {
    const { items } = await asset({ operation: 'getRenditions', assetId: A });
    expect(items.map((i) => i.json.name)).toEqual(expect.arrayContaining(['thumb', 'original']));
    for (const item of items) expect(item.json.url).toMatch(/^http:\/\/127\.0\.0\.1/);
  });

  it('lists history entries up to Limit', async () => {
    await asset({ operation: 'update', assetId: A, updateFields: { description: 'history entry' }, attributes: {} });
    const { items } = await asset({ operation: 'getHistory', assetId: A, returnAll: false, limit: 1 });
    expect(items).toHaveLength(1);
    expect(items[0].json).toMatchObject({ action: expect.any(String), at: expect.any(String) });
  });

  it('creates a direct link once, then returns the same one', async () => {
    const first = await asset({ operation: 'getDirectLink', assetId: A });
    const second = await asset({ operation: 'getDirectLink', assetId: A });
    expect(first.items[0].json).toMatchObject({ assetId: A, created: true });
    expect(second.items[0].json).toMatchObject({ assetId: A, created: false, url: first.items[0].json.url });
  });
});

describe('Download', () => {
  it('puts the file in the named binary field (n8n\'s in-memory binary mode)', async () => {
    const { items, error } = await asset({ operation: 'download', assetId: A, rendition: 'original', binaryPropertyName: 'picture' });
    expect(error).toBeUndefined();
    const binary = items[0].binary?.picture;
    expect(binary).toMatchObject({ mimeType: 'image/png', fileName: 'coral-gradient.png', fileExtension: 'png' });
    const bytes = Buffer.from(binary!.data, 'base64');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBe((items[0].json.file as { sizeInBytes: number }).sizeInBytes);
    expect(items[0].json.id).toBe(A);
    expect(items[0].pairedItem).toEqual({ item: 0 });
  });

  it('downloads the thumbnail rendition', async () => {
    const { items } = await asset({ operation: 'download', assetId: A, rendition: 'thumb', binaryPropertyName: 'data' });
    const bytes = Buffer.from(items[0].binary!.data.data, 'base64');
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeLessThan((items[0].json.file as { sizeInBytes: number }).sizeInBytes);
  });
});

describe('Delete', () => {
  it('deletes the asset, after which Get answers 404', async () => {
    const victim = '10000000-0000-4000-8000-000000000003';
    const { items } = await asset({ operation: 'delete', assetId: victim });
    expect(items[0].json).toEqual({ id: victim, deleted: true });
    const after = await asset({ operation: 'get', assetId: victim });
    expect((after.error as { httpCode?: string }).httpCode).toBe('404');
  });
});
