// Property: every input of every MediaValet node operation, run by n8n-core against the
// strict simulator, ends as a clear error naming the field with no request sent, or as a
// request; never a crash, errors bounded, no secret in any output.
import fc from 'fast-check';
import type { Sim } from '../helpers/simulator';
import { DEMO } from '../helpers/simulator';
import type { TestCredentialsHelper } from '../n8n/credentials-helper';
import { passwordCredentials } from '../n8n/credentials';
import { runNode } from '../n8n/run-workflow';
import { startStrictSimulator } from '../n8n/strict-simulator';
import { anyInput, INPUT_CLASSES, isGuid, MAX_ERROR_TEXT } from './arbitraries';

const RUNS = Number(process.env.MV_PROPERTY_RUNS ?? 12);
const ID = '10000000-0000-4000-8000-999999999999';
let sim: Sim;
let credentials: TestCredentialsHelper;
const runs: Record<string, number> = {};
/** Where each run's value goes: the input item's v, read by an expression. */
const V = '={{ $json.v }}';

beforeAll(async () => {
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
});
afterAll(async () => {
  console.log(`n8n property runs: ${JSON.stringify(runs)} over ${INPUT_CLASSES.join('; ')}`);
  await sim?.stop();
});

const requestsSoFar = async () => {
  const state = await sim.state();
  return state.api.requests + state.faultsFired;
};

async function check(name: string, build: (value: unknown) => Record<string, unknown>, names: RegExp, mustSend?: (value: unknown) => boolean) {
  runs[name] = 0;
  await fc.assert(
    fc.asyncProperty(anyInput, async (value) => {
      runs[name]++;
      const before = await requestsSoFar();
      // The value arrives as a careless flow or an AI agent passes it: through an expression.
      const { items, error } = await runNode(credentials, { authentication: 'password', ...build(V) } as never, { continueOnFail: true, input: [{ json: { v: value } as never }] });
      const sent = (await requestsSoFar()) - before;
      const failed = items.find((item) => item.json.error !== undefined);
      if (error) throw new Error(`the run itself failed: ${String(error.message).slice(0, 300)}`);
      if (failed) {
        const text = `${failed.json.error} ${failed.json.hint ?? ''}`;
        expect(text.length).toBeLessThan(MAX_ERROR_TEXT);
        expect(text).not.toContain(DEMO.subscriptionKey);
        expect(text).not.toContain(DEMO.users[0].password);
        if (sent === 0) expect(text).toMatch(names);
        else expect(Number(failed.json.status ?? 0)).toBeGreaterThanOrEqual(400);
      } else {
        expect(sent).toBeGreaterThan(0);
      }
      if (mustSend && !mustSend(value)) expect(sent).toBe(0);
    }),
    { numRuns: RUNS },
  );
}

const asset = (operation: string, extra: Record<string, unknown> = {}) => (value: unknown) => ({ resource: 'asset', operation, assetId: value, ...extra });

describe('Asset: the Asset ID field', () => {
  it.each(['get', 'delete', 'getRenditions', 'getHistory', 'getDirectLink', 'download'])('%s refuses before sending, or sends for a well-formed id', async (operation) => {
    await check(`asset ${operation}: Asset ID`, asset(operation, { returnAll: false, limit: 5, rendition: 'original', binaryPropertyName: 'data' }), /Asset ID|Asset/, (v) => isGuid(v) || (typeof v === 'string' && /assets\/[0-9a-f-]{36}/.test(v)));
  }, 60_000);
});

describe('the other fields of each operation', () => {
  it.each([
    ['asset addKeywords: Keywords', (v: unknown) => ({ resource: 'asset', operation: 'addKeywords', assetId: ID, keywords: v }), /Keywords/],
    ['asset removeKeywords: Keywords', (v: unknown) => ({ resource: 'asset', operation: 'removeKeywords', assetId: ID, keywords: v }), /Keywords/],
    ['asset update: Title', (v: unknown) => ({ resource: 'asset', operation: 'update', assetId: ID, updateFields: { title: v } }), /Title|Nothing to update/],
    ['asset update: File Name', (v: unknown) => ({ resource: 'asset', operation: 'update', assetId: ID, updateFields: { filename: v } }), /File name|Nothing to update/],
    ['asset search: Search Text', (v: unknown) => ({ resource: 'asset', operation: 'search', query: v, returnAll: false, limit: 2, options: {} }), /Search text/],
    ['asset search: Limit', (v: unknown) => ({ resource: 'asset', operation: 'search', query: '', returnAll: false, limit: v, options: {} }), /Limit/],
    ['asset addCategory: Category', (v: unknown) => ({ resource: 'asset', operation: 'addCategory', assetId: ID, category: v }), /Category/],
    ['category get: Category', (v: unknown) => ({ resource: 'category', operation: 'get', category: v }), /Category/],
    ['category create: Name', (v: unknown) => ({ resource: 'category', operation: 'create', name: v, options: {} }), /Name/],
    ['keyword create: Keyword', (v: unknown) => ({ resource: 'keyword', operation: 'create', keywordName: v }), /Keyword/],
    ['apiRequest: Path', (v: unknown) => ({ resource: 'apiRequest', operation: 'send', method: 'GET', path: v, responseFormat: 'json' }), /Path/],
    ['upload url: File URL', (v: unknown) => ({ resource: 'upload', operation: 'uploadFromUrl', url: v, options: {} }), /File URL/],
  ])('%s', async (name, build, names) => {
    await check(name, build as (v: unknown) => Record<string, unknown>, names);
  }, 90_000);
});
