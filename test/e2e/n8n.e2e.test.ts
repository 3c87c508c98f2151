// The MediaValet nodes executed inside real n8n 2.41 (Node 24), loaded from the packed
// package as a custom extension, one workflow per operation, against the simulator.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'flatted';
import { DEMO, SEED_IDS } from '../../simulator/index';
import { gradientPng } from '../../simulator/png';
import { Sim } from '../helpers/simulator';
import { ARTIFACTS, launchChromium, packedTarball, waitFor } from './env';
import { N8nProcess, OWNER, passwordFields } from './n8n-runtime';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

let sim: Sim;
let n8n: N8nProcess;
let password: { id: string; name: string };
const asset = SEED_IDS.firstAsset;

beforeAll(async () => {
  sim = await Sim.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-ext-'));
  execFileSync('tar', ['xzf', packedTarball(), '-C', dir]);
  n8n = new N8nProcess(path.join(dir, 'package'));
  await n8n.start();
  await n8n.setupOwner();
  password = await n8n.createCredential('MediaValet (password)', 'mediaValetPasswordApi', passwordFields(sim));
});
afterAll(async () => {
  if (n8n) fs.writeFileSync(path.join(ARTIFACTS, 'n8n.log'), n8n.log);
  await n8n?.stop();
  await sim?.stop();
});

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
        type: 'CUSTOM.mediaValet',
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
        type: 'CUSTOM.mediaValet',
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
        type: 'CUSTOM.mediaValet',
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
      nodeTypeAndVersion: { name: 'CUSTOM.mediaValet', version: 1 },
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
    const { json } = await run({ resource: 'asset', operation: 'get', assetId: 'no-such-asset' }, {}, { node: { onError: 'continueRegularOutput' } });
    expect(json[0].error).toMatch(/MediaValet answered 404 to GET \/assets\/no-such-asset: Asset no-such-asset was not found/);
    expect(json[0]).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('without continueOnFail, the run fails with a NodeApiError that says what to fix', async () => {
    const response = await run({ resource: 'asset', operation: 'get', assetId: 'no-such-asset' });
    expect(response.status).toBe(500);
    const error = await lastExecutionError();
    expect(error).toMatch(/MediaValet answered 404/);
    expect(error).toMatch(/Check the id/);
  });

  it('pairs every output item with its input item', async () => {
    const hook = `mv-${++hooks}`;
    await n8n.webhookWorkflow(hook, [
      { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.ids', options: {} } },
      { name: 'MediaValet', type: 'CUSTOM.mediaValet', parameters: { authentication: 'password', resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json.ids ?? $json }}' }, credentials: { mediaValetPasswordApi: password } },
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
    const bad = await n8n.createCredential('MediaValet (bad key)', 'mediaValetPasswordApi', { ...passwordFields(sim), subscriptionKey: 'not-the-key' });
    const { json } = await run({ resource: 'user', operation: 'getCurrent' }, {}, { credential: bad, node: { onError: 'continueRegularOutput' } });
    expect(json[0].error).toMatch(/MediaValet rejected the subscription key/);
    expect(json[0].field).toBe('subscriptionKey');
  });
});

const seeded = Array.from({ length: 10 }, (_, i) => `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
const ids = Array.from({ length: 100 }, (_, i) => seeded[i % seeded.length]);
const MIB = 1024 * 1024;

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
      type: 'CUSTOM.mediaValet',
      parameters: { authentication: credentialType === 'mediaValetPasswordApi' ? 'password' : 'oAuth2', resource: 'asset', operation: 'get', assetId: '={{ $json["body.ids"] ?? $json.ids ?? $json }}' },
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
    const quick = await n8n.createCredential('MediaValet (1 s timeout)', 'mediaValetPasswordApi', { ...passwordFields(sim), timeout: 1 });
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
    expect(state.identity.grants.password).toBe(1);
  });

  it('recovers from a malformed token response while signing in again', async () => {
    const { json, state } = await hundred([
      { server: 'api', path: '^/assets/', skip: 10, times: 1, revoke: 'access' },
      { server: 'identity', path: '/connect/token', malformed: true, times: 1 },
    ]);
    expect(failedAt(json)).toEqual([]);
    expect(state.faultsFired).toBe(2);
    expect(state.identity.grants.password).toBe(1);
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
      expect(state.identity.grants.password).toBe(1);
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
      { name: 'MediaValet', type: 'CUSTOM.mediaValet', parameters: { authentication: 'password', resource: 'upload', operation: 'uploadFile', binaryPropertyName: '={{ Object.keys($binary)[0] }}' }, credentials: { mediaValetPasswordApi: password } },
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

describe('examples/n8n', () => {
  it('imports every example workflow, and n8n knows every node in them', async () => {
    const dir = path.resolve(__dirname, '../../examples/n8n');
    const known = new Set(((await (await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie: n8n.authCookie() } })).json()) as Array<{ name: string }>).map((n) => n.name));
    for (const file of fs.readdirSync(dir)) {
      // Installed from the registry the package name is the prefix; loaded as a custom extension it is CUSTOM.
      const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8').replace(/n8n-nodes-mediavalet\./g, 'CUSTOM.'));
      for (const node of workflow.nodes) expect(known).toContain(node.type);
      const created = await n8n.rest<{ id: string; nodes: unknown[] }>('POST', '/workflows', workflow);
      expect(created.nodes).toHaveLength(workflow.nodes.length);
    }
  });
});

describe('OAuth2 credential, connected in the n8n editor', () => {
  it('signs in to n8n, connects through MediaValet\'s sign-in page, runs a workflow, and runs it again after the token expired', async () => {
    const redirect = `${n8n.url}/rest/oauth2-credential/callback`;
    await sim.client({ client_id: 'n8n-e2e-client', client_secret: DEMO.clientSecret, redirect_uris: [redirect] });
    // Short-lived access tokens, so the second run needs n8n to refresh.
    await sim.settings({ accessTokenTTL: 4 });
    const credential = await n8n.createCredential('MediaValet (OAuth2)', 'mediaValetOAuth2Api', {
      clientId: 'n8n-e2e-client',
      clientSecret: DEMO.clientSecret,
      identityUrl: sim.identityUrl,
      subscriptionKey: DEMO.subscriptionKey,
      apiUrl: sim.apiUrl,
      apiVersion: '1.2',
      allowInsecure: true,
    });
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
      { name: 'MediaValet', type: 'CUSTOM.mediaValet', parameters: { authentication: 'oAuth2', resource: 'user', operation: 'getCurrent' }, credentials: { mediaValetOAuth2Api: credential } },
    ]);
    const first = await n8n.callWebhook(hook);
    expect(first.json[0].email).toBe(DEMO.users[0].email);
    await sim.resetCounters();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const second = await n8n.callWebhook(hook);
    expect(second.json[0].email).toBe(DEMO.users[0].email);
    const state = await sim.state();
    expect(state.api.unauthorized).toBe(1);
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
          type: 'CUSTOM.mediaValetTrigger',
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
