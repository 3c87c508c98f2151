// Issue 9 items 1 and 2: one paging rule for every caller, on both sides of the unknown page
// cap (strict: 50 and a 400 above it; lenient: 1000, quietly clipped), and searches retried as
// the reads they are.
import { capFromRefusal, LARGE_PAGE_SIZE, MediaValetError, pollAssets, searchRequest, startPosition, type HttpRequest, type HttpResponse, type HttpTransport } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { PROFILES } from '../../simulator/index';
import { caught, PROFILE_NAMES, Sim, simulatorOn } from '../helpers/simulator';

/** A real transport that also writes down what was asked and what came back. */
function recorder(): HttpTransport & { log: Array<{ request: HttpRequest; response: HttpResponse }> } {
  const axios = createAxiosTransport();
  const log: Array<{ request: HttpRequest; response: HttpResponse }> = [];
  return {
    log,
    async request(request) {
      const response = await axios.request(request);
      log.push({ request, response });
      return response;
    },
  };
}

/** The count each API page request asked for (body for POST searches, query for GETs). */
function countsAsked(log: Array<{ request: HttpRequest }>, sim: Sim): number[] {
  return log
    .filter(({ request }) => request.url.startsWith(sim.apiUrl) && !request.url.includes('/connect/'))
    .map(({ request }) => (request.body ? Number(JSON.parse(String(request.body)).count) : Number(new URL(request.url).searchParams.get('count'))))
    .filter((n) => Number.isFinite(n));
}
const refusals = (log: Array<{ response: HttpResponse }>) => log.filter(({ response }) => response.status === 400).length;

describe.each(PROFILE_NAMES)('paging on the %s profile', (profile) => {
  let sim: Sim;
  let total: number;
  simulatorOn(profile, { bulkAssets: 130 }, (started) => (sim = started));
  beforeAll(async () => {
    total = (await sim.state()).assets;
  });

  it('asks for a large page unless the caller chose a size, learns the cap once, and gets every asset once', async () => {
    const transport = recorder();
    const { client } = sim.connect({}, { transport });
    const ids: string[] = [];
    for await (const a of client.paginate<{ id: string }>(searchRequest({ sort: 'record.createdAt A' }))) ids.push(a.id);
    expect(new Set(ids).size).toBe(total);
    const counts = countsAsked(transport.log, sim);
    expect(counts[0]).toBe(LARGE_PAGE_SIZE);
    const cap = PROFILES[profile].pageSizeCap;
    if (profile === 'strict') {
      // 1000 refused once, then pages at the cap.
      expect(refusals(transport.log)).toBe(1);
      expect(counts.slice(1).every((n) => n === cap)).toBe(true);
      expect(counts.length).toBe(1 + Math.ceil(total / cap));
    } else {
      expect(refusals(transport.log)).toBe(0);
      expect(counts.length).toBe(Math.ceil(total / Math.min(cap, LARGE_PAGE_SIZE)));
    }
  });

  it('a page size the user chose above the cap: learns the cap once per client and carries on', async () => {
    const transport = recorder();
    const { client } = sim.connect({}, { transport });
    const cap = PROFILES[profile].pageSizeCap;
    for (let round = 0; round < 2; round++) {
      const ids: string[] = [];
      for await (const a of client.paginate<{ id: string }>(searchRequest({ sort: 'record.createdAt A' }, 80))) ids.push(a.id);
      expect(new Set(ids).size).toBe(total);
    }
    if (profile === 'strict') {
      // One 400 for the whole client: the first page is asked again at the cap, later pages and the second search use it.
      expect(refusals(transport.log)).toBe(1);
      expect(client.pageCap).toBe(cap);
      expect(countsAsked(transport.log, sim).slice(1).every((n) => n <= cap)).toBe(true);
    } else {
      expect(refusals(transport.log)).toBe(0);
      expect(client.pageCap).toBeUndefined();
    }
  });

  it('a MediaValet whose cap is below the default: the default page is refused once, then the cap is used (GET lists too)', async () => {
    await sim.settings({ pageSizeCap: 20 });
    const transport = recorder();
    const { client } = sim.connect({}, { transport });
    const ids: string[] = [];
    for await (const a of client.paginate<{ id: string }>({ method: 'GET', path: '/assets' })) ids.push(a.id);
    expect(new Set(ids).size).toBe(total);
    expect(refusals(transport.log)).toBe(profile === 'strict' ? 1 : 0);
    if (profile === 'strict') expect(client.pageCap).toBe(20);
  });

  it('a watch poll with more new assets than one page emits each once (Node-RED mv watch, n8n trigger)', async () => {
    // The bulk assets were uploaded from 2025-01-01 on: a poller positioned before sees them all as new.
    const { client } = sim.connect();
    const { assets } = await pollAssets(client, startPosition(new Date('2024-12-31T00:00:00Z')), { event: 'new' });
    expect(assets).toHaveLength(total);
    expect(new Set(assets.map((a) => a.asset.id)).size).toBe(total);
  });

  it('a 400 about something else is the user\'s error, not a cap to learn', async () => {
    const { client } = sim.connect();
    const error = await caught(async () => {
      for await (const _ of client.paginate(searchRequest({ filters: '(Colour EQ Red)' }))) void _;
    });
    expect(error.status).toBe(400);
    expect(error.serverMessage).toMatch(/Colour/);
    expect(client.pageCap).toBeUndefined();
  });

  it.each([500, 502, 504])('retries a search page that met %i, like a GET (a search is a read)', async (status) => {
    const { client } = sim.connect();
    await client.authHeaders();
    await sim.faults({ server: 'api', method: 'POST', path: '^/assets/search$', status, skip: 1 });
    const ids: string[] = [];
    // Pages of 40, so the second page (the one that meets the fault) exists on either profile.
    for await (const a of client.paginate<{ id: string }>(searchRequest({}, 40))) ids.push(a.id);
    expect(new Set(ids).size).toBe(total);
    expect((await sim.state()).faultsFired).toBe(1);
  });

  it('retries a search whose connection was reset', async () => {
    const { client } = sim.connect();
    await client.authHeaders();
    await sim.faults({ server: 'api', method: 'POST', path: '^/assets/search$', reset: true });
    const ids: string[] = [];
    for await (const a of client.paginate<{ id: string }>(searchRequest({}, undefined, 10))) ids.push(a.id);
    expect(ids).toHaveLength(10);
    expect((await sim.state()).faultsFired).toBe(1);
  });

  it('a POST not marked as a read (the generic API Request) is still tried once on 500', async () => {
    const { client } = sim.connect();
    await client.authHeaders();
    await sim.faults({ server: 'api', method: 'POST', path: '^/assets/search$', status: 500 });
    const error = await caught(() => client.request({ method: 'POST', path: '/assets/search', body: { search: '', count: 5 } }));
    expect(error.status).toBe(500);
    const state = await sim.state();
    expect(state.faultsFired).toBe(1);
    expect(state.api.requests).toBe(0);
  });
});

describe('capFromRefusal: which smaller page to ask for', () => {
  const refused = (message: string, status = 400) => new MediaValetError(`MediaValet answered ${status} to POST /assets/search: ${message}`, { code: 'bad_request', kind: 'request', status, serverMessage: message });
  it.each([
    ['count must be between 1 and 50 (was 100)', 100, 50],
    ['The Count may be at most 25.', 50, 25],
    ['count: maximum is 40', 80, 40],
    ['count is too large', 100, 50],
    ['count is too large', 50, 25],
    ['Invalid page size', 30, 15],
  ])('"%s" refusing %i: ask for %i', (message, count, expected) => {
    expect(capFromRefusal(refused(message), count)).toBe(expected);
  });
  it('leaves other answers alone', () => {
    expect(capFromRefusal(refused('The filter "(Colour EQ Red)" is not understood.'), 100)).toBeUndefined();
    expect(capFromRefusal(refused('count must be between 1 and 50', 500), 100)).toBeUndefined();
    expect(capFromRefusal(refused('count must be between 1 and 50'), 1)).toBeUndefined();
    expect(capFromRefusal(new Error('count'), 100)).toBeUndefined();
  });
});
