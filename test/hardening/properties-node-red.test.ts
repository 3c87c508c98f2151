// Property: every input of every mv node operation, in a real Node-RED runtime against the
// strict simulator, ends as a clear error naming the field with no request sent, or as a
// request; never a crash, errors bounded, no secret in any output.
import fc from 'fast-check';
import { catchNode, collector, helper, nodes, tempUserDir } from '../helpers/node-red';
import { DEMO, Sim } from '../helpers/simulator';
import { anyInput, INPUT_CLASSES, isGuid, MAX_ERROR_TEXT } from './arbitraries';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

const RUNS = Number(process.env.MV_PROPERTY_RUNS ?? 12);
let sim: Sim;
const runs: Record<string, number> = {};

beforeAll(async () => {
  sim = await Sim.start();
  helper.settings({ userDir: tempUserDir() });
  await new Promise((resolve) => helper.startServer(resolve));
  const creds = { acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } };
  const flow = [
    { id: 'tab', type: 'tab', label: 'p' },
    { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true },
    { id: 'asset', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'msg', wires: [['out']] },
    { id: 'req', z: 'tab', type: 'mediavalet-request', account: 'acct', method: 'use', path: '', returnAll: 'single', wires: [['out']] },
    { id: 'up', z: 'tab', type: 'mediavalet-upload', account: 'acct', wires: [['out']] },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
  await helper.load([...nodes, catchNode], flow, creds);
  // The account's deploy-time check signs in and calls MediaValet: over before counting starts.
  await outcome('asset', { operation: 'get', assetId: '10000000-0000-4000-8000-000000000001' });
  await new Promise((resolve) => setTimeout(resolve, 500));
}, 60_000);
afterAll(async () => {
  console.log(`Node-RED property runs: ${JSON.stringify(runs)} over ${INPUT_CLASSES.join('; ')}`);
  await helper.unload();
  await new Promise((resolve) => helper.stopServer(resolve));
  await sim?.stop();
});

/** Sends msg to a node; resolves with the next message out or the next one caught. */
async function outcome(nodeId: string, msg: Record<string, unknown>): Promise<{ out?: any; error?: any }> {
  const out = collector(helper.getNode('out'));
  const caught = collector(helper.getNode('caught'));
  const done = Promise.race([out.next(1, 20_000).then(([m]) => ({ out: m })), caught.next(1, 20_000).then(([m]) => ({ error: m }))]);
  helper.getNode(nodeId).receive(msg);
  const result = await done;
  helper.getNode('out').removeAllListeners('input');
  helper.getNode('caught').removeAllListeners('input');
  return result;
}

const requestsSoFar = async () => {
  const state = await sim.state();
  return state.api.requests + state.faultsFired;
};

/** The property, for one node operation: `field` is where the value goes, `names` what an error must name. */
async function check(name: string, nodeId: string, build: (value: unknown) => Record<string, unknown>, names: RegExp, mustSend?: (value: unknown) => boolean) {
  runs[name] = 0;
  await fc.assert(
    fc.asyncProperty(anyInput, async (value) => {
      runs[name]++;
      const before = await requestsSoFar();
      const { out, error } = await outcome(nodeId, build(value));
      const sent = (await requestsSoFar()) - before;
      if (error) {
        const text = String(error.error?.message ?? '');
        record('error', text);
        record('error', error.mediavalet?.error);
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThan(MAX_ERROR_TEXT);
        expect(text).not.toContain(DEMO.subscriptionKey);
        expect(text).not.toContain(DEMO.users[0].password);
        // Refused before sending: the message names the field. Sent: MediaValet's answer, with its status.
        if (sent === 0) expect(text).toMatch(names);
        else expect(error.mediavalet?.error?.status ?? 0).toBeGreaterThanOrEqual(400);
      } else {
        record('node-red output', out?.payload);
        expect(sent).toBeGreaterThan(0);
      }
      if (mustSend && !mustSend(value)) expect(sent).toBe(0);
    }),
    { numRuns: RUNS },
  );
}

const ASSET = /Asset ID \(msg\.assetId\)|asset id is missing/;

describe.each(['get', 'renditions', 'history', 'directLink', 'download'])('mv asset %s: msg.assetId', (operation) => {
  it('refuses before sending, or sends a request for a well-formed id', async () => {
    await check(`asset ${operation}: assetId`, 'asset', (assetId) => ({ operation, assetId }), ASSET, (v) => isGuid(v));
  }, 60_000);
});

describe('mv asset with a valid id and an odd second input', () => {
  const id = '10000000-0000-4000-8000-999999999999';
  it.each([
    ['addKeywords', 'keywords', /Keywords/],
    ['removeKeywords', 'keywords', /Keywords/],
    ['addCategories', 'categories', /Categories/],
    ['removeCategories', 'categories', /Categories/],
    ['download', 'rendition', /Rendition/],
    ['history', 'limit', /Limit/],
  ])('%s: msg.%s', async (operation, field, names) => {
    await check(`asset ${operation}: ${field}`, 'asset', (value) => ({ operation, assetId: id, [field]: value }), names);
  }, 60_000);

  it('update: msg.payload.title', async () => {
    await check('asset update: title', 'asset', (title) => ({ operation: 'update', assetId: id, payload: { title } }), /Title|Nothing to update/);
  }, 60_000);

  it('search: msg.search.query and categoryId', async () => {
    await check('asset search: query', 'asset', (query) => ({ operation: 'search', search: { query, limit: 2 } }), /Search text/);
    await check('asset search: categoryId', 'asset', (categoryId) => ({ operation: 'search', search: { categoryId, limit: 2 } }), /Category/);
  }, 90_000);

  it('msg.operation itself', async () => {
    await check('asset: operation', 'asset', (operation) => ({ operation, assetId: id }), /Operation \(msg\.operation\)/);
  }, 60_000);
});

describe('mv request and mv upload', () => {
  it('mv request: msg.path, msg.method, msg.query, msg.pageSize', async () => {
    await check('request: path', 'req', (path) => ({ path }), /Path \(msg\.path\)|path \(e\.g\. \/assets\) is missing/);
    await check('request: method', 'req', (method) => ({ path: '/categories', method }), /Method \(msg\.method\)/);
    await check('request: query', 'req', (query) => ({ path: '/categories', query }), /Query \(msg\.query/);
    await check('request: pageSize', 'req', (pageSize) => ({ path: '/keywords', returnAll: 'array', pageSize, limit: 3 }), /Page size \(msg\.pageSize\)/);
  }, 120_000);

  it('mv upload: msg.url, msg.filename, msg.assetId', async () => {
    const bytes = Buffer.from('hello');
    // Uploads that succeed create assets: fewer runs, and a well-formed URL is seldom generated.
    await check('upload: url', 'up', (url) => ({ url, payload: undefined }), /File URL|msg\.payload/);
    await check('upload: filename', 'up', (filename) => ({ payload: bytes, filename }), /File name/);
    await check('upload: assetId', 'up', (assetId) => ({ payload: bytes, filename: 'a.txt', assetId }), /Asset ID/);
  }, 120_000);
});
