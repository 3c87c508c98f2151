// Issue 16 in core: safe file names, inputs checked before a request, bounded errors, By URL
// links, compact fields read wherever MediaValet may hold them, a cut-off answer.
import { NodeHelpers } from 'n8n-workflow';
import {
  ApiError,
  ASSET_URL_PATTERN,
  assetIdFromUrl,
  CATEGORY_URL_PATTERN,
  categoryIdFromUrl,
  checkId,
  compactAsset,
  cutShort,
  getAssetById,
  linkExpired,
  locatedId,
  MAX_MESSAGE,
  safeFileName,
  searchRequest,
} from '../../core';
import { MediaValet } from '../../nodes/MediaValet/MediaValet.node';
import { SEED_IDS } from '../../simulator/index';
import { alternateShape } from '../../simulator/hostile';
import { caught, Sim } from '../helpers/simulator';

const ID = SEED_IDS.firstAsset;

describe('safeFileName: one rule for every name a host may use as a path', () => {
  it.each([
    ['../../mv-evil.txt', 'mv-evil.txt'],
    ['/tmp/mv-evil-abs.txt', 'mv-evil-abs.txt'],
    ['..\\..\\mv-evil.txt', 'mv-evil.txt'],
    ['C:\\Windows\\evil.dll', 'evil.dll'],
    ['C:evil.txt', 'evil.txt'],
    ['.bashrc', 'bashrc'],
    ['...', ID],
    ['..', ID],
    ['', ID],
    ['report\u202Egnp.exe', 'reportgnp.exe'],
    ['line\r\nbreak\u0000.png', 'linebreak.png'],
    ['名前 😀.png', '名前 😀.png'],
    ['CON.txt', '_CON.txt'],
    ['ab:c|d?.png', 'ab_c_d_.png'],
    ['a:b.png', 'b.png'],
  ])('%j → %j', (name, expected) => {
    expect(safeFileName(name, ID)).toBe(expected);
  });

  it('bounds the length in UTF-8 bytes and keeps the extension', () => {
    const long = safeFileName(`${'a'.repeat(600)}.png`, ID);
    expect(long.endsWith('.png')).toBe(true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    const wide = safeFileName(`${'😀'.repeat(300)}.jpeg`, ID);
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(200);
    expect(wide.endsWith('.jpeg')).toBe(true);
    expect(wide).not.toMatch(/\uFFFD/);
  });

  it('takes the id when the name is not text', () => {
    expect(safeFileName({}, ID)).toBe(ID);
    expect(safeFileName(null, ID)).toBe(ID);
  });
});

describe('inputs are checked before any request', () => {
  it('names the field for an object, an empty value, an oversized or non-GUID id', () => {
    expect(() => checkId({}, 'Asset ID')).toThrow(/^Asset ID must be an ID \(text\), not an object\.$/);
    expect(() => checkId('  ', 'Asset ID')).toThrow(/Asset ID is empty/);
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const error = (() => {
      try {
        checkId(huge, 'Asset ID');
      } catch (e) {
        return e as ApiError;
      }
    })()!;
    expect(error.message).toBe(`Asset ID is ${huge.length} characters long: a MediaValet ID has 36.`);
    expect(() => checkId('not-an-id', 'Asset ID')).toThrow('Asset ID "not-an-id" is not a MediaValet ID.');
    expect(checkId(` ${ID} `, 'Asset ID')).toBe(ID);
  });

  it('every error is bounded, even one built from megabytes of text', () => {
    const error = new ApiError(`MediaValet said ${'y'.repeat(5_000_000)}`, { code: 'bad_request', kind: 'request', serverMessage: 'z'.repeat(1_000_000), hint: 'h'.repeat(1_000_000) });
    expect(error.message.length).toBeLessThan(MAX_MESSAGE + 40);
    expect(error.serverMessage!.length).toBeLessThan(440);
    expect(error.describe().length).toBeLessThan(2 * MAX_MESSAGE + 100);
  });

  it('a search with an object as its text or a category that is no id fails before sending', () => {
    expect(() => searchRequest({ query: {} as unknown as string })).toThrow(/Search text must be text, not an object/);
    expect(() => searchRequest({ categoryId: '../users' })).toThrow(/Category "..\/users" is not a MediaValet ID/);
  });
});

describe('By URL: a pasted link with anything after the id', () => {
  const links = [
    `https://acme.mediavalet.com/assets/${ID}`,
    `https://acme.mediavalet.com/assets/${ID}?view=details`,
    `https://acme.mediavalet.com/assets/${ID}/`,
    `https://acme.mediavalet.com/assets/${ID}#comments`,
    `https://acme.mediavalet.com/app/library/asset/${ID}/details?tab=1#x`,
  ];
  it.each(links)('core reads the id of %s', (link) => {
    expect(assetIdFromUrl(link)).toBe(ID);
    expect(locatedId('asset', link, 'Asset')).toBe(ID);
  });
  it('categories too', () => {
    const c = SEED_IDS.categories.shoes;
    for (const link of [`https://a.mediavalet.com/categories/${c}?x=1`, `https://a.mediavalet.com/categories/${c}/`, `https://a.mediavalet.com/category/${c}#top`]) expect(categoryIdFromUrl(link)).toBe(c);
  });
  it('refuses more of an id and links without one', () => {
    expect(assetIdFromUrl(`https://a.mediavalet.com/assets/${ID}abc`)).toBeUndefined();
    expect(assetIdFromUrl('https://a.mediavalet.com/assets/')).toBeUndefined();
  });

  // n8n checks the URL mode with ^(regex)$ before the execution starts (NodeHelpers).
  const description = new MediaValet().description;
  const issuesFor = (parameter: string, value: unknown, extra: Record<string, unknown>) =>
    NodeHelpers.getNodeParametersIssues(description.properties, { parameters: { authentication: 'password', ...extra, [parameter]: value }, typeVersion: 2, type: 'x', name: 'x', id: 'x', position: [0, 0] } as never, description);
  it.each(links)('n8n\'s editor validation accepts %s', (link) => {
    expect(issuesFor('assetId', { __rl: true, mode: 'url', value: link }, { resource: 'asset', operation: 'get' })).toBeNull();
  });
  it('n8n\'s editor validation accepts a category link with a query and refuses one without an id', () => {
    const c = SEED_IDS.categories.shoes;
    expect(issuesFor('category', { __rl: true, mode: 'url', value: `https://a.mediavalet.com/categories/${c}?x=1` }, { resource: 'category', operation: 'get' })).toBeNull();
    expect(JSON.stringify(issuesFor('assetId', { __rl: true, mode: 'url', value: 'https://a.mediavalet.com/assets/nothing' }, { resource: 'asset', operation: 'get' }))).toMatch(/Not a MediaValet asset link/);
  });
  it('both patterns stay usable as n8n extractValue (one group)', () => {
    for (const p of [ASSET_URL_PATTERN, CATEGORY_URL_PATTERN]) expect(new RegExp(`${p}|`).exec('')!.length).toBe(2);
  });
});

describe('compactAsset reads every place MediaValet may hold each field', () => {
  const expiry = '2030-01-01T00:00:00.000Z';
  it('a record with file.mimeType, media.sasExpiry and AssetType only, PascalCase', () => {
    const record = {
      Id: ID,
      Title: 'Sunset',
      AssetType: 'Image',
      File: { FileName: 'sunset.png', MimeType: 'image/png', FileSize: '1234' },
      Record: { CreatedAt: '2026-01-01T00:00:00Z', ModifiedAt: '2026-01-02T00:00:00Z' },
      Categories: [{ Id: 'c1', Name: 'Shoes' }],
      Keywords: [{ KeywordName: 'summer' }],
      Media: { Thumb: 'https://s/t', Download: 'https://s/d', SasExpiry: expiry },
    };
    expect(compactAsset(record)).toEqual({
      id: ID,
      title: 'Sunset',
      fileName: 'sunset.png',
      type: 'Image',
      sizeInBytes: 1234,
      contentType: 'image/png',
      uploadedAt: '2026-01-01T00:00:00Z',
      modifiedAt: '2026-01-02T00:00:00Z',
      categories: ['c1'],
      keywords: ['summer'],
      thumbnailUrl: 'https://s/t',
      originalUrl: 'https://s/d',
      linksExpireAt: expiry,
    });
    expect(linkExpired(record, 'https://s/d', Date.parse(expiry) + 1)).toBe(true);
  });
  it('a flat camelCase record (dateUploaded, fileName, mimeType, type)', () => {
    const compact = compactAsset({ id: ID, fileName: 'a.pdf', mimeType: 'application/pdf', type: 'Document', fileSize: 5, dateUploaded: 'u', dateModified: 'm', categoryIds: ['c'] });
    expect(compact).toMatchObject({ fileName: 'a.pdf', contentType: 'application/pdf', type: 'Document', sizeInBytes: 5, uploadedAt: 'u', modifiedAt: 'm', categories: ['c'] });
  });
  it('the simulator\'s alternate shape reads the same as its own', () => {
    const own = { id: ID, title: 't', assetType: 'Image', file: { fileName: 'f.png', contentType: 'image/png', sizeInBytes: 3 }, record: { createdAt: 'c', modifiedAt: 'm' }, categories: [], keywords: [], media: { thumb: 'x', original: 'y', download: 'y' }, sasExpiry: expiry };
    expect(compactAsset(alternateShape(own))).toEqual(compactAsset(own));
  });
});

describe('a 200 whose JSON is cut off', () => {
  it('is told from a body that is not JSON at all', () => {
    expect(cutShort('{"payload": {"id": "abc", "title": "Sum')).toBe(true);
    expect(cutShort('[{"a": 1}, {"b"')).toBe(true);
    expect(cutShort('Service unavailable')).toBe(false);
    expect(cutShort('{"a": 1}}')).toBe(false);
  });

  let sim: Sim;
  beforeAll(async () => {
    sim = await Sim.start();
  });
  afterAll(() => sim?.stop());
  beforeEach(async () => {
    await sim.clearFaults();
    await sim.resetCounters();
  });
  const cut = '{"payload": {"id": "abc", "title": "Sum';

  it('a request whose URL our own input made huge is refused before sending and not retried (fails before: sent, reset, retried)', async () => {
    const { client } = sim.connect();
    await client.request({ method: 'GET', path: '/categories' });
    await sim.resetCounters();
    const error = await caught(() => client.request({ method: 'GET', path: '/assets', query: { search: 'q'.repeat(1024 * 1024) } }));
    expect(error).toMatchObject({ code: 'invalid_input', kind: 'request' });
    expect(error.message.length).toBeLessThan(400);
    expect((await sim.state()).api.requests).toBe(0);
  });

  it('a read is asked once more and succeeds', async () => {
    const { client } = sim.connect({}, { client: { retry: { maxRetries: 0 } } });
    await sim.faults({ server: 'api', path: '^/assets/', status: 200, body: cut, times: 1 });
    const asset = await getAssetById(client, ID);
    expect((asset as { id: string }).id).toBe(ID);
    const state = await sim.state();
    // The cut-off answer came from the fault (before the API counts), the second from the API.
    expect([state.faultsFired, state.api.byRoute['GET /assets/:id']]).toEqual([1, 1]);
  });

  it('twice cut off: says the answer was incomplete, not to check the API URL', async () => {
    const { client } = sim.connect({}, { client: { retry: { maxRetries: 0 } } });
    await sim.faults({ server: 'api', path: '^/assets/', status: 200, body: cut, times: 2 });
    const error = await caught(() => getAssetById(client, ID));
    expect(error.message).toMatch(/answer to GET \/assets\/.* was incomplete/);
    expect(error.describe()).not.toMatch(/API URL/);
    expect(error.field).toBeUndefined();
  });

  it('a search (a read sent as POST) is asked once more; a write never', async () => {
    const { client } = sim.connect({}, { client: { retry: { maxRetries: 0 } } });
    await sim.faults({ server: 'api', path: '/assets/search', status: 200, body: cut, times: 1 });
    const page = await client.pages(searchRequest({ query: '' }, 5, 5)).next();
    expect(page.value!.items.length).toBe(5);
    await sim.resetCounters();
    await sim.faults({ server: 'api', method: 'POST', path: '^/keywords$', status: 200, body: cut, times: 1 });
    const error = await caught(() => client.request({ method: 'POST', path: '/keywords', body: { keywordName: 'once' } }));
    expect(error.message).toMatch(/incomplete/);
    expect(error.hint).toMatch(/unknown whether MediaValet made the change/);
    const state = await sim.state();
    expect([state.faultsFired, state.api.requests]).toEqual([1, 0]);
  });
});
