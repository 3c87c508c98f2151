// The simulator must follow the facts sheet (shared/mediavalet-api.md): these tests pin
// the behaviours the nodes rely on, so a change to the simulator cannot quietly make
// our tests easier than MediaValet.
import { authorizationServer, buildAuthorizationRequest } from '../core';
import { PROFILES, type ProfileName, SEED_IDS } from '../simulator/index';
import { signInOverHttp } from './helpers/browserless-login';
import { DEMO, Sim } from './helpers/simulator';

/** RFC 6749 2.3.1: what a correct client sends. */
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
/** What a client that skips the form-encoding sends (n8n's own OAuth client with "header"). */
const rawBasic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';
const passwordForm = (user = DEMO.users[0], scope = 'openid api offline_access') => new URLSearchParams({ grant_type: 'password', username: user.username, password: user.password, scope });

let sim: Sim;
let token: string;
async function tokenFor(target: Sim, user = DEMO.users[0]) {
  const response = await fetch(`${target.identityUrl}/connect/token`, { method: 'POST', headers: { authorization: basic(DEMO.clientId, DEMO.clientSecret), 'content-type': FORM }, body: passwordForm(user) });
  return response.json();
}
beforeAll(async () => {
  sim = await Sim.start();
  token = (await tokenFor(sim)).access_token;
});
afterAll(() => sim.stop());

type ApiInit = RequestInit & { key?: string | null; bearer?: string | null; version?: string; contentType?: string };
const apiOf = (target: () => Sim, bearer: () => string) => (path: string, init: ApiInit = {}) =>
  fetch(`${target().apiUrl}${path}`, {
    ...init,
    headers: {
      ...(init.key === null ? {} : { 'Ocp-Apim-Subscription-Key': init.key ?? DEMO.subscriptionKey }),
      ...(init.bearer === null ? {} : { authorization: `Bearer ${init.bearer ?? bearer()}` }),
      ...(init.version ? { 'x-mv-api-version': init.version } : {}),
      ...(init.body ? { 'content-type': init.contentType ?? (init.method === 'PATCH' ? 'application/json-patch+json' : 'application/json') } : {}),
    },
  });
const api = apiOf(() => sim, () => token);

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
    const viewerToken = (await tokenFor(sim, DEMO.users[1])).access_token;
    const body = JSON.stringify([{ op: 'replace', path: '/title', value: 'x' }]);
    expect((await api(`/assets/${SEED_IDS.firstAsset}`, { method: 'PATCH', body, bearer: viewerToken, version: '1.2' })).status).toBe(403);
    expect((await api(`/assets/${SEED_IDS.firstAsset}`, { method: 'PATCH', body, bearer: viewerToken, version: '1.0' })).status).toBe(401);
  });
});

describe('envelope and search', () => {
  it('understands the filter grammar of the facts sheet', async () => {
    const search = async (body: object) => (await (await api('/assets/search', { method: 'POST', body: JSON.stringify({ count: 50, ...body }) })).json()).Payload.assets as any[];
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
    expect((await bad.json()).message).toMatch(/Colour/);
  });
  it('signs media links that expire', async () => {
    const asset = (await (await api(`/assets/${SEED_IDS.firstAsset}`)).json()).Payload;
    const link = new URL(asset.media.original);
    expect(link.searchParams.get('se')).toBe(asset.sasExpiry);
    expect((await fetch(link)).status).toBe(200);
    link.searchParams.set('se', '2020-01-01T00:00:00Z');
    expect((await fetch(link)).status).toBe(403);
  });
});

describe('storage speaks Azure\'s block protocol', () => {
  it('rejects a single PUT without x-ms-blob-type, block ids of different lengths, and any Authorization header', async () => {
    const upload = (await (await api('/uploads', { method: 'POST', body: JSON.stringify({ filename: 'a.bin' }) })).json()).Payload;
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
    const upload = (await (await api('/uploads', { method: 'POST', body: JSON.stringify({ filename: 'b.bin' }) })).json()).Payload;
    const response = await api(`/uploads/${upload.id}`, { method: 'PATCH', body: JSON.stringify([{ op: 'replace', path: '/status', value: 1 }]) });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/No file has been uploaded/);
  });
});

// The two sides of every unknown and likely of the facts sheet, each pinned on the wire, so
// neither profile can drift towards what our code happens to do.
describe.each<ProfileName>(['strict', 'lenient'])('the %s profile', (profile) => {
  const strict = profile === 'strict';
  let target: Sim;
  let bearer: string;
  let tokens: { access_token: string; refresh_token: string; expires_in: number };
  const call = apiOf(() => target, () => bearer);
  const json = async (response: Response) => ({ status: response.status, headers: response.headers, body: await response.json() });
  const payloadOf = (body: any) => (strict ? body.Payload : body.payload);
  const token = (body: Record<string, string>, authorization?: string) =>
    fetch(`${target.identityUrl}/connect/token`, { method: 'POST', headers: { 'content-type': FORM, ...(authorization ? { authorization } : {}) }, body: new URLSearchParams(body) });

  beforeAll(async () => {
    target = await Sim.start({ profile });
    tokens = await tokenFor(target);
    bearer = tokens.access_token;
  });
  afterAll(() => target.stop());
  beforeEach(() => target.clearFaults());

  it(`issues ${PROFILES[profile].accessTokenTTL}-second access tokens`, () => {
    expect(tokens.expires_in).toBe(PROFILES[profile].accessTokenTTL);
  });

  it(strict ? 'takes Basic only form-encoded, and each client only the way it registered' : 'takes the raw secret in Basic too, and either way for any client', async () => {
    expect((await token(Object.fromEntries(passwordForm()), basic(DEMO.clientId, DEMO.clientSecret))).status).toBe(200);
    const raw = await token(Object.fromEntries(passwordForm()), rawBasic(DEMO.clientId, DEMO.clientSecret));
    const inBody = await token({ ...Object.fromEntries(passwordForm()), client_id: DEMO.clientId, client_secret: DEMO.clientSecret });
    const postClientBasic = await token(Object.fromEntries(passwordForm()), basic(DEMO.postClientId, DEMO.clientSecret));
    const postClientBody = await token({ ...Object.fromEntries(passwordForm()), client_id: DEMO.postClientId, client_secret: DEMO.clientSecret });
    expect(postClientBody.status).toBe(200);
    if (strict) {
      // A raw "+" reads as a space and "%2F" as "/": the secret no longer matches.
      expect(raw.status).toBe(401);
      expect((await raw.json()).error).toBe('invalid_client');
      expect(inBody.status).toBe(401);
      expect((await inBody.json()).error_description).toMatch(/must authenticate with HTTP Basic/);
      expect(postClientBasic.status).toBe(401);
    } else {
      expect(raw.status).toBe(200);
      expect(inBody.status).toBe(200);
      expect(postClientBasic.status).toBe(200);
    }
  });

  it(strict ? 'rotates refresh tokens, and a replay revokes the grant' : 'keeps the refresh token (no rotation)', async () => {
    const first = await tokenFor(target);
    const refresh = (rt: string) => token({ grant_type: 'refresh_token', refresh_token: rt }, basic(DEMO.clientId, DEMO.clientSecret));
    const second = await json(await refresh(first.refresh_token));
    expect(second.status).toBe(200);
    if (strict) {
      expect(second.body.refresh_token).not.toBe(first.refresh_token);
      expect((await refresh(first.refresh_token)).status).toBe(400);
      expect((await refresh(second.body.refresh_token)).status).toBe(400);
    } else {
      expect(second.body.refresh_token ?? first.refresh_token).toBe(first.refresh_token);
      expect((await refresh(first.refresh_token)).status).toBe(200);
    }
  });

  it(strict ? 'requires PKCE' : 'does not require PKCE', async () => {
    const url = new URL(`${target.identityUrl}/connect/authorize`);
    url.search = new URLSearchParams({ response_type: 'code', client_id: DEMO.clientId, redirect_uri: DEMO.redirectUris[3], scope: 'openid api', state: 's' }).toString();
    const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!, target.identityUrl);
    expect(location.searchParams.get('error')).toBe(strict ? 'invalid_request' : null);
  });

  it(strict ? 'names itself (iss) on the redirect back from sign-in' : 'sends no iss on the redirect back from sign-in', async () => {
    const request = buildAuthorizationRequest(authorizationServer(target.identityUrl, true), { clientId: DEMO.clientId }, { redirectUri: DEMO.redirectUris[3] });
    const callback = await signInOverHttp(request.url, DEMO.users[0].username, DEMO.users[0].password, DEMO.redirectUris[3]);
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('iss')).toBe(strict ? target.identityUrl : null);
  });

  it(strict ? 'answers 429 without Retry-After, even when a fault asks for one' : 'sends Retry-After on 429 when a fault asks for one', async () => {
    await target.faults({ server: 'api', path: '^/assets$', status: 429, retryAfter: '3' });
    const response = await call('/assets');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe(strict ? null : '3');
  });

  it(strict ? 'wraps answers in the PascalCase envelope, StartingRecord counted from 1' : 'wraps answers in the camelCase envelope, startingRecord counted from 0', async () => {
    const { body } = await json(await call('/assets?count=2&offset=1&includeTotalCount=true', { version: '1.2' }));
    if (strict) {
      expect(Object.keys(body)).toEqual(['ApiVersion', 'Meta', 'RecordCount', 'Payload']);
      expect(body.RecordCount).toEqual({ TotalRecordsFound: 12, StartingRecord: 2 });
      expect(body.ApiVersion).toBe('1.2');
    } else {
      expect(Object.keys(body)).toEqual(['apiVersion', 'meta', 'recordCount', 'payload']);
      expect(body.recordCount).toEqual({ totalRecordsFound: 12, startingRecord: 1 });
    }
    expect(payloadOf(body).assets).toHaveLength(2);
  });

  it('takes count and offset whatever their case', async () => {
    const lower = payloadOf((await json(await call('/assets?count=3&offset=2'))).body).assets.map((a: any) => a.id);
    const upper = payloadOf((await json(await call('/assets?Count=3&OFFSET=2'))).body).assets.map((a: any) => a.id);
    const search = payloadOf((await json(await call('/assets/search', { method: 'POST', body: JSON.stringify({ Count: 3, Offset: 2 }) }))).body).assets.map((a: any) => a.id);
    expect(lower).toHaveLength(3);
    expect(upper).toEqual(lower);
    expect(search).toHaveLength(3);
  });

  it(strict ? 'refuses a count above 50 with 400' : 'serves at most 1,000 records, whatever count asks for', async () => {
    await target.bulk(strict ? 110 : 1100);
    const { status, body } = await json(await call('/assets/search', { method: 'POST', body: JSON.stringify({ count: strict ? 120 : 1200 }) }));
    if (strict) {
      expect(status).toBe(400);
      expect(body.message).toBe('count must be between 1 and 50 (was 120)');
      expect((await call('/assets?count=51')).status).toBe(400);
      expect((await call('/assets?count=50')).status).toBe(200);
    } else {
      expect(status).toBe(200);
      expect(payloadOf(body).assets).toHaveLength(1000);
    }
  });

  it(strict ? 'refuses a search offset above 100,000 with 400, and serves one at it' : 'has no offset limit', async () => {
    await target.settings({ syntheticAssets: 200_000 });
    try {
      const past = await call('/assets/search', { method: 'POST', body: JSON.stringify({ offset: 100_001, count: 5 }) });
      const at = await json(await call('/assets/search', { method: 'POST', body: JSON.stringify({ offset: 100_000, count: 5 }) }));
      expect(at.status).toBe(200);
      expect(payloadOf(at.body).assets).toHaveLength(5);
      if (strict) {
        expect(past.status).toBe(400);
        expect((await json(past)).body.message).toBe('offset must be at most 100000 (was 100001); filter by date to read further');
      } else {
        expect(past.status).toBe(200);
      }
    } finally {
      await target.settings({ syntheticAssets: 0 });
    }
  });

  it(strict ? 'answers errors as {message, _links, translationKeys, interpolations, permissions}' : 'answers errors as {Message, ExceptionMessage, ExceptionType}', async () => {
    const { status, body } = await json(await call('/assets/99999999-0000-4000-8000-000000000000'));
    expect(status).toBe(404);
    if (strict) {
      expect(Object.keys(body)).toEqual(['message', '_links', 'translationKeys', 'interpolations', 'permissions']);
      expect(body.message).toMatch(/was not found/);
    } else {
      expect(Object.keys(body)).toEqual(['Message', 'ExceptionMessage', 'ExceptionType']);
      expect(body.Message).toMatch(/was not found/);
    }
  });

  it(strict ? 'takes a PATCH only as application/json-patch+json (415 otherwise)' : 'takes a PATCH as application/json too', async () => {
    const body = JSON.stringify([{ op: 'replace', path: '/description', value: `patched on ${profile}` }]);
    const plain = await call(`/assets/${SEED_IDS.firstAsset}`, { method: 'PATCH', body, contentType: 'application/json' });
    expect(plain.status).toBe(strict ? 415 : 200);
    if (strict) expect((await plain.json()).message).toMatch(/application\/json-patch\+json/);
    expect((await call(`/assets/${SEED_IDS.firstAsset}`, { method: 'PATCH', body })).status).toBe(200);
  });

  it(strict ? 'reports unneeded fields in Meta.Warnings and still does the write' : 'ignores unneeded fields silently', async () => {
    const body = JSON.stringify([{ op: 'replace', path: '/title', value: `Warned ${profile}`, note: 'not needed' }]);
    const answer = await json(await call(`/assets/${SEED_IDS.firstAsset}?include=media`, { method: 'PATCH', body }));
    expect(answer.status).toBe(200);
    expect((await target.asset(SEED_IDS.firstAsset)).title).toBe(`Warned ${profile}`);
    if (strict) expect(answer.body.Meta.Warnings.map((w: any) => w.Field)).toEqual(['include', '/title/note']);
    else expect(answer.body.meta.warnings).toBeUndefined();
  });

  it(strict ? 'answers POST /uploads with 201 {id, uploadUrl, uploadFileName, mediaFileId} and wants that name back' : 'answers POST /uploads with 200 {id, uploadUrl, UploadFilename}', async () => {
    const { status, body } = await json(await call('/uploads', { method: 'POST', body: JSON.stringify({ filename: 'photo.png' }) }));
    const upload = payloadOf(body);
    if (strict) {
      expect(status).toBe(201);
      expect(Object.keys(upload)).toEqual(['id', 'uploadUrl', 'uploadFileName', 'mediaFileId']);
      expect(upload.uploadFileName).not.toBe('photo.png');
      const local = await call(`/uploads/${upload.id}`, { method: 'PUT', body: JSON.stringify({ filename: 'photo.png', title: 't' }) });
      expect(local.status).toBe(400);
      expect((await local.json()).message).toMatch(/must be the uploadFileName/);
      expect((await call(`/uploads/${upload.id}`, { method: 'PUT', body: JSON.stringify({ filename: upload.uploadFileName, title: 't' }) })).status).toBe(202);
    } else {
      expect(status).toBe(200);
      expect(Object.keys(upload)).toEqual(['id', 'uploadUrl', 'UploadFilename']);
      expect(upload.UploadFilename).toBe('photo.png');
      expect((await call(`/uploads/${upload.id}`, { method: 'PUT', body: JSON.stringify({ filename: 'photo.png', title: 't' }) })).status).toBe(202);
    }
  });

  it(strict ? 'signs media links that expire within a minute' : 'signs media links for an hour', async () => {
    const asset = payloadOf((await json(await call(`/assets/${SEED_IDS.firstAsset}`))).body);
    const lifetime = (Date.parse(asset.sasExpiry) - Date.now()) / 1000;
    if (strict) expect(lifetime).toBeLessThan(60);
    else expect(lifetime).toBeGreaterThan(3000);
    expect(lifetime).toBeGreaterThan(30);
  });
});
