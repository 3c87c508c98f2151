// Issue 19 in n8n (through n8n-core): Search and Category → Get Assets read a library larger
// than MediaValet's offset ceiling whole, each asset once; One Page Per Run hands out one page
// and a cursor that the next execution takes back. A small ceiling keeps it fast.
import { SYNTHETIC_CATEGORY_ID } from '../../simulator/synthetic';
import { Sim } from '../helpers/simulator';
import type { TestCredentialsHelper } from './credentials-helper';
import { passwordCredentials } from './credentials';
import { runNode } from './run-workflow';

let sim: Sim;
let credentials: TestCredentialsHelper;
const SIZE = 700;
const node = (resource: string, parameters: Record<string, unknown>) => runNode(credentials, { authentication: 'password', resource, ...parameters } as never);

beforeAll(async () => {
  sim = await Sim.start({ profile: 'strict', syntheticAssets: SIZE, offsetCeiling: 150 });
  credentials = passwordCredentials(sim);
});
afterAll(() => sim?.stop());

it('Search, Return All (newest first): every asset once, past the offset ceiling', async () => {
  const total = (await sim.state()).assets;
  const { items, error } = await node('asset', { operation: 'search', returnAll: true, simplify: true });
  expect(error).toBeUndefined();
  expect(items).toHaveLength(total);
  expect(new Set(items.map((i) => i.json.id)).size).toBe(total);
});

it('Category → Get Assets, Return All: every asset of the category once, past the ceiling', async () => {
  const { items, error } = await node('category', { operation: 'getAssets', category: { __rl: true, mode: 'id', value: SYNTHETIC_CATEGORY_ID }, returnAll: true, simplify: true });
  expect(error).toBeUndefined();
  expect(items).toHaveLength(SIZE);
  expect(new Set(items.map((i) => i.json.id)).size).toBe(SIZE);
});

it('One Page Per Run: one item per run with a cursor the next run takes back, each asset once across runs', async () => {
  const total = (await sim.state()).assets;
  const ids: string[] = [];
  let cursor = '';
  let runs = 0;
  do {
    const { items, error } = await node('asset', { operation: 'search', returnAll: true, pageByPage: true, cursor, simplify: true });
    expect(error).toBeUndefined();
    expect(items).toHaveLength(1);
    const page = items[0].json as { assets: Array<{ id: string }>; count: number; cursor: string; hasMore: boolean };
    expect(page.count).toBe(page.assets.length);
    ids.push(...page.assets.map((a) => a.id));
    expect(page.hasMore).toBe(page.cursor !== '');
    cursor = page.cursor;
    runs++;
  } while (cursor && runs < 50);
  expect(cursor).toBe('');
  // The strict cap (50) learned once for the process, so each run is one page of 50.
  expect(runs).toBeGreaterThanOrEqual(Math.ceil(total / 50));
  expect(ids).toHaveLength(total);
  expect(new Set(ids).size).toBe(total);
});

it('a cursor from another search is refused with what to do', async () => {
  const first = await node('asset', { operation: 'search', returnAll: true, pageByPage: true, simplify: true });
  const cursor = (first.items[0].json as { cursor: string }).cursor;
  const { error } = await node('asset', { operation: 'search', query: 'gradient', returnAll: true, pageByPage: true, cursor });
  expect(String((error as Error)?.message)).toMatch(/cursor belongs to a different search/);
});
