// The pure rules behind the editors' pickers and builders: filter strings, asset links,
// the compact asset. Filters are also run against the simulator's search, so a string
// MediaValet's grammar does not accept fails here.
import { assetIdFromUrl, buildFilters, categoryIdFromUrl, changeOf, compactAsset, locatedId, searchRequest } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { caught, Sim } from '../helpers/simulator';

const ID = '10000000-0000-4000-8000-000000000001';

describe('buildFilters', () => {
  it('is undefined when nothing narrows the search', () => {
    expect(buildFilters({})).toBeUndefined();
    expect(buildFilters({ assetTypes: [], keywords: [' '], expression: '  ', uploadedFrom: '' })).toBeUndefined();
  });

  it('joins the builder fields with AND, asset types with OR, dates as ISO bounds', () => {
    expect(
      buildFilters({
        assetTypes: ['Image', 'Video'],
        uploadedFrom: '2026-01-01',
        uploadedTo: new Date('2026-02-01T12:00:00Z'),
        modifiedFrom: '2026-01-15T00:00:00+01:00',
        keywords: ['summer'],
        attributes: [{ id: 'attr-1', value: "O'Brien" }],
        expression: '(FileName EQ a.png)',
      }),
    ).toBe(
      '(AssetType EQ Image OR AssetType EQ Video) AND (DateUploaded GE 2026-01-01T00:00:00.000Z) AND (DateUploaded LE 2026-02-01T12:00:00.000Z)' +
        " AND (DateModified GE 2026-01-14T23:00:00.000Z) AND (Keywords/ANY(k: k EQ 'summer')) AND (Attributes/attr-1 EQ 'O''Brien') AND (FileName EQ a.png)",
    );
  });

  it('names the field of a date it cannot read', async () => {
    const error = await caught(async () => buildFilters({ modifiedTo: 'next tuesday' }));
    expect(error).toMatchObject({ field: 'Modified To', message: expect.stringContaining('Modified To is not a date') });
  });
});

describe('asset and category links', () => {
  it.each([
    `https://acme.mediavalet.com/assets/${ID}`,
    `https://acme.mediavalet.com/asset/${ID}?view=details`,
    `https://acme.mediavalet.com/app/library/categories/c1/assets/${ID}#comments`,
    `http://127.0.0.1:8080/assets/${ID}/versions`,
  ])('finds the asset id in %s', (url) => expect(assetIdFromUrl(url)).toBe(ID));

  it.each([`https://acme.mediavalet.com/assets/not-a-guid`, `https://acme.mediavalet.com/search?q=${ID}`, `ftp://acme.mediavalet.com/assets/${ID}`, ID])('finds none in %s', (url) =>
    expect(assetIdFromUrl(url)).toBeUndefined(),
  );

  it('finds category ids after /category/ or /categories/', () => {
    expect(categoryIdFromUrl(`https://acme.mediavalet.com/browse/categories/${SEED_IDS.categories.shoes}`)).toBe(SEED_IDS.categories.shoes);
    expect(categoryIdFromUrl(`https://acme.mediavalet.com/assets/${ID}`)).toBeUndefined();
  });

  it('takes an id, a link, or fails naming the field when a link has no id', async () => {
    expect(locatedId('asset', ` ${ID} `, 'Asset')).toBe(ID);
    expect(locatedId('asset', `https://acme.mediavalet.com/assets/${ID}`, 'Asset')).toBe(ID);
    const error = await caught(async () => locatedId('asset', 'https://acme.mediavalet.com/search?q=shoes', 'Asset'));
    expect(error).toMatchObject({ field: 'Asset', message: expect.stringContaining('does not contain a MediaValet asset ID') });
    expect(await caught(async () => locatedId('category', '  ', 'Category'))).toMatchObject({ field: 'Category' });
  });
});

describe('compactAsset', () => {
  it('keeps what an agent needs, reading both casings', () => {
    const compact = compactAsset({
      Id: ID,
      Title: 'Red gradient',
      AssetType: 'Image',
      File: { FileName: 'red.png', SizeInBytes: '1234', ContentType: 'image/png' },
      Record: { CreatedAt: '2026-01-05T09:00:00.000Z', ModifiedAt: '2026-01-06T09:00:00.000Z' },
      Categories: [{ id: 'c1', name: 'Brand' }, 'c2'],
      Keywords: [{ keywordName: 'red' }, 'summer'],
      Media: { Thumb: 'https://blob/t', Original: 'https://blob/o', Large: 'https://blob/l' },
      SasExpiry: '2026-01-07T00:00:00Z',
      attributes: { x: 'y' },
    });
    expect(compact).toEqual({
      id: ID,
      title: 'Red gradient',
      fileName: 'red.png',
      type: 'Image',
      sizeInBytes: 1234,
      contentType: 'image/png',
      uploadedAt: '2026-01-05T09:00:00.000Z',
      modifiedAt: '2026-01-06T09:00:00.000Z',
      categories: ['c1', 'c2'],
      keywords: ['red', 'summer'],
      thumbnailUrl: 'https://blob/t',
      originalUrl: 'https://blob/o',
      linksExpireAt: '2026-01-07T00:00:00Z',
    });
  });

  it('gives nulls, not crashes, for a bare record', () => {
    expect(compactAsset({ id: 'x' })).toMatchObject({ id: 'x', title: '', sizeInBytes: null, thumbnailUrl: null, categories: [], keywords: [] });
    expect(compactAsset(null)).toMatchObject({ id: '', categories: [] });
  });
});

describe('changeOf (the trigger\'s test event)', () => {
  it('calls an asset changed after its upload updated, else new', () => {
    expect(changeOf({ record: { createdAt: '2026-01-05T09:00:00.000Z', modifiedAt: '2026-01-05T09:00:00.000Z' } })).toBe('new');
    expect(changeOf({ record: { createdAt: '2026-01-05T09:00:00.000Z', modifiedAt: '2026-01-06T10:00:00.000Z' } })).toBe('updated');
    expect(changeOf({ Record: { CreatedAt: '2026-01-05T09:00:00.000Z' } })).toBe('new');
  });
});

describe('built filters against the simulator\'s search', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await Sim.start();
  });
  afterAll(() => sim.stop());

  async function ids(filters: string | undefined): Promise<string[]> {
    const { client } = sim.connect();
    const out: string[] = [];
    for await (const asset of client.paginate<{ id: string }>(searchRequest({ filters, sort: 'record.createdAt A' }, 100))) out.push(asset.id);
    return out;
  }

  it('narrows by keyword, attribute, type and upload date, each on its own and together', async () => {
    const all = await ids(undefined);
    const summer = await ids(buildFilters({ keywords: ['summer'] }));
    const internal = await ids(buildFilters({ attributes: [{ id: SEED_IDS.attributes.usageRights, value: 'Internal only' }] }));
    const late = await ids(buildFilters({ uploadedFrom: '2026-01-07T00:00:00Z', assetTypes: ['Image'] }));
    const both = await ids(buildFilters({ keywords: ['summer'], attributes: [{ id: SEED_IDS.attributes.usageRights, value: 'Internal only' }] }));
    // Seeded: even assets are summer, every third is internal, one asset a day from 5 January.
    expect(summer).toEqual(all.filter((_, i) => i % 2 === 0));
    expect(internal).toEqual(all.filter((_, i) => i % 3 === 0));
    expect(late).toEqual(all.slice(2));
    expect(both).toEqual(all.filter((_, i) => i % 6 === 0));
    expect(await ids(buildFilters({ assetTypes: ['Video'] }))).toEqual([]);
  });
});
