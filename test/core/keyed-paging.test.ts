// Issue 19: pages as large as MediaValet allows (the cap learned once, from a 400 or from a
// short page), and Return All past the offset ceiling by key, each asset once, with a cursor
// that continues a search in a later run. A small ceiling keeps these fast.
import { decodeCursor, encodeCursor, pollAssets, searchAll, searchPages, searchRequest, startPosition, type HttpRequest, type HttpResponse, type HttpTransport } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { SYNTHETIC_CATEGORY_ID } from '../../simulator/synthetic';
import { caught, Sim } from '../helpers/simulator';

function recorder(): HttpTransport & { asked: Array<{ count: number; offset: number; filters?: string; status: number }> } {
  const axios = createAxiosTransport();
  const asked: Array<{ count: number; offset: number; filters?: string; status: number }> = [];
  return {
    asked,
    async request(request: HttpRequest): Promise<HttpResponse> {
      const response = await axios.request(request);
      if (!request.url.includes('/connect/')) {
        const body = request.body ? JSON.parse(String(request.body)) : undefined;
        const query = new URL(request.url).searchParams;
        const count = Number(body?.count ?? query.get('count'));
        if (Number.isFinite(count)) asked.push({ count, offset: Number(body?.offset ?? query.get('offset')), filters: body?.filters, status: response.status });
      }
      return response;
    },
  };
}

const minimum = (total: number, cap: number) => Math.ceil(total / cap);

/** Reads the whole library, oldest first, through a recording transport; checks each asset came once. */
async function readWhole(sim: Sim) {
  const transport = recorder();
  const { client } = sim.connect({}, { transport });
  const total = (await sim.state()).assets;
  const ids = new Set<string>();
  for await (const a of searchAll<{ id: string }>(client, { sort: 'record.createdAt A' })) ids.add(a.id);
  expect(ids.size).toBe(total);
  return { transport, client, total };
}

describe('pages as large as MediaValet allows', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await Sim.start({ syntheticAssets: 2500 });
  });
  afterAll(() => sim.stop());

  it('strict (cap 50, 400 above): asks for a large page, learns the cap from the 400 once, and stays within 1.05 x the minimum', async () => {
    const { transport, client, total } = await readWhole(sim);
    expect(transport.asked[0]).toMatchObject({ count: 1000, status: 400 });
    expect(transport.asked.filter((r) => r.status === 400)).toHaveLength(1);
    expect(client.pageCap).toBe(50);
    expect(transport.asked.length).toBeLessThanOrEqual(1.05 * minimum(total, 50));
  });

  it('a cap learned by one client is remembered for the next when the host keeps a map (n8n builds a client per run)', async () => {
    const pageCaps = new Map<string, number>();
    const first = recorder();
    await searchAll(sim.connect({}, { transport: first, client: { pageCaps } }).client, { sort: 'record.createdAt A' }, { limit: 60 }).next();
    expect(first.asked.filter((r) => r.status === 400)).toHaveLength(1);
    const second = recorder();
    const { client } = sim.connect({}, { transport: second, client: { pageCaps } });
    const ids: string[] = [];
    for await (const a of searchAll<{ id: string }>(client, { sort: 'record.createdAt A' }, { limit: 120 })) ids.push(a.id);
    expect(ids).toHaveLength(120);
    expect(second.asked.every((r) => r.status === 200 && r.count <= 50)).toBe(true);
  });

  it('the page size the user chose still wins (below the cap)', async () => {
    const transport = recorder();
    const { client } = sim.connect({}, { transport });
    for await (const _ of client.paginate(searchRequest({}, 7, 20))) void _;
    expect(transport.asked.map((r) => r.count)).toEqual([7, 7, 6]);
  });

  it('lenient (pages clipped quietly): learns the cap from a short page while more remain', async () => {
    await sim.settings({ profile: 'lenient', pageSizeCap: 300 });
    try {
      const { transport, client, total } = await readWhole(sim);
      expect(client.pageCap).toBe(300);
      expect(transport.asked[0].count).toBe(1000);
      expect(transport.asked.slice(1).every((r) => r.count === 300)).toBe(true);
      expect(transport.asked.length).toBeLessThanOrEqual(1.05 * minimum(total, 300));
    } finally {
      await sim.settings({ profile: 'strict' });
    }
  });
});

describe('past the offset ceiling', () => {
  let sim: Sim;
  const SIZE = 1300;
  beforeAll(async () => {
    sim = await Sim.start({ syntheticAssets: SIZE, offsetCeiling: 200, pageSizeCap: 100 });
  });
  afterAll(() => sim.stop());

  it('the simulator refuses a search offset past its ceiling with a 400', async () => {
    const { client } = sim.connect();
    const error = await caught(() => client.request({ method: 'POST', path: '/assets/search', body: { search: '', offset: 300, count: 10 } }));
    expect(error.status).toBe(400);
    expect(error.serverMessage).toMatch(/offset must be at most 200/);
  });

  it.each(['record.createdAt A', 'record.createdAt D', 'record.modifiedAt A'])('Return All (sort %s) reads every asset once, continuing by date past the ceiling', async (sort) => {
    const transport = recorder();
    const { client } = sim.connect({}, { transport });
    const total = (await sim.state()).assets;
    const ids: string[] = [];
    for await (const a of searchAll<{ id: string }>(client, { sort })) ids.push(a.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    // It went past the ceiling by key: the ceiling (lower than the 100,000 assumed) is learned from one 400 about the offset.
    expect(transport.asked.some((r) => /Date(Uploaded|Modified)/.test(r.filters ?? ''))).toBe(true);
    expect(transport.asked.filter((r) => r.status === 400 && r.offset > 200)).toHaveLength(1);
    expect(Math.max(...transport.asked.filter((r) => r.status === 200).map((r) => r.offset))).toBeLessThanOrEqual(200);
    expect(transport.asked.length).toBeLessThanOrEqual(1.05 * minimum(total, 100) + 2);
  });

  it('relevance order (no sort) pages by offset and, at the ceiling, says to sort by date', async () => {
    const { client } = sim.connect();
    const error = await caught(async () => {
      for await (const _ of searchAll(client, {})) void _;
    });
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/offset must be at most 200/);
    expect(error.hint).toMatch(/Sort by upload date/);
  });

  it('a category read (scope + user filter) continues by key too, each asset once', async () => {
    const { client } = sim.connect();
    const ids: string[] = [];
    const filters = '(DateUploaded LT 2015-01-01T00:04:00.000Z)';
    for await (const a of searchAll<{ id: string }>(client, { categoryId: SYNTHETIC_CATEGORY_ID, includeSubcategories: false, filters, sort: 'record.createdAt A' })) ids.push(a.id);
    expect(ids).toHaveLength(240 * 4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a cursor continues the search in a later run, each asset once across runs', async () => {
    const total = (await sim.state()).assets;
    const ids: string[] = [];
    let cursor: string | undefined;
    let runs = 0;
    do {
      // Each run: a fresh client (a fresh n8n execution), one page.
      const { client } = sim.connect();
      const page = (await searchPages<{ id: string }>(client, { sort: 'record.createdAt D' }, { cursor, pageSize: 97 }).next()).value!;
      ids.push(...page.items.map((a) => a.id));
      cursor = page.cursor;
      runs++;
    } while (cursor && runs < 100);
    expect(cursor).toBeUndefined();
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
  });

  it('a cursor is refused by another search, with what to do', async () => {
    const { client } = sim.connect();
    const page = (await searchPages(client, { sort: 'record.createdAt A' }, { pageSize: 10 }).next()).value!;
    expect(page.cursor).toBeDefined();
    const error = await caught(() => searchPages(client, { sort: 'record.createdAt A', query: 'beach' }, { cursor: page.cursor }).next());
    expect(error.message).toMatch(/cursor belongs to a different search/);
    expect(error.field).toBe('cursor');
    expect(() => decodeCursor('not a cursor', 'x')).toThrow(/not one this node gave out/);
    expect(decodeCursor(encodeCursor({ at: '2015-01-01T00:00:00.000Z', seen: ['a'] }, 'q'), 'q')).toEqual({ at: '2015-01-01T00:00:00.000Z', seen: ['a'] });
  });

  it('a watcher poll with more than the ceiling finds each new asset once', async () => {
    const { client } = sim.connect();
    const { assets } = await pollAssets(client, startPosition(new Date('2014-12-31T00:00:00Z')), { event: 'new', limit: 5000 });
    const total = (await sim.state()).assets;
    expect(assets).toHaveLength(total);
    expect(new Set(assets.map((a) => a.asset.id)).size).toBe(total);
  });
});
