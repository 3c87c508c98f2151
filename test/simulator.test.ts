// The simulator must follow the facts sheet (shared/mediavalet-api.md): these tests pin
// the behaviours the nodes rely on, so a change to the simulator cannot quietly make
// our tests easier than MediaValet.
import { SEED_IDS } from '../simulator/index';
import { DEMO, Sim } from './helpers/simulator';

let sim: Sim;
let token: string;
beforeAll(async () => {
  sim = await Sim.start();
  const response = await fetch(`${sim.identityUrl}/connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${DEMO.clientId}:${DEMO.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: DEMO.users[0].username, password: DEMO.users[0].password, scope: 'openid api offline_access' }),
  });
  token = (await response.json()).access_token;
});
afterAll(() => sim.stop());

const api = (path: string, init: RequestInit & { key?: string | null; bearer?: string | null; version?: string } = {}) =>
  fetch(`${sim.apiUrl}${path}`, {
    ...init,
    headers: {
      ...(init.key === null ? {} : { 'Ocp-Apim-Subscription-Key': init.key ?? DEMO.subscriptionKey }),
      ...(init.bearer === null ? {} : { authorization: `Bearer ${init.bearer ?? token}` }),
      ...(init.version ? { 'x-mv-api-version': init.version } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });

describe('identity server', () => {
  it('publishes discovery with IdentityServer paths, S256 and the password grant', async () => {
    const doc = await (await fetch(`${sim.identityUrl}/.well-known/openid-configuration`)).json();
    expect(doc.issuer).toBe(sim.identityUrl);
    expect(doc.authorization_endpoint).toBe(`${sim.identityUrl}/connect/authorize`);
    expect(doc.token_endpoint).toBe(`${sim.identityUrl}/connect/token`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'password']));
    expect((await (await fetch(doc.jwks_uri)).json()).keys[0].kty).toBe('RSA');
  });
  it('requires PKCE on the authorization request', async () => {
    const url = new URL(`${sim.identityUrl}/connect/authorize`);
    url.search = new URLSearchParams({ response_type: 'code', client_id: DEMO.clientId, redirect_uri: DEMO.redirectUris[3], scope: 'openid api', state: 's' }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });
  it('shows a sign-in page that says what is wrong and can be cancelled', async () => {
    const url = new URL(`${sim.identityUrl}/connect/authorize`);
    url.search = new URLSearchParams({ response_type: 'code', client_id: DEMO.clientId, redirect_uri: DEMO.redirectUris[3], scope: 'openid api offline_access', state: 's1', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }).toString();
    const first = await fetch(url, { redirect: 'manual' });
    const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const pageUrl = new URL(first.headers.get('location')!, sim.identityUrl);
    const page = await (await fetch(pageUrl, { headers: { cookie } })).text();
    expect(page).toContain('Sign in to MediaValet');
    expect(page).toContain('id="username"');
    const wrong = await fetch(`${pageUrl}/login`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=demo%40mediavalet.test&password=nope' });
    expect(await wrong.text()).toContain('Wrong username or password.');
    const cancel = await fetch(`${pageUrl}/abort`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
    const resume = await fetch(new URL(cancel.headers.get('location')!, sim.identityUrl), { headers: { cookie }, redirect: 'manual' });
    const callback = new URL(resume.headers.get('location')!);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('s1');
  });
});

describe('API gateway and bearer checks', () => {
  it('answers 401 with APIM\'s words for a missing or wrong subscription key', async () => {
    const missing = await api('/assets', { key: null });
    expect(missing.status).toBe(401);
    expect((await missing.json()).message).toMatch(/missing subscription key/);
    expect((await (await api('/assets', { key: 'nope' })).json()).message).toMatch(/invalid subscription key/);
  });
  it('answers 401 with WWW-Authenticate for a missing or unknown bearer token, and ignores tokens in the query', async () => {
    const missing = await api('/assets', { bearer: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await api(`/assets?access_token=${token}`, { bearer: null })).status).toBe(401);
    expect((await api('/assets', { bearer: 'made-up' })).status).toBe(401);
  });
  it('reports a permission failure as 403 from API version 1.2 and as 401 before', async () => {
    const viewer = await fetch(`${sim.identityUrl}/connect/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${DEMO.clientId}:${DEMO.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: DEMO.users[1].username, password: DEMO.users[1].password, scope: 'openid api' }),
    });
    const viewerToken = (await viewer.json()).access_token;
    const body = JSON.stringify([{ op: 'replace', path: '/title', value: 'x' }]);
    expect((await api(`/assets/${SEED_IDS.firstAsset}`, { method: 'PATCH', body, bearer: viewerToken, version: '1.2' })).status).toBe(403);
    expect((await api(`/assets/${SEED_IDS.firstAsset}`, { method: 'PATCH', body, bearer: viewerToken, version: '1.0' })).status).toBe(401);
  });
});

describe('envelope and search', () => {
  it('wraps answers in { apiVersion, meta, recordCount, payload }', async () => {
    const body = await (await api('/assets?count=2&offset=1&includeTotalCount=true')).json();
    expect(Object.keys(body)).toEqual(['apiVersion', 'meta', 'recordCount', 'payload']);
    expect(body.recordCount).toEqual({ totalRecordsFound: 12, startingRecord: 1 });
    expect(body.payload.assets).toHaveLength(2);
  });
  it('understands the filter grammar of the facts sheet', async () => {
    const search = async (body: object) => (await (await api('/assets/search', { method: 'POST', body: JSON.stringify({ count: 100, ...body }) })).json()).payload.assets as any[];
    expect(await search({ filters: '(AssetType EQ Image)' })).toHaveLength(12);
    expect(await search({ filters: '(AssetType EQ Video)' })).toHaveLength(0);
    const after = await search({ filters: '(DateUploaded GE 2026-01-10T00:00:00.000Z)' });
    expect(after.every((a) => a.record.createdAt >= '2026-01-10')).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    const both = await search({ filters: '(DateUploaded GE 2026-01-10T00:00:00.000Z) AND (AssetType EQ Image)' });
    expect(both).toHaveLength(after.length);
    expect(await search({ search: 'coral' })).toHaveLength(1);
    const sorted = await search({ sort: 'record.createdAt D' });
    expect(sorted[0].record.createdAt > sorted[11].record.createdAt).toBe(true);
    const bad = await api('/assets/search', { method: 'POST', body: JSON.stringify({ filters: '(Colour EQ Red)' }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).Message).toMatch(/Colour/);
  });
  it('signs media links that expire', async () => {
    const asset = (await (await api(`/assets/${SEED_IDS.firstAsset}`)).json()).payload;
    const link = new URL(asset.media.original);
    expect(link.searchParams.get('se')).toBe(asset.sasExpiry);
    expect((await fetch(link)).status).toBe(200);
    link.searchParams.set('se', '2020-01-01T00:00:00Z');
    expect((await fetch(link)).status).toBe(403);
  });
});

describe('storage speaks Azure\'s block protocol', () => {
  it('rejects a single PUT without x-ms-blob-type, block ids of different lengths, and any Authorization header', async () => {
    const upload = (await (await api('/uploads', { method: 'POST', body: JSON.stringify({ filename: 'a.bin' }) })).json()).payload;
    const put = (query: string, headers: Record<string, string> = {}) => fetch(`${upload.uploadUrl}${query}`, { method: 'PUT', body: 'abc', headers });
    expect((await put('')).status).toBe(400);
    expect((await put('', { 'x-ms-blob-type': 'BlockBlob', authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await put(`&comp=block&blockid=${encodeURIComponent(btoa('b-1'))}`)).status).toBe(201);
    const mismatch = await put(`&comp=block&blockid=${encodeURIComponent(btoa('b-0002'))}`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.headers.get('x-ms-error-code')).toBe('InvalidBlobOrBlock');
    const unknown = await fetch(`${upload.uploadUrl}&comp=blocklist`, { method: 'PUT', body: `<BlockList><Latest>${btoa('b-9')}</Latest></BlockList>` });
    expect(unknown.headers.get('x-ms-error-code')).toBe('InvalidBlockList');
  });
  it('will not finalise an upload whose bytes never arrived', async () => {
    const upload = (await (await api('/uploads', { method: 'POST', body: JSON.stringify({ filename: 'b.bin' }) })).json()).payload;
    const response = await api(`/uploads/${upload.id}`, { method: 'PATCH', body: JSON.stringify([{ op: 'replace', path: '/status', value: 1 }]) });
    expect(response.status).toBe(400);
    expect((await response.json()).Message).toMatch(/No file has been uploaded/);
  });
});
