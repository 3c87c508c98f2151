import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { authorizationServer, passwordGrant, refreshTokenGrant } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { SEED_IDS } from '../../simulator/index';
import { catchNode, collector, helper, httpRequestNode, nodes, tempUserDir, wait } from '../helpers/node-red';
import { DEMO, Sim } from '../helpers/simulator';

let sim: Sim;
let userDir: string;
const credentials = () => ({
  acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password },
});
const account = (overrides: Record<string, unknown> = {}) => ({ id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true, ...overrides });

beforeAll(async () => {
  sim = await Sim.start();
  userDir = tempUserDir();
  helper.settings({ userDir });
  await new Promise((resolve) => helper.startServer(resolve));
});
afterEach(async () => {
  // A clock test that failed mid-way must not leave its shifted Date to the tests after it.
  jest.useRealTimers();
  await helper.unload();
  await sim.clearFaults();
});
afterAll(async () => {
  await new Promise((resolve) => helper.stopServer(resolve));
  await sim.stop();
});

/** Loads `flowNodes` with an account, an output collector and a Catch node collector. */
async function load(flowNodes: any[], creds: any = credentials(), extraNodes: any[] = [], accountOverrides: Record<string, unknown> = {}) {
  // Flow nodes sit on a tab (Catch nodes catch per tab); the account is a global config node.
  // Ids must differ from every property value: Node-RED reads a matching string as a node reference.
  const onTab = [...flowNodes, { id: 'out', type: 'helper' }, { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }].map((n) => ({ z: 'tab', ...n }));
  const flow = [{ id: 'tab', type: 'tab', label: 'test' }, account(accountOverrides), ...onTab];
  await helper.load([...nodes, catchNode, ...extraNodes], flow, creds);
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

describe('mediavalet-token', () => {
  it('sets headers for a core http request node, which then calls MediaValet', async () => {
    const { out } = await load(
      [
        { id: 'tok', type: 'mediavalet-token', account: 'acct', wires: [['fn']] },
        // A change-like step done by the http request node itself: url from msg.
        { id: 'fn', type: 'http request', method: 'GET', ret: 'obj', url: '', wires: [['out']] },
      ],
      credentials(),
      [httpRequestNode],
    );
    helper.getNode('tok').receive({ url: `${sim.apiUrl}/assets/${SEED_IDS.firstAsset}`, headers: { 'X-Trace': 'kept' } });
    const [msg] = await out.next();
    expect(msg.statusCode).toBe(200);
    // The raw envelope, PascalCase on the strict simulator profile.
    expect((msg.payload.payload ?? msg.payload.Payload).id).toBe(SEED_IDS.firstAsset);
    expect(msg.mediavalet.baseUrl).toBe(sim.apiUrl);
    expect(msg.access_token).toBeUndefined();
  });

  it('emits the token only when asked, and 40 messages at once cause one token request', async () => {
    // Without the tokens an earlier test saved for this account, all 40 need the first login.
    fs.rmSync(path.join(userDir, '.mediavalet', 'tokens-acct.enc'), { force: true });
    await sim.resetCounters();
    const { out } = await load([{ id: 'tok', type: 'mediavalet-token', account: 'acct', emitToken: true, wires: [['out']] }]);
    for (let i = 0; i < 40; i++) helper.getNode('tok').receive({ i });
    const messages = await out.next(40);
    expect(new Set(messages.map((m) => m.access_token)).size).toBe(1);
    expect(messages[0].headers.Authorization).toBe(`Bearer ${messages[0].access_token}`);
    expect((await sim.state()).identity.tokenRequests).toBe(1);
  });
});

describe('mediavalet-request', () => {
  it('calls any endpoint and unwraps the envelope', async () => {
    const { out } = await load([{ id: 'req', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/categories', returnAll: 'single', wires: [['out']] }]);
    helper.getNode('req').receive({});
    const [msg] = await out.next();
    expect(msg.statusCode).toBe(200);
    expect(msg.payload.map((c: any) => c.name)).toEqual(expect.arrayContaining(['Marketing', 'Shoes']));
  });

  it('takes method, path, query and body from the message', async () => {
    const { out } = await load([{ id: 'req', type: 'mediavalet-request', account: 'acct', method: 'use', path: '', returnAll: 'single', wires: [['out']] }]);
    helper.getNode('req').receive({ method: 'POST', path: '/assets/search', payload: { search: 'coral', count: 5 } });
    const [msg] = await out.next();
    expect(msg.payload.assets).toHaveLength(1);
  });

  it('Return All sends one message per record, or per page', async () => {
    const total = (await sim.state()).assets;
    const { out } = await load([
      { id: 'perRecord', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', returnAll: 'items', pageSize: 5, wires: [['out']] },
      { id: 'perPage', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', returnAll: 'pages', pageSize: 5, wires: [['out']] },
    ]);
    helper.getNode('perRecord').receive({});
    const items = await out.next(total);
    expect(new Set(items.map((m) => m.payload.id)).size).toBe(total);
    helper.getNode('perPage').receive({});
    const pages = await out.next(Math.ceil(total / 5));
    expect(pages.map((m) => m.payload.length).reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('sends a clear error to Catch nodes, with details on msg.mediavalet.error and no secret', async () => {
    const creds = credentials();
    creds.acct.subscriptionKey = 'wrong-subscription-key-123';
    const { caught } = await load([{ id: 'req', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', returnAll: 'single', wires: [['out']] }], creds);
    const node = helper.getNode('req');
    helper.getNode('req').receive({ payload: 'x' });
    const [msg] = await caught.next();
    expect(msg.error.message).toMatch(/MediaValet rejected the subscription key.*Check the Subscription Key field/);
    expect(msg.mediavalet.error).toMatchObject({ code: 'invalid_subscription_key', kind: 'terminal', field: 'subscriptionKey' });
    expect(JSON.stringify(msg)).not.toContain('wrong-subscription-key-123');
    const statusCalls = node.status.args.map((a: any[]) => JSON.stringify(a[0]));
    expect(statusCalls.some((s: string) => s.includes('"fill":"red"'))).toBe(true);
    expect(statusCalls.join()).not.toContain('wrong-subscription-key-123');
  });

  it('names the missing field of the account', async () => {
    const creds = credentials();
    creds.acct.subscriptionKey = '';
    const { caught } = await load([{ id: 'req', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', wires: [['out']] }], creds);
    helper.getNode('req').receive({});
    const [msg] = await caught.next();
    expect(msg.error.message).toMatch(/The Subscription Key is missing/);
  });

  it('stops in-flight work on redeploy, without an error', async () => {
    await sim.faults({ server: 'api', path: '^/assets', delayMs: 4000, status: 200, body: {} });
    const { caught } = await load([{ id: 'req', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', wires: [['out']] }]);
    const node = helper.getNode('req');
    node.receive({});
    await wait(300);
    const started = Date.now();
    await helper.unload();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(caught.messages).toHaveLength(0);
  });
});

describe('mediavalet-asset', () => {
  const id = SEED_IDS.firstAsset;
  const asset = (props: any) => ({ id: 'asset', type: 'mediavalet-asset', account: 'acct', wires: [['out']], ...props });

  it('gets an asset by msg.assetId', async () => {
    const { out } = await load([asset({ operation: 'get' })]);
    helper.getNode('asset').receive({ assetId: id });
    expect((await out.next())[0].payload.id).toBe(id);
  });

  it('searches with filters and a category, as one array or one message per asset', async () => {
    const { out } = await load([
      asset({ operation: 'search', filters: '(AssetType EQ Image)', categoryId: SEED_IDS.categories.products, searchOutput: 'array' }),
      { ...asset({ operation: 'search', query: 'gradient', limit: 5, searchOutput: 'items' }), id: 'asset2' },
    ]);
    helper.getNode('asset').receive({});
    const [array] = await out.next();
    expect(array.payload.length).toBeGreaterThan(0);
    expect(array.payload.every((a: any) => a.categories.includes(SEED_IDS.categories.shoes))).toBe(true);
    helper.getNode('asset2').receive({});
    expect(await out.next(5)).toHaveLength(5);
  });

  it('updates fields and attributes by name, and fails naming an unknown attribute', async () => {
    const { out, caught } = await load([asset({ operation: 'update', assetId: id })]);
    helper.getNode('asset').receive({ payload: { title: 'Updated from Node-RED', attributes: { 'Usage Rights': 'Web only' } } });
    const [msg] = await out.next();
    expect(msg.payload.title).toBe('Updated from Node-RED');
    expect(msg.payload.attributes[SEED_IDS.attributes.usageRights]).toBe('Web only');
    helper.getNode('asset').receive({ payload: { attributes: { Colour: 'red' } } });
    const [error] = await caught.next();
    expect(error.error.message).toMatch(/no attribute named "Colour".*Known attributes: Photographer, Usage Rights, Product SKU/);
  });

  it('adds and removes keywords and categories', async () => {
    const { out } = await load([
      asset({ operation: 'addKeywords', assetId: id, keywords: 'alpha, beta' }),
      { ...asset({ operation: 'removeKeywords', assetId: id }), id: 'remove' },
      { ...asset({ operation: 'addCategories', assetId: id }), id: 'addCat' },
      { ...asset({ operation: 'removeCategories', assetId: id }), id: 'removeCat' },
    ]);
    helper.getNode('asset').receive({});
    expect((await out.next())[0].payload).toEqual(expect.arrayContaining(['alpha', 'beta']));
    helper.getNode('remove').receive({ payload: ['alpha'] });
    const [removed] = await out.next();
    expect(removed.payload).not.toContain('alpha');
    expect(removed.payload).toContain('beta');
    helper.getNode('addCat').receive({ payload: [SEED_IDS.categories.brand] });
    expect((await out.next())[0].payload.map((c: any) => c.id)).toContain(SEED_IDS.categories.brand);
    helper.getNode('removeCat').receive({ payload: SEED_IDS.categories.brand });
    expect((await out.next())[0].payload.map((c: any) => c.id)).not.toContain(SEED_IDS.categories.brand);
  });

  it('downloads the original as a Buffer ready for a file node, and lists renditions', async () => {
    const { out } = await load([asset({ operation: 'download', assetId: id }), { ...asset({ operation: 'renditions', assetId: id }), id: 'rend' }]);
    helper.getNode('asset').receive({});
    const [msg] = await out.next();
    expect(Buffer.isBuffer(msg.payload)).toBe(true);
    expect(msg.payload.subarray(1, 4).toString()).toBe('PNG');
    expect(msg.filename).toMatch(/\.png$/);
    expect(msg.contentType).toBe('image/png');
    helper.getNode('rend').receive({});
    expect((await out.next())[0].payload.map((r: any) => r.name)).toContain('thumb');
  });

  it('gets or creates a direct link, and reads history', async () => {
    const other = '10000000-0000-4000-8000-000000000005';
    const { out } = await load([asset({ operation: 'directLink', assetId: other }), { ...asset({ operation: 'history', assetId: id }), id: 'hist' }]);
    helper.getNode('asset').receive({});
    const [first] = await out.next();
    helper.getNode('asset').receive({});
    const [second] = await out.next();
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.payload.url).toBe(first.payload.url);
    helper.getNode('hist').receive({});
    expect((await out.next())[0].payload.length).toBeGreaterThan(0);
  });
});

describe('mediavalet-upload', () => {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('uploads a Buffer with metadata, and a file path', async () => {
    const { out } = await load([
      { id: 'up', type: 'mediavalet-upload', account: 'acct', title: 'From Node-RED', categories: SEED_IDS.categories.brand, keywords: 'nr, upload', attributes: '{"Photographer": "Ana"}', wires: [['out']] },
    ]);
    const data = randomBytes(5000);
    helper.getNode('up').receive({ payload: data, filename: 'buffer.bin' });
    const [msg] = await out.next();
    expect(msg.payload).toMatchObject({ filename: 'buffer.bin', sizeInBytes: 5000, sha256: sha(data), method: 'single' });
    expect(msg.payload.asset).toMatchObject({ title: 'From Node-RED', categories: [SEED_IDS.categories.brand], keywords: ['nr', 'upload'] });
    expect(msg.payload.asset.attributes[SEED_IDS.attributes.photographer]).toBe('Ana');

    const file = path.join(userDir, 'from-disk.bin');
    fs.writeFileSync(file, data);
    helper.getNode('up').receive({ payload: file });
    const [fromFile] = await out.next();
    expect(fromFile.payload).toMatchObject({ filename: 'from-disk.bin', sha256: sha(data) });
  });

  it('uploads a large stream in blocks, byte-identical', async () => {
    const { out } = await load([{ id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [['out']] }]);
    const data = randomBytes(20 * 1024 * 1024 + 123);
    const file = path.join(userDir, 'large.bin');
    fs.writeFileSync(file, data);
    helper.getNode('up').receive({ payload: fs.createReadStream(file), filename: 'large.bin' });
    const [msg] = await out.next(1, 30_000);
    expect(msg.payload).toMatchObject({ method: 'blocks', blocks: 3, sha256: sha(data) });
    expect((await sim.upload(msg.payload.uploadId))?.sha256).toBe(sha(data));
  });

  it('uploads a new version when msg.assetId is set, and explains a bad payload', async () => {
    const { out, caught } = await load([{ id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [['out']] }]);
    helper.getNode('up').receive({ payload: Buffer.from('v2'), filename: 'v2.txt', assetId: '10000000-0000-4000-8000-000000000002' });
    expect((await out.next())[0].payload.asset.version).toBe(2);
    helper.getNode('up').receive({ payload: 42 });
    expect((await caught.next())[0].error.message).toMatch(/msg.payload must be a Buffer, a readable stream, or the path of a file/);
    helper.getNode('up').receive({ payload: '/no/such/file.jpg' });
    expect((await caught.next())[0].error.message).toMatch(/Cannot read the file "\/no\/such\/file.jpg"/);
  });
});

describe('mediavalet-watch', () => {
  it('sends each new asset once, and keeps its position across restarts', async () => {
    const watch = { id: 'watch', type: 'mediavalet-watch', account: 'acct', event: 'both', interval: 3600, wires: [['out']] };
    const upload = { id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [[]] };
    const patch = { id: 'patch', type: 'mediavalet-asset', account: 'acct', operation: 'update', wires: [[]] };
    let { out } = await load([watch, upload, patch]);
    // The first poll sets the starting position; a poll asked for while one runs joins it, so
    // the upload starts after it, and the next poll after the upload (no fixed waits on a busy machine).
    const shown = async (text: RegExp) => {
      for (let waited = 0; waited < 15_000 && !helper.getNode('watch').status.args.some((a: any[]) => text.test(a[0]?.text ?? '')); waited += 50) await wait(50);
    };
    await shown(/change\(s\)/);
    helper.getNode('up').receive({ payload: Buffer.from('watched'), filename: 'watched.txt' });
    await shown(/uploaded watched\.txt/);
    helper.getNode('watch').receive({});
    const [created] = await out.next();
    expect(created.event).toBe('new');
    expect(created.payload.file.fileName).toBe('watched.txt');
    helper.getNode('watch').receive({});
    await wait(500);
    expect(out.messages).toHaveLength(1);

    // Restart: a fresh runtime load with the same user directory.
    await helper.unload();
    ({ out } = await load([watch, upload, patch]));
    await wait(800);
    expect(out.messages).toHaveLength(0);
    helper.getNode('patch').receive({ assetId: created.assetId, payload: { title: 'Changed' } });
    await wait(300);
    helper.getNode('watch').receive({});
    const [updated] = await out.next();
    expect(updated).toMatchObject({ event: 'updated', assetId: created.assetId });
    expect(updated.payload.title).toBe('Changed');
  });
});

describe('faults across 100 messages', () => {
  // Eleven seeded assets (the twelfth is deleted by an earlier test), 100 messages over them.
  const seeded = Array.from({ length: 12 }, (_, i) => `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`).filter((id) => id !== '10000000-0000-4000-8000-000000000011');
  const assetOf = (i: number) => seeded[i % seeded.length];

  /** 100 messages into an asset Get node at once; what came out and what reached Catch. */
  async function hundred(accountOverrides: Record<string, unknown> = {}, prepare?: () => Promise<void>, expectOut = 100, expectCaught = 0) {
    const { out, caught } = await load([{ id: 'asset', type: 'mediavalet-asset', account: 'acct', operation: 'get', wires: [['out']] }], credentials(), [], accountOverrides);
    await prepare?.();
    await sim.resetCounters();
    for (let i = 0; i < 100; i++) helper.getNode('asset').receive({ index: i, assetId: assetOf(i) });
    const [messages, errors] = await Promise.all([out.next(expectOut, 60_000), caught.next(expectCaught, 60_000)]);
    await wait(200);
    // Every message accounted for exactly once: answered with its own asset, or with an error.
    expect(out.messages).toHaveLength(expectOut);
    expect(caught.messages).toHaveLength(expectCaught);
    expect([...messages, ...errors].map((m) => m.index).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const m of messages) expect(m.payload.id).toBe(assetOf(m.index));
    return { messages, errors, state: await sim.state() };
  }

  it('recovers from 429 with and without Retry-After, 500, 503 and resets: every message answered once, with its own asset', async () => {
    const { state } = await hundred({}, () =>
      sim.faults(
        { server: 'api', path: '^/assets/', status: 429, retryAfter: '0', times: 6 },
        { server: 'api', path: '^/assets/', status: 429, times: 3 },
        { server: 'api', path: '^/assets/', status: 500, times: 3 },
        { server: 'api', path: '^/assets/', status: 503, times: 3 },
        { server: 'api', path: '^/assets/', reset: true, times: 3 },
      ),
    );
    expect(state.faultsFired).toBe(18);
  });

  it('recovers from HTML error pages (502) from a proxy', async () => {
    const { state } = await hundred({}, () => sim.faults({ server: 'api', path: '^/assets/', status: 502, html: true, times: 4 }));
    expect(state.faultsFired).toBe(4);
  });

  it('recovers from answers slower than the account\'s timeout (reads are tried again)', async () => {
    // The late answer is an empty object: had a message waited for it, its payload would be wrong.
    const { state } = await hundred({ timeout: 1 }, () => sim.faults({ server: 'api', path: '^/assets/', delayMs: 1500, status: 200, body: {}, times: 3 }));
    expect(state.faultsFired).toBe(3);
  });

  it('recovers when the access token is revoked mid-run, with one refresh for all messages', async () => {
    const { state } = await hundred({}, () => sim.faults({ server: 'api', path: '^/assets/', skip: 50, times: 1, revoke: 'access' }));
    expect(state.faultsFired).toBe(1);
    expect(state.api.unauthorized).toBeGreaterThan(0);
    expect(state.identity.grants.refresh_token).toBe(1);
  });

  it('recovers from a malformed token response while renewing', async () => {
    const { state } = await hundred({}, () =>
      sim.faults({ server: 'api', path: '^/assets/', times: 1, revoke: 'access' }, { server: 'identity', path: '/connect/token', malformed: true, times: 1 }),
    );
    expect(state.faultsFired).toBe(2);
    expect(state.identity.grants.refresh_token).toBe(1);
  });

  it.each([
    ['ahead of', 5 * 60],
    ['behind', -5 * 60],
  ])('works with this machine\'s clock 5 minutes %s MediaValet\'s, through a fresh sign-in', async (_dir, skewSeconds) => {
    // Only Date moves: timers stay real, so the runtime and the sockets behave as usual.
    jest.useFakeTimers({
      now: Date.now() + skewSeconds * 1000,
      advanceTimers: true,
      doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'],
    });
    try {
      // Grants revoked: the stored refresh token fails, so the account signs in again (id_token checked against the skewed clock).
      const { state } = await hundred({}, async () => void (await sim.revoke('all')));
      expect(state.identity.grants.password).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails clearly on HTML error pages that do not stop: each message to Catch, naming the cause', async () => {
    const { errors } = await hundred({}, () => sim.faults({ server: 'api', path: '^/assets/', status: 502, html: true, times: 0 }), 0, 100);
    for (const e of errors) expect(e.error.message).toMatch(/502 .*\(an HTML error page\)/);
  });

  it('fails clearly on oversize bodies, and the other messages go through', async () => {
    const { errors, state } = await hundred({}, () => sim.faults({ server: 'api', path: '^/assets/', oversizeBytes: 33 * 1024 * 1024, times: 5 }), 95, 5);
    for (const e of errors) {
      expect(e.mediavalet.error.code).toBe('response_too_large');
      expect(e.error.message).toMatch(/larger than the \d+ bytes allowed/);
    }
    expect(state.faultsFired).toBe(5);
  });

  it('fails clearly, once, when a rotated refresh token is replayed: every message says reconnect', async () => {
    const { errors, state } = await hundred({ authMode: 'authorization_code' }, async () => {
      // The account holds a refresh token that someone else already used (rotated): using it again is a replay.
      const transport = createAxiosTransport();
      const server = authorizationServer(sim.identityUrl, true);
      const client = { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret };
      const stale = await passwordGrant(transport, server, client, { username: DEMO.users[0].username, password: DEMO.users[0].password });
      await refreshTokenGrant(transport, server, client, stale.refreshToken!);
      await helper.getNode('acct').adoptTokens({ ...stale, expiresAt: 0 });
    }, 0, 100);
    for (const e of errors) {
      expect(e.mediavalet.error.code).toBe('reconnect_required');
      expect(e.error.message).toMatch(/Reconnect|reconnect/);
    }
    // One refresh attempt for 100 messages: a terminal answer is not retried.
    expect(state.identity.tokenRequests).toBe(1);
    expect(state.identity.grantErrors.refresh_token).toBe(1);
  });

  it('uploads 100 files through connection resets mid-upload: each once, byte-identical', async () => {
    const { out, caught } = await load([{ id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [['out']] }]);
    const before = (await sim.state()).assets;
    await sim.faults({ server: 'storage', method: 'PUT', reset: true, afterBytes: 100, times: 5 });
    const files = Array.from({ length: 100 }, (_, i) => randomBytes(1000 + i));
    files.forEach((data, i) => helper.getNode('up').receive({ index: i, payload: data, filename: `reset-${i}.bin` }));
    const messages = await out.next(100, 60_000);
    expect(caught.messages).toHaveLength(0);
    expect(new Set(messages.map((m) => m.index)).size).toBe(100);
    expect(new Set(messages.map((m) => m.payload.asset.id)).size).toBe(100);
    for (const m of messages) expect(m.payload.sha256).toBe(createHash('sha256').update(files[m.index]).digest('hex'));
    for (const m of messages.slice(0, 10)) expect((await sim.upload(m.payload.uploadId))?.sha256).toBe(m.payload.sha256);
    const state = await sim.state();
    expect(state.assets - before).toBe(100);
    expect(state.faultsFired).toBe(5);
  });
});
