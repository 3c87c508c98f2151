// Issue 19: mv asset's one-message-per-page search reads a library larger than MediaValet's
// offset ceiling whole, each asset once, by date; each page carries msg.cursor, which a
// later message continues from (msg.search.cursor). A small ceiling keeps it fast.
import { collector, helper, nodes } from '../helpers/node-red';
import { goodCredentials, useRuntime } from './runtime';

const runtime = useRuntime({ syntheticAssets: 1300, offsetCeiling: 200, pageSizeCap: 100 });

async function load(search: Record<string, unknown>) {
  const sim = runtime.sim;
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true },
    { id: 'finder', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'search', searchOutput: 'pages', ...search, wires: [['out']] },
    { id: 'out', z: 'tab', type: 'helper' },
  ];
  await helper.load(nodes, flow, { acct: goodCredentials() });
  return collector(helper.getNode('out'));
}

it('one message per page past the offset ceiling: every asset once, a cursor on every page but the last', async () => {
  const out = await load({ sort: 'record.createdAt D' });
  const total = (await runtime.sim.state()).assets;
  helper.getNode('finder').receive({});
  const ids = () => out.messages.flatMap((m: any) => m.payload.map((a: any) => a.id));
  for (let waited = 0; ids().length < total && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(ids()).toHaveLength(total);
  expect(new Set(ids()).size).toBe(total);
  expect(out.messages.length).toBeGreaterThan(total / 100);
  expect(out.messages.slice(0, -1).every((m: any) => typeof m.cursor === 'string')).toBe(true);
  expect(out.messages.at(-1).cursor).toBeUndefined();
  expect(out.messages[0].recordCount.totalRecordsFound).toBe(total);
});

it('a later message continues from a page\'s cursor, without repeating an asset', async () => {
  const out = await load({ sort: 'record.createdAt A', limit: 150 });
  helper.getNode('finder').receive({});
  const first = await out.next(2);
  const cursor = first.at(-1).cursor;
  expect(cursor).toEqual(expect.any(String));
  helper.getNode('finder').receive({ search: { cursor } });
  const next = await out.next(2);
  const before = first.flatMap((m: any) => m.payload.map((a: any) => a.id));
  const after = next.flatMap((m: any) => m.payload.map((a: any) => a.id));
  expect(before).toHaveLength(150);
  expect(after).toHaveLength(150);
  expect(after.filter((id: string) => before.includes(id))).toEqual([]);
});
