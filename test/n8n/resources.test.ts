// Upload, Category, Keyword, Attribute, User, API Request and Auth operations of the MediaValet
// node, executed by n8n-core against the strict simulator.
import { createHash } from 'node:crypto';
import type { INodeExecutionData } from 'n8n-workflow';
import { SEED_IDS } from '../../simulator/index';
import { DEMO, type Sim } from '../helpers/simulator';
import type { TestCredentialsHelper } from './credentials-helper';
import { passwordCredentials } from './credentials';
import { loadList, runNode } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

let sim: Sim;
let credentials: TestCredentialsHelper;
const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const node = (resource: string, parameters: Record<string, unknown>, options?: Parameters<typeof runNode>[2]) =>
  runNode(credentials, { authentication: 'password', resource, ...parameters } as never, options);

/** An input item carrying a file, as n8n's Read File or HTTP Request nodes hand it on (in-memory mode). */
function fileItem(bytes: Buffer, fileName: string, mimeType: string, field = 'data'): INodeExecutionData {
  return { json: { name: fileName }, binary: { [field]: { data: bytes.toString('base64'), mimeType, fileName, fileSize: `${bytes.length} B` } } };
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
});
afterAll(() => sim?.stop());

describe('Upload', () => {
  it('Upload File sends the input binary with its metadata; the asset downloads byte-identical', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 7)]);
    const { items, error } = await node(
      'upload',
      {
        operation: 'uploadFile',
        binaryPropertyName: 'file',
        options: { title: 'Brochure from n8n', keywords: 'brochure, n8n', categoryIds: [SEED_IDS.categories.brand], attributes: { attribute: [{ name: 'Usage Rights', value: 'Partners' }] } },
      },
      { input: [fileItem(bytes, 'brochure.pdf', 'application/pdf', 'file')] },
    );
    expect(error).toBeUndefined();
    expect(items[0]).toMatchObject({ json: { filename: 'brochure.pdf', sizeInBytes: bytes.length, sha256: sha256(bytes) }, pairedItem: { item: 0 } });
    const id = items[0].json.id as string;
    const stored = JSON.stringify(await sim.asset(id));
    expect(stored).toMatch(/Brochure from n8n/);
    expect(stored).toMatch(/Partners/);
    expect(stored).toContain(SEED_IDS.categories.brand);
    const back = await node('asset', { operation: 'download', assetId: id, rendition: 'original', binaryPropertyName: 'data' });
    expect(sha256(Buffer.from(back.items[0].binary!.data.data, 'base64'))).toBe(sha256(bytes));
  });

  it('Upload New Version replaces the file of an existing asset', async () => {
    const target = '10000000-0000-4000-8000-000000000004';
    const before = await sim.asset(target);
    const bytes = Buffer.alloc(2048, 3);
    const { items, error } = await node('upload', { operation: 'uploadVersion', assetId: target, binaryPropertyName: 'data' }, { input: [fileItem(bytes, 'v2.bin', 'application/octet-stream')] });
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: target, sizeInBytes: 2048 });
    const after = await sim.asset(target);
    expect(JSON.stringify(after)).not.toEqual(JSON.stringify(before));
    const back = await node('asset', { operation: 'download', assetId: target, rendition: 'original', binaryPropertyName: 'data' });
    expect(Buffer.from(back.items[0].binary!.data.data, 'base64').equals(bytes)).toBe(true);
  });

  it('names the missing binary field, and with Continue On Fail the next file still uploads', async () => {
    const { items } = await node('upload', { operation: 'uploadFile', binaryPropertyName: 'data', options: {} }, { input: [{ json: {} }, fileItem(Buffer.from('hello'), 'hello.txt', 'text/plain')], continueOnFail: true });
    expect(items).toHaveLength(2);
    expect(items[0].pairedItem).toEqual({ item: 0 });
    expect(items[0].json.error).toMatch(/data/);
    expect(items[1]).toMatchObject({ json: { filename: 'hello.txt', sizeInBytes: 5 }, pairedItem: { item: 1 } });
  });
});

describe('Category', () => {
  it('Get Many lists the tree sorted by path', async () => {
    const { items } = await node('category', { operation: 'getMany' });
    const paths = items.map((i) => String(i.json.path));
    expect(paths).toEqual(expect.arrayContaining(['/Marketing', '/Marketing/Campaigns 2026', '/Products/Shoes']));
    expect([...paths].sort((a, b) => a.localeCompare(b))).toEqual(paths);
  });

  it('Create makes a category inside a parent; Get returns it', async () => {
    const created = await node('category', { operation: 'create', name: 'Made by n8n', options: { parent: rl(SEED_IDS.categories.products) } });
    expect(created.items[0].json).toMatchObject({ name: 'Made by n8n', parentId: SEED_IDS.categories.products });
    const got = await node('category', { operation: 'get', category: rl(created.items[0].json.id as string) });
    expect(got.items[0].json).toMatchObject({ id: created.items[0].json.id, path: '/Products/Made by n8n' });
  });

  it('Get Assets lists a category\'s assets, up to Limit', async () => {
    const all = await node('category', { operation: 'getAssets', category: rl(SEED_IDS.categories.marketing), returnAll: true });
    expect(all.items.length).toBeGreaterThan(1);
    for (const item of all.items) expect(item.json.categories).toContain(SEED_IDS.categories.marketing);
    const one = await node('category', { operation: 'getAssets', category: rl(SEED_IDS.categories.marketing), returnAll: false, limit: 1 });
    expect(one.items).toHaveLength(1);
  });

  it('an unknown category fails with MediaValet\'s 404', async () => {
    const { error } = await node('category', { operation: 'get', category: rl('c0000000-0000-4000-8000-00000000dead') });
    expect((error as { httpCode?: string }).httpCode).toBe('404');
  });
});

describe('Node panel lists', () => {
  it('the Category locator\'s search filters the tree by path', async () => {
    const found = (await loadList(credentials, 'listSearch', 'searchCategories', { authentication: 'password' }, 'shoe')) as { results: Array<{ name: string; value: string }> };
    expect(found.results).toEqual([{ name: 'Products/Shoes', value: SEED_IDS.categories.shoes }]);
  });

  it('attribute options are named and sorted', async () => {
    const options = (await loadList(credentials, 'loadOptions', 'getAttributes', { authentication: 'password' })) as Array<{ name: string; value: string }>;
    expect(options.map((o) => o.name)).toEqual(['Photographer', 'Product SKU', 'Usage Rights']);
    expect(options[0].value).toBe(SEED_IDS.attributes.photographer);
  });
});

describe('Keyword, Attribute, User', () => {
  it('Keyword Create adds to the list Get Many returns', async () => {
    const created = await node('keyword', { operation: 'create', keywordName: 'from-n8n-core' });
    expect(created.items[0].json).toMatchObject({ keywordName: 'from-n8n-core' });
    const { items } = await node('keyword', { operation: 'getMany' });
    expect(items.map((i) => i.json.keywordName)).toEqual(expect.arrayContaining(['from-n8n-core', 'summer']));
  });

  it('Attribute Get Many lists the definitions', async () => {
    const { items } = await node('attribute', { operation: 'getMany' });
    expect(items.map((i) => i.json)).toEqual(expect.arrayContaining([expect.objectContaining({ id: SEED_IDS.attributes.photographer, name: 'Photographer' })]));
  });

  it('User Get Current is the signed-in user', async () => {
    const { items } = await node('user', { operation: 'getCurrent' });
    expect(items[0].json).toMatchObject({ id: DEMO.users[0].id, email: DEMO.users[0].email });
  });
});

describe('API Request', () => {
  it('GET with query parameters returns the unwrapped payload', async () => {
    const { items, error } = await node('apiRequest', { operation: 'send', method: 'GET', path: `/assets/${SEED_IDS.firstAsset}`, query: { parameter: [{ name: 'unused', value: '1' }] }, responseFormat: 'json' });
    expect(error).toBeUndefined();
    expect(items[0].json).toMatchObject({ id: SEED_IDS.firstAsset });
  });

  it('POST sends the JSON body', async () => {
    const { items } = await node('apiRequest', { operation: 'send', method: 'POST', path: '/keywords', body: '{"keywordName":"posted-by-api-request"}', responseFormat: 'json' });
    expect(items[0].json).toMatchObject({ keywordName: 'posted-by-api-request' });
  });

  it('a Body that is not JSON names the field and the fix', async () => {
    const { error } = await node('apiRequest', { operation: 'send', method: 'POST', path: '/keywords', body: '{"keywordName": nope', responseFormat: 'json' });
    expect(error?.message).toBe('The Body is not valid JSON');
    expect(error?.description).toMatch(/quote or comma/);
  });

  it('Response File puts the answer in a binary field', async () => {
    const { items } = await node('apiRequest', { operation: 'send', method: 'GET', path: '/users/current', responseFormat: 'binary', binaryPropertyName: 'raw' });
    expect(items[0].json).toEqual({ statusCode: 200 });
    expect(Buffer.from(items[0].binary!.raw.data, 'base64').toString()).toMatch(DEMO.users[0].email);
  });
});

describe('Auth', () => {
  it('Get Token outputs the credential\'s current token and ready headers (asked for, so not scanned)', async () => {
    const { items } = await node('auth', { operation: 'getToken' }, { tokenOutput: true });
    const stored = items[0].json.accessToken as string;
    expect(stored).toEqual(expect.any(String));
    expect(items[0].json).toMatchObject({ tokenType: 'Bearer', baseUrl: sim.apiUrl });
    expect((items[0].json.headers as Record<string, string>).Authorization).toBe(`Bearer ${stored}`);
    // The headers work as they are, for the HTTP Request node they are meant for.
    const answer = await fetch(`${sim.apiUrl}/users/current`, { headers: items[0].json.headers as Record<string, string> });
    expect(answer.status).toBe(200);
    // The expiry is read from a JWT's exp; an opaque token has none to tell.
    if (stored.split('.').length === 3) expect(Date.parse(items[0].json.expiresAt as string)).toBeGreaterThan(Date.now());
    else expect(items[0].json.expiresAt).toBeNull();
  });
});
