// The MediaValet nodes executed inside real n8n 2.41 (Node 24), the packed n8n package
// installed in n8n's community nodes folder, one workflow per operation, against the simulator.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'flatted';
import { DEMO, SEED_IDS } from '../../simulator/index';
import { gradientPng } from '../../simulator/png';
import { Sim } from '../helpers/simulator';
import { ARTIFACTS, launchChromium, n8nTarball, waitFor } from './env';
import { N8nProcess, NODE, OWNER, oauth2CredentialFields, passwordCredentialFields } from './n8n-runtime';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

let sim: Sim;
let n8n: N8nProcess;
let password: { id: string; name: string };
const asset = SEED_IDS.firstAsset;

beforeAll(async () => {
  sim = await Sim.start();
  n8n = new N8nProcess(n8nTarball());
  await n8n.start();
  await n8n.setupOwner();
  password = await n8n.createCredential('MediaValet (password)', 'mediaValetPasswordApi', passwordFields());
});
afterAll(async () => {
  if (n8n) fs.writeFileSync(path.join(ARTIFACTS, 'n8n.log'), n8n.log);
  await n8n?.stop();
  await sim?.stop();
});

/** The OAuth2 credential's fields for the simulator (client id and secret of a client registered for n8n's callback). */
function oauth2Fields() {
  return { clientSecret: DEMO.clientSecret, identityUrl: sim.identityUrl, subscriptionKey: DEMO.subscriptionKey, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true };
}

/** The password credential's fields for the simulator. */
function passwordFields() {
  return passwordCredentialFields(sim, DEMO);
}

/**
 * Successful token requests: the process shares one sign-in per credential set (core's
 * shared-sign-in), which renews with its refresh token, or the password when it has none.
 */
function signIns(state: { identity: { grants: Record<string, number> } }): number {
  return (state.identity.grants.password ?? 0) + (state.identity.grants.refresh_token ?? 0);
}

let hooks = 0;
/** Runs one MediaValet operation in a fresh workflow and returns the webhook's response. */
async function run(parameters: Record<string, unknown>, body: unknown = {}, options: { response?: 'allEntries' | 'firstEntryBinary'; node?: Record<string, unknown>; credential?: { id: string; name: string }; credentialType?: string; tokenOutput?: boolean } = {}) {
  const hook = `mv-${++hooks}`;
  const credentialType = options.credentialType ?? 'mediaValetPasswordApi';
  await n8n.webhookWorkflow(
    hook,
    [
      {
        name: 'MediaValet',
        type: NODE.mediaValet,
        parameters: { authentication: credentialType === 'mediaValetPasswordApi' ? 'password' : 'oAuth2', ...parameters },
        credentials: { [credentialType]: options.credential ?? password },
        ...options.node,
      },
    ],
    options.response,
  );
  return n8n.callWebhook(hook, body, { tokenOutput: options.tokenOutput });
}

async function lastExecutionError(): Promise<string> {
  const list = await n8n.rest<{ results: Array<{ id: string }> }>('GET', '/executions?limit=1');
  const execution = await n8n.rest<{ data: string }>('GET', `/executions/${list.results[0].id}`);
  const data = parse(execution.data);
  const text = JSON.stringify(data.resultData.error ?? data.resultData.runData);
  record('n8n execution', text);
  return text;
}

describe('asset', () => {
  it('search: text, limit and options', async () => {
    const { json } = await run({ resource: 'asset', operation: 'search', query: 'gradient', returnAll: false, limit: 3, options: { sort: 'title A' } });
    expect(json).toHaveLength(3);
    expect(json.map((a: any) => a.title)).toEqual([...json.map((a: any) => a.title)].sort());
  });

  it('search: Return All within a category and its subcategories', async () => {
    const { json } = await run({ resource: 'asset', operation: 'search', query: '', returnAll: true, options: { category: { __rl: true, mode: 'id', value: SEED_IDS.categories.products } } });
    expect(json.length).toBeGreaterThan(0);
    expect(json.every((a: any) => a.categories.includes(SEED_IDS.categories.shoes))).toBe(true);
  });

  it('get, with the asset id from the incoming item', async () => {
    const { json } = await run({ resource: 'asset', operation: 'get', assetId: '={{ $json.body.assetId }}' }, { assetId: asset });
    expect(json[0].id).toBe(asset);
  });

  it('update: fields and an attribute', async () => {
    const { json } = await run({
      resource: 'asset',
      operation: 'update',
      assetId: asset,
      updateFields: { title: 'Updated in n8n', altText: 'alt from n8n' },
      attributes: { attribute: [{ name: SEED_IDS.attributes.sku, value: 'SKU-N8N' }] },
    });
    expect(json[0]).toMatchObject({ title: 'Updated in n8n', altText: 'alt from n8n' });
    expect(json[0].attributes[SEED_IDS.attributes.sku]).toBe('SKU-N8N');
  });

  it('add and remove keywords; add to and remove from a category', async () => {
    expect((await run({ resource: 'asset', operation: 'addKeywords', assetId: asset, keywords: 'n8n, automation' })).json[0].keywords).toEqual(expect.arrayContaining(['n8n', 'automation']));
    expect((await run({ resource: 'asset', operation: 'removeKeywords', assetId: asset, keywords: 'n8n' })).json[0].keywords).not.toContain('n8n');
    const category = { __rl: true, mode: 'id', value: SEED_IDS.categories.brand };
    expect((await run({ resource: 'asset', operation: 'addCategory', assetId: asset, category })).json[0].categories.map((c: any) => c.id)).toContain(SEED_IDS.categories.brand);
    expect((await run({ resource: 'asset', operation: 'removeCategory', assetId: asset, category })).json[0].categories.map((c: any) => c.id)).not.toContain(SEED_IDS.categories.brand);
  });

  it('renditions, history and a direct link that is reused', async () => {
    expect((await run({ resource: 'asset', operation: 'getRenditions', assetId: asset })).json.map((r: any) => r.name)).toContain('thumb');
    expect((await run({ resource: 'asset', operation: 'getHistory', assetId: asset, returnAll: true })).json.length).toBeGreaterThan(0);
    const first = (await run({ resource: 'asset', operation: 'getDirectLink', assetId: asset })).json[0];
    const second = (await run({ resource: 'asset', operation: 'getDirectLink', assetId: asset })).json[0];
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, url: first.url });
  });

  it('download: the original as binary data', async () => {
    const id = '10000000-0000-4000-8000-000000000004';
    const response = await run({ resource: 'asset', operation: 'download', assetId: id, rendition: 'original', binaryPropertyName: 'data' }, {}, { response: 'firstEntryBinary' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/image\/png/);
    expect(response.buffer!.subarray(1, 4).toString()).toBe('PNG');
  });

  it('delete', async () => {
    const { json } = await run({ resource: 'asset', operation: 'delete', assetId: '10000000-0000-4000-8000-000000000011' });
    expect(json[0]).toEqual({ id: '10000000-0000-4000-8000-000000000011', deleted: true });
    expect(await sim.asset('10000000-0000-4000-8000-000000000011')).toBeNull();
  });
});

describe('upload', () => {
  it('uploads the incoming binary with metadata', async () => {
    const png = gradientPng(30, 20, [0, 120, 200]);
    const form = new FormData();
    form.append('data', new Blob([png], { type: 'image/png' }), 'from-n8n.png');
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      {
        name: 'MediaValet',
        type: NODE.mediaValet,
        parameters: {
          authentication: 'password',
          resource: 'upload',
          operation: 'uploadFile',
          // The Webhook node numbers multipart files (data0, …): take the first binary field.
          binaryPropertyName: '={{ Object.keys($binary)[0] }}',
          options: { title: 'Uploaded by n8n', keywords: 'n8n, upload', categoryIds: [SEED_IDS.categories.brand], attributes: { attribute: [{ name: SEED_IDS.attributes.photographer, value: 'n8n' }] } },
        },
        credentials: { mediaValetPasswordApi: password },
      },
    ]);
    const { json } = await n8n.callWebhook(hook, form);
    if (!Array.isArray(json)) throw new Error(`the upload workflow failed: ${JSON.stringify(json)} ${await lastExecutionError()}`);
    expect(json[0]).toMatchObject({ filename: 'from-n8n.png', sizeInBytes: png.length, method: 'single' });
    expect(json[0].asset).toMatchObject({ title: 'Uploaded by n8n', keywords: ['n8n', 'upload'], categories: [SEED_IDS.categories.brand] });
    expect(json[0].asset.attributes[SEED_IDS.attributes.photographer]).toBe('n8n');
    expect((await sim.upload(json[0].uploadId))?.size).toBe(png.length);
  });

  it('uploads the incoming binary as a new version of an asset', async () => {
    const id = '10000000-0000-4000-8000-000000000009';
    const bytes = Buffer.from('version two of the file');
    const form = new FormData();
    form.append('data', new Blob([bytes], { type: 'text/plain' }), 'v2.txt');
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      {
        name: 'MediaValet',
        type: NODE.mediaValet,
        parameters: { authentication: 'password', resource: 'upload', operation: 'uploadVersion', assetId: id, binaryPropertyName: '={{ Object.keys($binary)[0] }}' },
        credentials: { mediaValetPasswordApi: password },
      },
    ]);
    const { json } = await n8n.callWebhook(hook, form);
    expect(json[0]).toMatchObject({ id, sizeInBytes: bytes.length });
    expect(json[0].asset.version).toBe(2);
  });
});

describe('category, keyword, attribute, user', () => {
  it('lists, gets and creates categories, and lists a category\'s assets', async () => {
    expect((await run({ resource: 'category', operation: 'getMany' })).json.map((c: any) => c.name)).toEqual(expect.arrayContaining(['Marketing', 'Shoes']));
    const shoes = { __rl: true, mode: 'id', value: SEED_IDS.categories.shoes };
    expect((await run({ resource: 'category', operation: 'get', category: shoes })).json[0].name).toBe('Shoes');
    const created = (await run({ resource: 'category', operation: 'create', name: 'From n8n', options: { parent: { __rl: true, mode: 'id', value: SEED_IDS.categories.brand } } })).json[0];
    expect(created).toMatchObject({ name: 'From n8n', parentId: SEED_IDS.categories.brand });
    const assets = (await run({ resource: 'category', operation: 'getAssets', category: shoes, returnAll: true })).json;
    expect(assets.every((a: any) => a.categories.includes(SEED_IDS.categories.shoes))).toBe(true);
  });

  it('keywords, attributes and the current user', async () => {
    expect((await run({ resource: 'keyword', operation: 'create', keywordName: 'made-in-n8n' })).json[0].keywordName).toBe('made-in-n8n');
    expect((await run({ resource: 'keyword', operation: 'getMany' })).json.map((k: any) => k.keywordName)).toContain('made-in-n8n');
    expect((await run({ resource: 'attribute', operation: 'getMany' })).json.map((a: any) => a.name)).toEqual(['Photographer', 'Usage Rights', 'Product SKU']);
    expect((await run({ resource: 'user', operation: 'getCurrent' })).json[0].email).toBe(DEMO.users[0].email);
  });
});

describe('node panel lists', () => {
  // What the editor asks for while a user fills the node in: searchable categories, attributes by name.
  const ask = (route: string, body: Record<string, unknown>) =>
    n8n.rest<any>('POST', `/dynamic-node-parameters/${route}`, {
      nodeTypeAndVersion: { name: NODE.mediaValet, version: 1 },
      currentNodeParameters: { authentication: 'password', resource: 'category', operation: 'get' },
      credentials: { mediaValetPasswordApi: password },
      ...body,
    });

  it('searches categories for the category picker, and lists categories and attributes', async () => {
    const all = await ask('resource-locator-results', { path: 'parameters.category', methodName: 'searchCategories' });
    expect(all.results.length).toBeGreaterThan(3);
    const shoes = await ask('resource-locator-results', { path: 'parameters.category', methodName: 'searchCategories', filter: 'sho' });
    expect(shoes.results.length).toBeGreaterThan(0);
    expect(shoes.results.length).toBeLessThan(all.results.length);
    for (const r of shoes.results) expect(r.name.toLowerCase()).toContain('sho');
    expect(shoes.results.map((r: any) => r.value)).toContain(SEED_IDS.categories.shoes);

    const categories = await ask('options', { path: 'parameters.options.categoryIds', methodName: 'getCategories' });
    expect(categories.map((c: any) => c.value).sort()).toEqual(all.results.map((r: any) => r.value).sort());
    const attributes = await ask('options', { path: 'parameters.options.attributes', methodName: 'getAttributes' });
    expect(attributes.map((a: any) => a.name)).toEqual(['Photographer', 'Product SKU', 'Usage Rights']);
    expect(attributes.find((a: any) => a.name === 'Photographer').value).toBe(SEED_IDS.attributes.photographer);
  });
});

describe('auth and API request', () => {
  it('Get Token emits headers a downstream HTTP Request node can use', async () => {
    // The one output allowed to carry the token: the user asked for it.
    const token = (await run({ resource: 'auth', operation: 'getToken' }, {}, { tokenOutput: true })).json[0];
    expect(token.baseUrl).toBe(sim.apiUrl);
    expect(token.headers['Ocp-Apim-Subscription-Key']).toBe(DEMO.subscriptionKey);
    const direct = await fetch(`${token.baseUrl}/assets/${asset}`, { headers: token.headers });
    expect(direct.status).toBe(200);
  });

  it('API Request reaches any endpoint without exposing a token', async () => {
    const { json } = await run({ resource: 'apiRequest', operation: 'send', method: 'POST', path: '/assets/search', body: '{"search":"coral","count":5}', responseFormat: 'json' });
    expect(json[0].assets).toHaveLength(1);
    expect(JSON.stringify(json)).not.toMatch(/Bearer/);
  });
});

describe('n8n conventions', () => {
  it('continueOnFail: a failed item becomes an error item with MediaValet\'s message', async () => {
    const missing = '10000000-0000-4000-8000-999999999999';
    const { json } = await run({ resource: 'asset', operation: 'get', assetId: missing }, {}, { node: { onError: 'continueRegularOutput' } });
    expect(json[0].error).toMatch(new RegExp(`MediaValet answered 404 to GET /assets/${missing}: Asset ${missing} was not found`));
    expect(json[0]).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('without continueOnFail, the run fails with a NodeApiError that says what to fix', async () => {
    const response = await run({ resource: 'asset', operation: 'get', assetId: '10000000-0000-4000-8000-999999999999' });
    expect(response.status).toBe(500);
    const error = await lastExecutionError();
    expect(error).toMatch(/MediaValet answered 404/);
    expect(error).toMatch(/Check the id/);
  });

  it('pairs every output item with its input item', async () => {
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.ids', options: {} } },
      { name: 'MediaValet', type: NODE.mediaValet, parameters: { authentication: 'password', resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json.ids ?? $json }}' }, credentials: { mediaValetPasswordApi: password } },
      {
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        parameters: { mode: 'manual', assignments: { assignments: [{ id: 'a', name: 'asked', type: 'string', value: "={{ $('Split Out').item.json['body.ids'] }}" }, { id: 'b', name: 'got', type: 'string', value: '={{ $json.id }}' }] }, options: {} },
      },
    ]);
    const ids = ['10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000005'];
    const { json } = await n8n.callWebhook(hook, { ids });
    expect(json.map((r: any) => r.got)).toEqual(ids);
    expect(json.every((r: any) => r.asked === r.got)).toBe(true);
  });

  it('names the wrong field of the password credential', async () => {
    const bad = await n8n.createCredential('MediaValet (bad key)', 'mediaValetPasswordApi', { ...passwordFields(), subscriptionKey: 'not-the-key' });
    const { json } = await run({ resource: 'user', operation: 'getCurrent' }, {}, { credential: bad, node: { onError: 'continueRegularOutput' } });
    expect(json[0].error).toMatch(/MediaValet rejected the subscription key/);
    expect(json[0].field).toBe('subscriptionKey');
  });
});

const seeded = Array.from({ length: 10 }, (_, i) => `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
const ids = Array.from({ length: 100 }, (_, i) => seeded[i % seeded.length]);
const MIB = 1024 * 1024;

describe('a refused sign-in with the Password API credential', () => {
  const five = seeded.slice(0, 5);
  const cases = [
    { what: 'password', fields: { password: 'not-the-password' }, code: 'invalid_grant', field: 'password', text: /MediaValet rejected the username or password\..*Check the Username and Password fields/ },
    { what: 'client secret', fields: { clientSecret: 'not-the-client-secret' }, code: 'invalid_client', field: 'clientSecret', text: /MediaValet rejected the client id or client secret\..*Check the Client ID and Client Secret fields/ },
  ];

  it.each(cases)('wrong $what: each item says which field, and MediaValet is asked once for two MediaValet nodes and five items', async ({ what, fields, code, field, text }) => {
    const bad = await n8n.createCredential(`MediaValet (wrong ${what})`, 'mediaValetPasswordApi', { ...passwordFields(), ...fields });
    const hook = `mv-${++hooks}`;
    const node = (name: string, parameters: Record<string, unknown>) => ({ name, type: NODE.mediaValet, parameters: { authentication: 'password', ...parameters }, credentials: { mediaValetPasswordApi: bad }, onError: 'continueRegularOutput' });
    await n8n.webhookWorkflow(hook, [
      { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.ids', options: {} } },
      node('Get asset', { resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json }}' }),
      node('Current user', { resource: 'user', operation: 'getCurrent' }),
    ]);
    await sim.resetCounters();
    const { json } = await n8n.callWebhook(hook, { ids: five });
    const state = await sim.state();
    expect({ tokenRequests: state.identity.tokenRequests, apiRequests: state.api.requests }).toEqual({ tokenRequests: 1, apiRequests: 0 });
    expect(json).toHaveLength(5);
    for (const item of json) {
      expect(item).toMatchObject({ code, kind: 'terminal', field });
      expect(`${item.error} ${item.hint}`).toMatch(text);
      expect(item.error).not.toMatch(/Could not reach|Bad request/);
    }
  });

  it('without Continue On Fail the execution stops with that message after one sign-in', async () => {
    const bad = await n8n.createCredential('MediaValet (wrong password, stop)', 'mediaValetPasswordApi', { ...passwordFields(), password: 'not-the-password' });
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.ids', options: {} } },
      { name: 'MediaValet', type: NODE.mediaValet, parameters: { authentication: 'password', resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json }}' }, credentials: { mediaValetPasswordApi: bad } },
    ]);
    await sim.resetCounters();
    expect((await n8n.callWebhook(hook, { ids: five })).status).toBe(500);
    const error = await lastExecutionError();
    expect(error).toMatch(/MediaValet rejected the username or password/);
    expect(error).toMatch(/Check the Username and Password fields/);
    expect(error).not.toMatch(/Could not reach/);
    // At most one: the process remembers a refusal of these same credentials (an earlier test's) for a while.
    expect((await sim.state()).identity.tokenRequests).toBeLessThanOrEqual(1);
  });

  it.each(cases)('the credential Test button, wrong $what: the message that names the field', async ({ what, fields, text }) => {
    const data = { ...passwordFields(), ...fields };
    const bad = await n8n.createCredential(`MediaValet (test, wrong ${what})`, 'mediaValetPasswordApi', data);
    const result = await n8n.testCredential(bad, 'mediaValetPasswordApi', data);
    record('n8n credential test', result);
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(text);
    // Core's message and its hint, each a sentence.
    expect(result.message).not.toMatch(/[a-z] Check the/);
  });

  it('the credential Test button passes for the right credential', async () => {
    expect(await n8n.testCredential(password, 'mediaValetPasswordApi', passwordFields())).toMatchObject({ status: 'OK' });
  });
});

describe('the Client Credentials API credential', () => {
  const fields = (clientId: string) => ({ ...passwordFields(), username: undefined, password: undefined, clientId, scope: 'api:service_principal', showAdvanced: true });

  it('a workflow signs in as the client once, and the next execution reuses the token', async () => {
    const service = await n8n.createCredential('MediaValet (client credentials)', 'mediaValetClientCredentialsApi', fields(DEMO.serviceClientId));
    await sim.resetCounters();
    const options = { credential: service, credentialType: 'mediaValetClientCredentialsApi' };
    const first = await run({ authentication: 'clientCredentials', resource: 'user', operation: 'getCurrent' }, {}, options);
    expect(first.json).toEqual([expect.objectContaining({ id: DEMO.users[0].id })]);
    const second = await run({ authentication: 'clientCredentials', resource: 'user', operation: 'getCurrent' }, {}, options);
    expect(second.json).toEqual([expect.objectContaining({ id: DEMO.users[0].id })]);
    const state = await sim.state();
    expect(state.identity.grants.client_credentials).toBe(1);
    expect(state.identity.grants.password ?? 0).toBe(0);
  });

  it('the Test button passes for a client with the grant, and says what to do for one without', async () => {
    const data = fields(DEMO.serviceClientId);
    const good = await n8n.createCredential('MediaValet (client credentials, test)', 'mediaValetClientCredentialsApi', data);
    expect(await n8n.testCredential(good, 'mediaValetClientCredentialsApi', data)).toMatchObject({ status: 'OK' });
    const notEnabled = fields(DEMO.clientId);
    const bad = await n8n.createCredential('MediaValet (client credentials, not enabled)', 'mediaValetClientCredentialsApi', notEnabled);
    const result = await n8n.testCredential(bad, 'mediaValetClientCredentialsApi', notEnabled);
    record('n8n credential test', result);
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(/^MediaValet has not enabled client credentials for this client yet: ask MediaValet support, or use Password sign-in\./);
  });
});

describe('settings the client cannot be built with, under Continue On Fail', () => {
  it.each([
    ['an http:// API URL without Allow Insecure', { allowInsecure: false }, 'apiUrl', /The API URL setting must use https:\/\//],
    ['an empty subscription key', { subscriptionKey: '' }, 'subscriptionKey', /The Subscription Key is missing/],
  ])('%s: one error item per input item, naming the field', async (what, fields, field, text) => {
    const bad = await n8n.createCredential(`MediaValet (${what})`, 'mediaValetPasswordApi', { ...passwordFields(), ...fields });
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.ids', options: {} } },
      { name: 'MediaValet', type: NODE.mediaValet, parameters: { authentication: 'password', resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json }}' }, credentials: { mediaValetPasswordApi: bad }, onError: 'continueRegularOutput' },
    ]);
    const { status, json } = await n8n.callWebhook(hook, { ids: seeded.slice(0, 3) });
    expect(status).toBe(200);
    expect(json).toHaveLength(3);
    for (const item of json) expect(item).toMatchObject({ code: expect.stringMatching(/invalid_config|insecure_url/), kind: 'terminal', field, error: expect.stringMatching(text) });
  });
});

describe('MediaValet refuses every token the shared sign-in obtains', () => {
  it('renews a refused token a bounded number of times, then names the refusal on every item; no loop', async () => {
    const quick = await n8n.createCredential('MediaValet (renewal refused)', 'mediaValetPasswordApi', passwordFields());
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.ids', options: {} } },
      { name: 'MediaValet', type: NODE.mediaValet, parameters: { authentication: 'password', resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json }}' }, credentials: { mediaValetPasswordApi: quick }, onError: 'continueRegularOutput' },
    ]);
    // 20 s tokens that the API, its clock 30 s ahead, already finds expired: every token the
    // process's shared sign-in obtains is refused while it is fresh.
    await sim.settings({ accessTokenTTL: 20, clockSkewSeconds: 30 });
    try {
      await sim.resetCounters();
      const { json } = await n8n.callWebhook(hook, { ids: seeded.slice(0, 3) });
      expect(json).toHaveLength(3);
      for (const item of json) {
        // Which of core's two words it is depends on whether the token was renewed after this
        // item's own refusal; both name the 401 of GET /assets/… and end the item, no loop.
        expect(item).toMatchObject({ code: expect.stringMatching(/^(unauthorized|reconnect_required)$/), status: 401 });
        expect(item.error).toMatch(/MediaValet (refused \d+ access tokens in a row|rejected a freshly issued access token) for GET \/assets\//);
      }
      const state = await sim.state();
      // Bounded by core's caps (core/client.ts): at most 7 tries and 3 renewals per call, the
      // items in flight sharing each renewal; never a loop.
      expect(state.api.unauthorized).toBeGreaterThanOrEqual(3);
      expect(state.api.unauthorized).toBeLessThanOrEqual(3 * 7);
      expect(signIns(state)).toBeLessThanOrEqual(3 * 3);
    } finally {
      await sim.settings({ accessTokenTTL: 3600, clockSkewSeconds: 0 });
    }
  });
});

describe('OAuth2 Client Authentication, with a client secret holding : + and %', () => {
  const secret = `n8n+secret:with%25+reserved/chars${process.env.MV_CANARY ?? ''}`;
  it('"In the Request Body" (the default) connects and works; "HTTP Basic Header" is refused by a server that decodes the header', async () => {
    const redirect = `${n8n.url}/rest/oauth2-credential/callback`;
    await sim.client({ client_id: 'n8n-body-client', client_secret: secret, redirect_uris: [redirect], token_endpoint_auth_method: 'client_secret_post' });
    await sim.client({ client_id: 'n8n-basic-client', client_secret: secret, redirect_uris: [redirect], token_endpoint_auth_method: 'client_secret_basic' });

    const body = await n8n.createCredential('MediaValet (OAuth2, body)', 'mediaValetOAuth2Api', { ...oauth2Fields(), clientId: 'n8n-body-client', clientSecret: secret });
    await sim.resetCounters();
    expect((await n8n.connectOAuth2(body.id, DEMO.users[0].username, DEMO.users[0].password)).ok).toBe(true);
    expect((await sim.state()).identity.grants.authorization_code).toBe(1);
    const user = await run({ resource: 'user', operation: 'getCurrent' }, {}, { credential: body, credentialType: 'mediaValetOAuth2Api' });
    expect(user.json[0].email).toBe(DEMO.users[0].email);

    const header = await n8n.createCredential('MediaValet (OAuth2, header)', 'mediaValetOAuth2Api', { ...oauth2Fields(), clientId: 'n8n-basic-client', clientSecret: secret, authentication: 'header' });
    await sim.resetCounters();
    const refused = await n8n.connectOAuth2(header.id, DEMO.users[0].username, DEMO.users[0].password);
    fs.writeFileSync(path.join(ARTIFACTS, 'n8n-oauth2-header-refused.html'), refused.page);
    expect(refused.ok).toBe(false);
    expect(refused.page).toMatch(/invalid_client/);
    expect((await sim.state()).identity.grantErrors.authorization_code).toBe(1);
  });

  it('the credential defaults to the body and explains the trap where the choice is made', async () => {
    const types = (await (await fetch(`${n8n.url}/types/credentials.json`, { headers: { cookie: n8n.authCookie() } })).json()) as Array<{ name: string; properties: Array<Record<string, any>> }>;
    const properties = types.find((t) => t.name === 'mediaValetOAuth2Api')!.properties;
    const choice = properties.find((p) => p.name === 'authentication')!;
    expect(choice).toMatchObject({ displayName: 'Client Authentication', type: 'options', default: 'body' });
    expect(choice.description).toMatch(/: \+ %/);
    expect(properties.find((p) => p.name === 'headerNotice')).toMatchObject({ type: 'notice', displayOptions: { show: { authentication: ['header'] } } });
  });
});

/**
 * 100 items (Split Out) through one MediaValet Get node; the faults are set after the
 * workflow is active and counters are reset. With `continueOnFail` a failed item becomes
 * an error item in its place, so the output is always checked item by item, in order.
 */
async function hundred(faults: Parameters<Sim['faults']>, options: { credential?: { id: string; name: string }; credentialType?: string; continueOnFail?: boolean; before?: () => Promise<unknown> } = {}) {
  const credentialType = options.credentialType ?? 'mediaValetPasswordApi';
  const hook = `mv-${++hooks}`;
  await n8n.webhookWorkflow(hook, [
    { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.ids', options: {} } },
    {
      name: 'MediaValet',
      type: NODE.mediaValet,
      // One item at a time: the faults below hit requests by their order (skip 40, then 10),
      // which maps to items only when items do not overlap. Items in flight have tests of their own.
      parameters: { authentication: credentialType === 'mediaValetPasswordApi' ? 'password' : 'oAuth2', resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json.ids ?? $json }}', itemsInFlight: 1 },
      credentials: { [credentialType]: options.credential ?? password },
      ...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
    },
  ]);
  await options.before?.();
  await sim.resetCounters();
  await sim.faults(...faults);
  try {
    const { json } = await n8n.callWebhook(hook, { ids });
    if (!Array.isArray(json)) throw new Error(`the workflow failed: ${await lastExecutionError()}`);
    // No item lost or added: one output item per input item, in order.
    expect(json).toHaveLength(100);
    json.forEach((item: any, i: number) => item.error === undefined && expect(item.id).toBe(ids[i]));
    return { json: json as any[], state: await sim.state() };
  } finally {
    await sim.clearFaults();
  }
}
const failedAt = (json: any[]) => json.flatMap((item, i) => (item.error === undefined ? [] : [i]));

describe('faults across 100 items', () => {
  it('recovers from 429 with and without Retry-After, 500, 503, resets and HTML 502s: 100 items out, in order, none twice', async () => {
    // n8n runs items one after another, so faults are spread out: a burst longer than the
    // retry budget (4) on one item fails that item with a clear error (see the tests below).
    const { json, state } = await hundred([
      { server: 'api', path: '^/assets/', status: 429, retryAfter: '0', times: 3 },
      { server: 'api', path: '^/assets/', status: 429, skip: 10, times: 2 },
      { server: 'api', path: '^/assets/', status: 500, skip: 10, times: 2 },
      { server: 'api', path: '^/assets/', status: 503, skip: 20, times: 2 },
      { server: 'api', path: '^/assets/', reset: true, skip: 20, times: 2 },
      { server: 'api', path: '^/assets/', status: 502, html: true, skip: 20, times: 2 },
    ]);
    expect(failedAt(json)).toEqual([]);
    expect(state.faultsFired).toBe(13);
  });

  it('recovers from answers slower than the credential\'s timeout', async () => {
    const quick = await n8n.createCredential('MediaValet (1 s timeout)', 'mediaValetPasswordApi', { ...passwordFields(), timeout: 1 });
    // The late answer is an empty object: an item that waited for it would have no id.
    const slow = { server: 'api' as const, path: '^/assets/', delayMs: 1500, status: 200, body: {}, times: 1 };
    const { json, state } = await hundred([{ ...slow, skip: 10 }, { ...slow, skip: 30 }, { ...slow, skip: 30 }], { credential: quick });
    expect(failedAt(json)).toEqual([]);
    expect(state.faultsFired).toBe(3);
  });

  it('recovers when the access token is revoked mid-run: n8n signs in again once', async () => {
    const { json, state } = await hundred([{ server: 'api', path: '^/assets/', skip: 50, times: 1, revoke: 'access' }]);
    expect(failedAt(json)).toEqual([]);
    expect(state.api.unauthorized).toBe(1);
    expect(signIns(state)).toBe(1);
  });

  it('recovers from a malformed token response while signing in again', async () => {
    const { json, state } = await hundred([
      { server: 'api', path: '^/assets/', skip: 10, times: 1, revoke: 'access' },
      { server: 'identity', path: '/connect/token', malformed: true, times: 1 },
    ]);
    expect(failedAt(json)).toEqual([]);
    expect(state.faultsFired).toBe(2);
    expect(signIns(state)).toBe(1);
  });

  it.each([
    ['ahead of', 300],
    ['behind', -300],
  ])('works with MediaValet\'s clock 5 minutes %s this machine\'s, through a fresh sign-in', async (_dir, offset) => {
    try {
      const { json, state } = await hundred([], {
        // A fresh sign-in under the skewed clock: its id_token times are checked against n8n's clock.
        before: async () => {
          await sim.settings({ clockOffsetSeconds: offset });
          await sim.revoke('all');
        },
      });
      expect(failedAt(json)).toEqual([]);
      expect(signIns(state)).toBe(1);
    } finally {
      await sim.settings({ clockOffsetSeconds: 0 });
    }
  });

  it('fails the items that meet HTML error pages without end, naming the cause; the others go through', async () => {
    // 40 items pass, then 50 requests fail: items 40-49 each try 5 times (4 retries) and fail.
    const { json } = await hundred([{ server: 'api', path: '^/assets/', status: 502, html: true, skip: 40, times: 50 }], { continueOnFail: true });
    expect(failedAt(json)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    for (const i of failedAt(json)) {
      expect(json[i].error).toMatch(/502 .*\(an HTML error page\)/);
      expect(json[i].code).toBe('server_error');
    }
  });

  it('uploads through connection resets in the middle of the upload: one asset, byte-identical', async () => {
    const bytes = randomBytes(200_000);
    const form = new FormData();
    form.append('data', new Blob([bytes], { type: 'application/octet-stream' }), 'reset.bin');
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      { name: 'MediaValet', type: NODE.mediaValet, parameters: { authentication: 'password', resource: 'upload', operation: 'uploadFile', binaryPropertyName: '={{ Object.keys($binary)[0] }}' }, credentials: { mediaValetPasswordApi: password } },
    ]);
    const before = (await sim.state()).assets;
    await sim.resetCounters();
    // The connection dies after 50 kB of the file have reached storage, twice; the PUT is idempotent, so it is sent again.
    await sim.faults({ server: 'storage', method: 'PUT', reset: true, afterBytes: 50_000, times: 2 });
    const { json } = await n8n.callWebhook(hook, form);
    await sim.clearFaults();
    if (!Array.isArray(json)) throw new Error(`the upload failed: ${await lastExecutionError()}`);
    const state = await sim.state();
    expect(state.faultsFired).toBe(2);
    expect(state.assets - before).toBe(1);
    expect((await sim.upload(json[0].uploadId))?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('fails the items whose answer is oversize, without retrying them; the others go through', async () => {
    const { json, state } = await hundred([{ server: 'api', path: '^/assets/', oversizeBytes: 33 * MIB, skip: 20, times: 5 }], { continueOnFail: true });
    expect(failedAt(json)).toEqual([20, 21, 22, 23, 24]);
    for (const i of failedAt(json)) expect(json[i]).toMatchObject({ code: 'response_too_large', error: expect.stringMatching(/larger than the \d+ bytes allowed/) });
    expect(state.faultsFired).toBe(5);
  });
});

describe('examples/n8n, imported byte for byte and executed', () => {
  // The examples name the credential "MediaValet account" without an id: n8n's import finds it by name.
  let account: { id: string; name: string };
  beforeAll(async () => {
    await sim.client({ client_id: 'n8n-examples-client', client_secret: DEMO.clientSecret, redirect_uris: [`${n8n.url}/rest/oauth2-credential/callback`], token_endpoint_auth_method: 'client_secret_post' });
    account = await n8n.createCredential('MediaValet account', 'mediaValetOAuth2Api', { ...oauth2Fields(), clientId: 'n8n-examples-client' });
    expect((await n8n.connectOAuth2(account.id, DEMO.users[0].username, DEMO.users[0].password)).ok).toBe(true);
  });

  /** The file as a user downloads it, imported as the editor's Import from File does. */
  async function imported(file: string) {
    const bytes = fs.readFileSync(path.resolve(__dirname, '../../examples/n8n', file));
    const workflow = await n8n.rest<{ id: string; nodes: Array<{ name: string; type: string; credentials?: Record<string, { id: string }> }> }>('POST', '/workflows', JSON.parse(bytes.toString('utf8')));
    for (const node of workflow.nodes) if (node.credentials?.mediaValetOAuth2Api) expect(node.credentials.mediaValetOAuth2Api.id).toBe(account.id);
    return workflow;
  }
  const output = (runData: Record<string, any>, node: string) => runData[node]?.[0]?.data?.main?.[0] ?? [];
  const nodeError = (runData: Record<string, any>, node: string) => runData[node]?.[0]?.error;

  it('every example uses only nodes n8n knows, as the package installs them', async () => {
    const known = new Set(((await (await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie: n8n.authCookie() } })).json()) as Array<{ name: string }>).map((n) => n.name));
    const files = fs.readdirSync(path.resolve(__dirname, '../../examples/n8n'));
    // new-upload-in-real-time-to-chat.json runs behind nginx in n8n-skyhook.e2e.test.ts.
    expect(files.sort()).toEqual(['ai-agent-with-mediavalet-tools.json', 'new-asset-to-webhook.json', 'new-upload-in-real-time-to-chat.json', 'search-and-download.json', 'upload-folder-with-metadata.json']);
    for (const file of files) for (const node of (await imported(file)).nodes) expect(known).toContain(node.type);
  });

  it('search-and-download: the ten newest images, each downloaded as binary data', async () => {
    const workflow = await imported('search-and-download.json');
    const { status, runData } = await n8n.runManually(workflow.id, 'Start');
    expect(status).toBe('success');
    const found = output(runData, 'Search images').map((i: any) => i.json);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(10);
    // The example keeps Simplify on (version 2's default): the compact asset.
    for (const asset of found) expect(asset.type).toBe('Image');
    const downloads = output(runData, 'Download original');
    expect(downloads).toHaveLength(found.length);
    // Each original as MediaValet holds it (an earlier test may have put a new version on an image).
    downloads.forEach((item: any, i: number) => {
      expect(item.pairedItem).toMatchObject({ item: i });
      expect(item.binary.data).toMatchObject({ fileName: found[i].fileName, mimeType: found[i].contentType });
      expect(item.binary.data.fileSize).toBeTruthy();
    });
  });

  it('upload-folder-with-metadata: every file in the folder becomes an asset with title, keywords and a dated description', async () => {
    const folder = path.join(n8n.home, '.n8n-files', 'to-upload');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'example-one.png'), gradientPng(12, 8, [200, 40, 40]));
    fs.writeFileSync(path.join(folder, 'example-two.png'), gradientPng(8, 12, [40, 200, 40]));
    const workflow = await imported('upload-folder-with-metadata.json');
    const { status, runData, error } = await n8n.runManually(workflow.id, 'Start');
    expect({ status, error: error?.message }).toEqual({ status: 'success', error: undefined });
    const uploads = output(runData, 'Upload').map((i: any) => i.json);
    expect(uploads.map((u: any) => u.filename).sort()).toEqual(['example-one.png', 'example-two.png']);
    for (const upload of uploads) {
      const stored = await sim.asset(upload.asset.id);
      expect(stored).toMatchObject({ title: upload.filename, keywords: ['imported', 'n8n'] });
      // n8n's $now, in the instance's time zone: today's date here, give or take a day.
      const date = /^Imported by n8n on (\d{4}-\d{2}-\d{2})$/.exec(stored.description)?.[1];
      expect(date).toBeDefined();
      expect(Math.abs(Date.parse(date!) - Date.parse(new Date().toISOString().slice(0, 10)))).toBeLessThanOrEqual(86_400_000);
    }
  });

  it('new-asset-to-webhook: the newest asset and its direct link reach the chat step, which posts to the placeholder URL', async () => {
    const workflow = await imported('new-asset-to-webhook.json');
    const { runData } = await n8n.runManually(workflow.id, 'New asset');
    const [asset] = output(runData, 'New asset').map((i: any) => i.json);
    expect(asset).toMatchObject({ id: expect.any(String), event: 'new' });
    const [link] = output(runData, 'Direct link').map((i: any) => i.json);
    expect(link.url).toMatch(/^https?:\/\//);
    expect((await sim.asset(asset.id))).not.toBeNull();
    // Everything up to the user's own webhook ran; the body expression was evaluated (an
    // expression error would fail before sending), and only the placeholder host is unreachable here.
    expect(runData['Post to chat']).toHaveLength(1);
    const chat = nodeError(runData, 'Post to chat');
    expect(JSON.stringify(chat ?? output(runData, 'Post to chat'))).not.toMatch(/ExpressionError|invalid syntax/i);
    if (chat) expect(JSON.stringify(chat)).toMatch(/hooks\.example\.com|ENOTFOUND|EAI_AGAIN|getaddrinfo|connect|refused|404|405/i);
  });
});

describe('OAuth2 credential, connected in the n8n editor', () => {
  it('signs in to n8n, connects through MediaValet\'s sign-in page, runs a workflow, and runs it again after the token expired', async () => {
    const redirect = `${n8n.url}/rest/oauth2-credential/callback`;
    await sim.client({ client_id: 'n8n-e2e-client', client_secret: DEMO.clientSecret, redirect_uris: [redirect], token_endpoint_auth_method: 'client_secret_post' });
    // Short-lived access tokens, so the second run needs n8n to refresh.
    await sim.settings({ accessTokenTTL: 4 });
    const credential = await n8n.createCredential('MediaValet (OAuth2)', 'mediaValetOAuth2Api', oauth2CredentialFields(sim, DEMO, 'n8n-e2e-client'));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${n8n.url}/signin`);
      await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(OWNER.email);
      await page.locator('input[type="password"]').first().fill(OWNER.password);
      await page.locator('button[type="submit"], [data-test-id="form-submit-button"]').first().click();
      await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });
      await page.goto(`${n8n.url}/home/credentials/${credential.id}`);
      const connect = page.getByRole('button', { name: /^\s*connect( my account)?\s*$/i }).first();
      await connect.waitFor({ timeout: 60_000 });
      await page.screenshot({ path: path.join(ARTIFACTS, 'n8n-credential.png') });
      const [popup] = await Promise.all([page.waitForEvent('popup'), connect.click()]);
      await popup.waitForSelector('#username', { timeout: 30_000 });
      await popup.fill('#username', DEMO.users[0].username);
      await popup.fill('#password', DEMO.users[0].password);
      await popup.click('#sign-in');
      await page
        .getByText(/account connected/i)
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(async (error) => {
          await page.screenshot({ path: path.join(ARTIFACTS, 'n8n-credential-failed.png') });
          throw error;
        });
      await page.screenshot({ path: path.join(ARTIFACTS, 'n8n-credential-connected.png') });
      record('n8n editor', await page.textContent('body'));
    } finally {
      await browser.close();
    }

    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      { name: 'MediaValet', type: NODE.mediaValet, parameters: { authentication: 'oAuth2', resource: 'user', operation: 'getCurrent' }, credentials: { mediaValetOAuth2Api: credential } },
    ]);
    const first = await n8n.callWebhook(hook);
    expect(first.json[0].email).toBe(DEMO.users[0].email);
    await sim.resetCounters();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const second = await n8n.callWebhook(hook);
    expect(second.json[0].email).toBe(DEMO.users[0].email);
    const state = await sim.state();
    // The expired token's 401, then the same call once more through n8n's refreshing helper, which
    // renews only on a 401 it sees itself (one renewal at a time per credential, so items in
    // flight never replay a rotated refresh token): two 401s, one refresh.
    expect(state.api.unauthorized).toBe(2);
    expect(state.identity.grants.refresh_token).toBe(1);
    await sim.settings({ accessTokenTTL: 3600 });

    // A replayed refresh token makes MediaValet revoke the whole grant. 100 items, the grant
    // revoked as item 50 arrives: 50 assets, then 50 error items that say to reconnect, after
    // one refresh attempt (not one per item).
    const { json, state: after } = await hundred([{ server: 'api', path: '^/assets/', skip: 50, times: 1, revoke: 'all' }], {
      credential,
      credentialType: 'mediaValetOAuth2Api',
      continueOnFail: true,
    });
    expect(failedAt(json)).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    for (const item of json.slice(50)) expect(item).toMatchObject({ code: 'reconnect_required', error: expect.stringMatching(/revoked|reconnect|Connect/i) });
    expect(after.identity.grantErrors.refresh_token).toBe(1);
    expect(after.identity.grants.refresh_token ?? 0).toBe(0);
  });
});

describe('MediaValet Trigger', () => {
  // Follows n8n's real polling schedule (once a minute), so it takes about three minutes.
  it('emits each new asset once, from the moment it is activated', async () => {
    const workflow = await n8n.rest<{ id: string; versionId: string }>('POST', '/workflows', {
      name: 'e2e trigger',
      nodes: [
        {
          id: 'trigger',
          name: 'MediaValet Trigger',
          type: NODE.trigger,
          typeVersion: 1,
          position: [0, 0],
          parameters: { authentication: 'password', event: 'new', options: {}, pollTimes: { item: [{ mode: 'everyMinute' }] } },
          credentials: { mediaValetPasswordApi: password },
        },
      ],
      connections: {},
      settings: { executionOrder: 'v1' },
    });
    await n8n.rest('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
    // n8n polls at most once a minute, at the start of each minute. The first poll only records the starting position.
    const nextMinute = () => new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 4000));
    await nextMinute();
    const { client } = sim.connect();
    const { uploadAsset } = await import('../../core');
    const uploaded = await uploadAsset(client, { data: gradientPng(8, 8, [9, 9, 9]), filename: 'trigger.png' });
    const emitted = await waitFor(
      'the trigger to emit',
      async () => {
        const list = await n8n.rest<{ results: Array<{ id: string; workflowId: string }> }>('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: workflow.id }))}`);
        for (const run of list.results.filter((r) => r.workflowId === workflow.id)) {
          const execution = await n8n.rest<{ data: string }>('GET', `/executions/${run.id}`);
          const items = parse(execution.data).resultData.runData['MediaValet Trigger']?.[0]?.data?.main?.[0] ?? [];
          if (items.length) return items.map((i: any) => i.json);
        }
        return undefined;
      },
      75_000,
    );
    expect(emitted.map((a: any) => a.id)).toEqual([uploaded.id]);
    expect(emitted[0].event).toBe('new');
    // A poll later, still one execution: nothing emitted twice.
    await nextMinute();
    const list = await n8n.rest<{ results: Array<{ workflowId: string }> }>('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: workflow.id }))}`);
    expect(list.results.filter((r) => r.workflowId === workflow.id)).toHaveLength(1);
    await n8n.rest('POST', `/workflows/${workflow.id}/deactivate`, {});
  });
});
