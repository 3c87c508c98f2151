// The API client on both sides of MediaValet's unknowns (simulator/profiles.ts): every test runs
// against the strict profile and the lenient one.
import { MediaValetClient, searchRequest, assetPatch, getOrCreateDirectLink, attributesByName, listKeywords } from '../../core';
import type { HttpRequest } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { SEED_IDS } from '../../simulator/index';
import { caught, DEMO, PROFILE_NAMES, Sim, simulatorOn } from '../helpers/simulator';

const asset = SEED_IDS.firstAsset;
const get = (client: MediaValetClient, id = asset) => client.request<any>({ method: 'GET', path: `/assets/${id}` });

describe.each(PROFILE_NAMES)('on the %s profile', (profile) => {
  const strict = profile === 'strict';
  let sim: Sim;
  simulatorOn(profile, {}, (started) => (sim = started));

  describe('every call', () => {
    it('carries the bearer token, the subscription key and the pinned API version', async () => {
      const { client } = sim.connect();
      const response = await get(client);
      expect(response.status).toBe(200);
      expect(response.payload.id).toBe(asset);
      const headers = await client.authHeaders();
      expect(headers['x-mv-api-version']).toBe('1.2');
      expect(headers['Ocp-Apim-Subscription-Key']).toBe(DEMO.subscriptionKey);
      expect(headers.Authorization).toMatch(/^Bearer /);
    });

    it('names the subscription key when MediaValet rejects it, without renewing the token', async () => {
      const { client } = sim.connect({ subscriptionKey: 'not-the-key' });
      const error = await caught(() => get(client));
      expect(error.code).toBe('invalid_subscription_key');
      expect(error.field).toBe('subscriptionKey');
      expect(error.kind).toBe('terminal');
      expect(error.message).toMatch(/invalid subscription key/);
      expect((await sim.state()).identity.tokenRequests).toBe(1);
    });

    it('reads a PascalCase envelope the same as camelCase', async () => {
      const { client } = sim.connect();
      await sim.settings({ pascalCase: false });
      const camel = await client.request<any>({ method: 'GET', path: '/assets', query: { count: 3, includeTotalCount: true } });
      await sim.settings({ pascalCase: true });
      const pascal = await client.request<any>({ method: 'GET', path: '/assets', query: { count: 3, includeTotalCount: true } });
      expect(camel.body).toHaveProperty('payload');
      expect(pascal.body).toHaveProperty('Payload');
      expect(pascal.payload).toEqual(expect.objectContaining({ assets: expect.any(Array) }));
      expect(pascal.recordCount?.totalRecordsFound).toBe(camel.recordCount?.totalRecordsFound);
      expect(pascal.recordCount?.totalRecordsFound).toBe((await sim.state()).assets);
      expect(pascal.apiVersion).toBe('1.2');
      expect(pascal.payload.assets.map((a: any) => a.id)).toEqual(camel.payload.assets.map((a: any) => a.id));
    });
  });

  describe('401: renew the token once', () => {
    it('recovers when the access token is revoked mid-run', async () => {
      const { client } = sim.connect();
      await get(client);
      await sim.revoke('access');
      await expect(get(client)).resolves.toMatchObject({ status: 200 });
      const state = await sim.state();
      expect(state.api.unauthorized).toBe(1);
      expect(state.identity.grants.refresh_token).toBe(1);
    });

    it('recovers when the API clock runs 5 minutes ahead (tokens look expired early)', async () => {
      await sim.settings({ accessTokenTTL: 200 });
      const { client } = sim.connect();
      await sim.settings({ clockSkewSeconds: 300 });
      try {
        // The token the client holds is "expired" for the API; it renews once, the new one is too: a clear error, no loop.
        const error = await caught(() => get(client));
        expect(error.code).toBe('reconnect_required');
        expect(error.message).toMatch(/freshly issued access token/);
        expect((await sim.state()).api.unauthorized).toBe(2);
        await sim.settings({ accessTokenTTL: 3600 });
        client['tokens'].invalidate();
        await expect(get(client)).resolves.toMatchObject({ status: 200 });
      } finally {
        await sim.settings({ clockSkewSeconds: 0 });
      }
    });

    it('tells a permission failure (403) from an expired token', async () => {
      const { client } = sim.connect({ username: DEMO.users[1].username, password: DEMO.users[1].password });
      const error = await caught(() => client.request({ method: 'PATCH', path: `/assets/${asset}`, body: assetPatch({ title: 'x' }) }));
      expect(error.status).toBe(403);
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/You do not have permission to edit this asset/);
      // The {message, ..., permissions} error form names what is missing.
      if (strict) expect(error.serverMessage).toMatch(/permission needed: AssetEdit/);
      expect((await sim.state()).identity.grants.refresh_token ?? 0).toBe(0);
    });
  });

  describe('throttling and server faults', () => {
    it(strict ? 'recovers from 429 with backoff when no Retry-After comes' : 'waits out 429 with Retry-After, then succeeds', async () => {
      const waits: number[] = [];
      const { client } = sim.connect({}, { client: { sleep: async (ms) => void waits.push(ms) } });
      await sim.faults({ server: 'api', path: '^/assets/', status: 429, retryAfter: '2', times: 2 });
      await expect(get(client)).resolves.toMatchObject({ status: 200 });
      expect(waits).toHaveLength(2);
      // Strict: the header never arrives, so the client's own backoff (capped at 200 ms in tests) applies.
      for (const w of waits) expect(strict ? w <= 200 : w >= 2000).toBe(true);
    });

    it('really sleeps for Retry-After when it comes', async () => {
      const { client } = sim.connect();
      await get(client);
      await sim.settings({ retryAfterOn429: true });
      await sim.faults({ server: 'api', path: '^/assets/', status: 429, retryAfter: '1' });
      const started = Date.now();
      await get(client);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it('backs off with jitter on 429 without Retry-After, bounded', async () => {
      const waits: number[] = [];
      const { client } = sim.connect({}, { client: { sleep: async (ms) => void waits.push(ms), retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 250 } } });
      await sim.faults({ server: 'api', path: '^/assets/', status: 429, times: 0 });
      const error = await caught(() => get(client));
      expect(error.code).toBe('throttled');
      expect(error.kind).toBe('transient');
      expect(waits).toHaveLength(3);
      for (const w of waits) expect(w).toBeLessThanOrEqual(250);
      expect((await sim.state()).faultsFired).toBe(4);
    });

    it('fails at once, naming the wait, when Retry-After is longer than allowed', async () => {
      await sim.settings({ retryAfterOn429: true });
      const { client } = sim.connect({}, { client: { retry: { maxRetryAfterSeconds: 5 } } });
      await sim.faults({ server: 'api', path: '^/assets/', status: 429, retryAfter: '600' });
      const error = await caught(() => get(client));
      expect(error.retryAfterSeconds).toBe(600);
      expect(error.hint).toMatch(/wait 600 s/);
    });

    it.each([500, 502, 503])('retries %i for GET', async (status) => {
      const { client } = sim.connect();
      await sim.faults({ server: 'api', path: '^/assets/', status });
      await expect(get(client)).resolves.toMatchObject({ status: 200 });
    });

    it('retries 503 for POST (not processed) but not 500 or 502 (may have been processed)', async () => {
      const { client } = sim.connect();
      await client.authHeaders();
      await sim.faults({ server: 'api', method: 'POST', path: '/keywords$', status: 503 });
      await expect(client.request({ method: 'POST', path: `/assets/${asset}/keywords`, body: ['retry-503'] })).resolves.toMatchObject({ status: 202 });
      for (const status of [500, 502]) {
        await sim.resetCounters();
        await sim.faults({ server: 'api', method: 'POST', path: '/keywords$', status });
        const error = await caught(() => client.request({ method: 'POST', path: `/assets/${asset}/keywords`, body: [`no-retry-${status}`] }));
        expect(error.status).toBe(status);
        // The fault fired once; a retry would have reached the API.
        const state = await sim.state();
        expect(state.faultsFired).toBe(1);
        expect(state.api.requests).toBe(0);
      }
    });

    it('retries a GET whose connection was reset, and never a POST', async () => {
      const { client } = sim.connect();
      await client.authHeaders();
      await sim.faults({ server: 'api', method: 'GET', path: '^/assets/', reset: true });
      await expect(get(client)).resolves.toMatchObject({ status: 200 });
      await sim.faults({ server: 'api', method: 'POST', path: '/keywords$', reset: true });
      const error = await caught(() => client.request({ method: 'POST', path: `/assets/${asset}/keywords`, body: ['reset'] }));
      expect(error.code).toBe('network_error');
      expect((await sim.state()).faultsFired).toBe(2);
    });

    it('times out a slow answer and retries a GET', async () => {
      const { client } = sim.connect({}, { client: { timeoutMs: 300 } });
      await client.authHeaders();
      await sim.faults({ server: 'api', path: '^/assets/', delayMs: 1000, status: 200, body: {} });
      await expect(get(client)).resolves.toMatchObject({ status: 200 });
      await sim.faults({ server: 'api', path: '^/assets/', delayMs: 1000, status: 200, body: {}, times: 0 });
      const error = await caught(() => get(client));
      expect(error.code).toBe('timeout');
      expect(error.message).toMatch(/did not answer within 300 ms/);
    });

    it('explains an HTML error page and a body that is not JSON', async () => {
      const { client } = sim.connect({}, { client: { retry: { maxRetries: 0 } } });
      await sim.faults({ server: 'api', path: '^/assets/', status: 502, html: true });
      const html = await caught(() => get(client));
      expect(html.message).toBe(`MediaValet answered 502 to GET /assets/${asset} (an HTML error page)`);
      await sim.faults({ server: 'api', path: '^/assets/', malformed: true });
      const malformed = await caught(() => get(client));
      expect(malformed.code).toBe('invalid_response');
      expect(malformed.message).toMatch(/not JSON/);
    });

    it('refuses an oversize body instead of exhausting memory', async () => {
      const { client } = sim.connect({}, { client: { maxResponseBytes: 100_000 } });
      await sim.faults({ server: 'api', path: '^/assets/', oversizeBytes: 500_000 });
      const error = await caught(() => get(client));
      expect(error.code).toBe('response_too_large');
    });

    it('refuses an oversize body also when the host\'s transport read it whole (n8n\'s helpers have no limit)', async () => {
      const axiosTransport = createAxiosTransport();
      const unlimited = { request: (r: HttpRequest) => axiosTransport.request({ ...r, maxResponseBytes: 10_000_000 }) };
      const { client } = sim.connect({}, { transport: unlimited, client: { maxResponseBytes: 100_000 } });
      await sim.faults({ server: 'api', path: '^/assets/', oversizeBytes: 500_000 });
      const error = await caught(() => get(client));
      expect(error.code).toBe('response_too_large');
      expect(error.message).toMatch(/larger than the 100000 bytes allowed/);
    });

    it('takes the timeout in seconds from the account settings, and names the field when it is wrong', async () => {
      const { client } = sim.connect({ timeoutSeconds: 1 }, { client: { timeoutMs: undefined, retry: { maxRetries: 0 } } });
      await client.authHeaders();
      await sim.faults({ server: 'api', path: '^/assets/', delayMs: 1500, status: 200, body: {} });
      expect((await caught(() => get(client))).message).toMatch(/did not answer within 1000 ms/);
      for (const wrong of ['soon', 0, 7200]) {
        const error = await caught(async () => sim.connect({ timeoutSeconds: wrong }, { client: { timeoutMs: undefined } }));
        expect(error.field).toBe('timeout');
        expect(error.message).toMatch(/between 1 and 3600 seconds/);
      }
    });
  });

  describe('writes', () => {
    it('fails a PATCH whose lines MediaValet skipped (meta.errors), naming the fields', async () => {
      const { client } = sim.connect();
      const error = await caught(() =>
        client.request({ method: 'PATCH', path: `/assets/${asset}`, body: [...assetPatch({ title: 'Kept' }), { op: 'replace', path: '/colour', value: 'red' }, { op: 'replace', path: '/attributes/nope', value: 'x' }] }),
      );
      expect(error.code).toBe('rejected_fields');
      expect(error.rejectedFields).toEqual(['/colour', '/attributes/nope']);
      expect(error.message).toMatch(/rejected 2 fields .*\/colour \(The path \/colour cannot be changed.\)/);
      expect((await sim.asset(asset)).title).toBe('Kept');
    });

    it('sends every PATCH as application/json-patch+json, even when the caller set another content type', async () => {
      const { client } = sim.connect();
      const response = await client.request({ method: 'PATCH', path: `/assets/${asset}`, body: assetPatch({ altText: `alt on ${profile}` }), headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(200);
      expect((await sim.asset(asset)).altText).toBe(`alt on ${profile}`);
    });

    it('shows Meta.Warnings as warnings, not as a failure: the write ran', async () => {
      const told: Array<[string[], string]> = [];
      const { client } = sim.connect({}, { client: { onWarnings: (warnings, what) => void told.push([warnings, what]) } });
      const response = await client.request({ method: 'PATCH', path: `/assets/${asset}`, query: { include: 'media' }, body: [{ op: 'replace', path: '/title', value: `Warned ${profile}`, note: 'unneeded' }] });
      expect(response.status).toBe(200);
      expect((await sim.asset(asset)).title).toBe(`Warned ${profile}`);
      expect(response.warningMessages).toEqual(
        strict ? ['The include parameter is not supported and was ignored.', '/title/note: The member note of a JSON Patch operation is not needed and was ignored.'] : [],
      );
      expect(told).toEqual(strict ? [[response.warningMessages, `PATCH /assets/${asset}`]] : []);
    });

    it('reads the message of either error-body form', async () => {
      const { client } = sim.connect();
      const error = await caught(() => get(client, '99999999-0000-4000-8000-000000000000'));
      expect(error.status).toBe(404);
      expect(error.serverMessage).toBe('Asset 99999999-0000-4000-8000-000000000000 was not found.');
      expect(error.message).toBe('MediaValet answered 404 to GET /assets/99999999-0000-4000-8000-000000000000: Asset 99999999-0000-4000-8000-000000000000 was not found.');
    });

    it('resolves attributes by name and says which names exist', async () => {
      const { client } = sim.connect();
      expect(await attributesByName(client, { photographer: 'Ana' })).toEqual({ [SEED_IDS.attributes.photographer]: 'Ana' });
      const error = await caught(() => attributesByName(client, { Colour: 'red' }));
      expect(error.message).toMatch(/no attribute named "Colour"/);
      expect(error.hint).toMatch(/Photographer, Usage Rights, Product SKU/);
    });

    it('gets an existing direct link instead of creating one per call', async () => {
      const { client } = sim.connect();
      const first = await getOrCreateDirectLink(client, asset);
      const second = await getOrCreateDirectLink(client, asset);
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.link.url).toBe(first.link.url);
    });
  });

  describe('paging', () => {
    it('pages a search to the end: every asset once, in order', async () => {
      const { client } = sim.connect();
      const ids: string[] = [];
      for await (const a of client.paginate<any>(searchRequest({ sort: 'record.createdAt A' }, 5))) ids.push(a.id);
      const total = (await sim.state()).assets;
      expect(ids).toHaveLength(total);
      expect(new Set(ids).size).toBe(total);
      expect((await sim.state()).api.byRoute['POST /assets/search']).toBe(Math.ceil(total / 5));
    });

    it('stops on a limit, mid-page', async () => {
      const { client } = sim.connect();
      const ids: string[] = [];
      for await (const a of client.paginate<any>({ method: 'GET', path: '/assets', pageSize: 4, limit: 6 })) ids.push(a.id);
      expect(ids).toHaveLength(6);
    });

    it(strict ? 'learns a cap below the size asked for from the 400, and keeps going' : 'learns the cap from a page shorter than asked for while more remain, and keeps going', async () => {
      await sim.settings({ pageSizeCap: 3 });
      const { client } = sim.connect();
      const ids: string[] = [];
      for await (const a of client.paginate<any>({ method: 'GET', path: '/assets', pageSize: 10 })) ids.push(a.id);
      expect(new Set(ids).size).toBe((await sim.state()).assets);
      // Strict: from the 400; lenient: from the first short page while the total says more remain.
      expect(client.pageCap).toBe(3);
    });

    it('lists every keyword page by page, below the cap', async () => {
      await sim.settings({ pageSizeCap: 5 });
      const { client } = sim.connect();
      const keywords = await listKeywords(client);
      expect(keywords.length).toBeGreaterThan(10);
      expect(new Set(keywords.map((k) => k.id)).size).toBe(keywords.length);
      expect(keywords.map((k) => k.keywordName)).toEqual(expect.arrayContaining(['coral', 'summer', 'demo']));
    });

    it('scopes a search to a category and its subcategories', async () => {
      const { client } = sim.connect();
      const inTree: string[] = [];
      for await (const a of client.paginate<any>(searchRequest({ categoryId: SEED_IDS.categories.products }))) inTree.push(a.id);
      const direct: string[] = [];
      for await (const a of client.paginate<any>(searchRequest({ categoryId: SEED_IDS.categories.products, includeSubcategories: false }))) direct.push(a.id);
      expect(inTree.length).toBeGreaterThan(0);
      expect(direct).toHaveLength(0);
    });
  });
});
