// The host benchmarks: real n8n 2.41.1 and real Node-RED against the simulator, our nodes (A)
// beside what a user builds by hand instead (B), interleaved, median of 3, printed as B/A
// (above 1: ours is faster).
//   H1 n8n Asset → Get by id, loopback        A: MediaValet node   B: HTTP Request with the two headers typed in
//   H2 the same, every answer 50 ms late        items/s
//   H3 n8n Return All                           A: Asset → Search, Return All   B: HTTP Request pagination (count 50, the strict cap) → Split Out
//   H4 Node-RED, messages                       A: mv asset (get)   B: mv token → http request
//   H5 n8n updates at 100 ms under the simulator's per-key rate limit: items/s, 429s, lost and
//      duplicated writes counted at the simulator, against the same node one item at a time
// `npm run bench` runs them in a child process (bench/run.ts); alone:
//   node dist/bench/hosts.js [--quick] [--only H1,H4] [--json]
// The child stops n8n, the simulator and Node-RED on every way out, SIGTERM included.
import { fork } from 'node:child_process';
import { connect } from '../core';
import { createAxiosTransport } from '../node-red/axios-transport';
import { sleep } from '../node-red/sleep';
import { DEMO } from '../simulator/index';
import { SimulatorProcess } from '../simulator/process';
import { N8nHost, passwordCredentialFields } from './n8n-host';
import { startNodeRed, withDeadline } from './node-red';
import { median, round } from './stats';

export const HOST_BENCHES = ['H1', 'H2', 'H3', 'H4', 'H5'];
type Row = Record<string, unknown>;
export interface HostResult {
  rows: Row[];
  json: Record<string, unknown>;
}

const MV = 'n8n-nodes-mediavalet.mediaValet';
const SEEDED = Array.from({ length: 10 }, (_, i) => `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
const RATE_LIMIT = 60;

/** What to stop when the bench ends or is killed. */
const running: { sim?: SimulatorProcess; n8n?: N8nHost; red?: { stop(): Promise<void> } } = {};

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Three interleaved rounds of A then B after one warm-up of each: medians in seconds. */
async function interleaved(a: () => Promise<void>, b: () => Promise<void>): Promise<{ a: number; b: number }> {
  const times = { a: [] as number[], b: [] as number[] };
  await a();
  await b();
  for (let round = 0; round < 3; round++) {
    for (const [side, run] of [['a', a], ['b', b]] as const) {
      const started = process.hrtime.bigint();
      await run();
      times[side].push(seconds(started));
    }
  }
  return { a: median(times.a), b: median(times.b) };
}

function expectIds(what: string, got: unknown[], ids: string[], idOf: (item: any) => unknown): void {
  const wrong = ids.findIndex((id, i) => idOf(got[i]) !== id);
  if (got.length !== ids.length || wrong >= 0) {
    throw new Error(`${what}: ${got.length} items for ${ids.length} ids${wrong >= 0 ? `, item ${wrong} is ${JSON.stringify(got[wrong]).slice(0, 300)}` : ''}`);
  }
}

const splitOut = { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.items', options: {} } };

async function n8nSetup(sim: SimulatorProcess, startTimeoutMs: number) {
  const n8n = (running.n8n = await N8nHost.start(startTimeoutMs));
  const credential = await n8n.credential('MediaValet bench', 'mediaValetPasswordApi', passwordCredentialFields(sim, DEMO));
  const mv = (name: string, parameters: Record<string, unknown>) => ({ name, type: MV, parameters: { authentication: 'password', ...parameters }, credentials: { mediaValetPasswordApi: credential } });
  // B's token is typed in, as a user pastes one: a token from the same sign-in (an hour long here).
  const { client } = connect(
    { mode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password, allowInsecure: true },
    { transport: createAxiosTransport({}), sleep },
  );
  const headers = Object.entries(await client.authHeaders())
    .filter(([name]) => /^(authorization|ocp-apim-subscription-key)$/i.test(name))
    .map(([name, value]) => ({ name, value: String(value) }));
  if (headers.length !== 2) throw new Error(`The bench could not make B's two headers from a sign-in (got ${headers.map((h) => h.name).join(', ')})`);
  const httpRequest = (name: string, parameters: Record<string, unknown>) => ({ name, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters: { sendHeaders: true, headerParameters: { parameters: headers }, options: {}, ...parameters } });
  return { n8n, mv, httpRequest };
}

type N8nSetup = Awaited<ReturnType<typeof n8nSetup>>;

/** H1 and H2: Asset → Get by id over `count` items, A against B, at the simulator's current latency. */
async function getById(setup: N8nSetup, sim: SimulatorProcess, key: 'H1' | 'H2', count: number, latencyMs: number): Promise<HostResult> {
  const { n8n, mv, httpRequest } = setup;
  const hook = key.toLowerCase();
  await n8n.webhookWorkflow(`${hook}-a`, [splitOut, mv('MediaValet', { resource: 'asset', operation: 'get', assetId: '={{ $json.id }}' })]);
  await n8n.webhookWorkflow(`${hook}-b`, [splitOut, httpRequest('HTTP Request', { method: 'GET', url: `=${sim.apiUrl}/assets/{{ $json.id }}` })]);
  const ids = Array.from({ length: count }, (_, i) => SEEDED[i % SEEDED.length]);
  const body = { items: ids.map((id) => ({ id })) };
  const timeout = 60_000 + count * (latencyMs + 20) * 3;
  await sim.settings({ latencyMs });
  try {
    const t = await interleaved(
      async () => expectIds(`${key} A (MediaValet node)`, await n8n.callWebhook(`${hook}-a`, body, timeout), ids, (item) => item?.id),
      async () => expectIds(`${key} B (HTTP Request node)`, await n8n.callWebhook(`${hook}-b`, body, timeout), ids, (item) => (item?.Payload ?? item?.payload)?.id),
    );
    const perSecond = (s: number) => round(count / s, 0);
    const what = latencyMs ? `${count} items, every answer ${latencyMs} ms late` : `${count} items, loopback`;
    return {
      rows: [
        {
          bench: `${key} n8n Asset → Get by id, ${what}`,
          ours: latencyMs ? `${perSecond(t.a)} items/s` : `${round(t.a * 1000, 0)} ms`,
          baseline: latencyMs ? `${perSecond(t.b)} items/s (HTTP Request)` : `${round(t.b * 1000, 0)} ms (HTTP Request)`,
          ratio: round(t.b / t.a),
        },
      ],
      json: { [`${hook}_items`]: count, [`${hook}_a_ms`]: round(t.a * 1000, 0), [`${hook}_b_ms`]: round(t.b * 1000, 0), [`${hook}_ratio`]: round(t.b / t.a, 3) },
    };
  } finally {
    await sim.settings({ latencyMs: 0 });
  }
}

/** H3: Return All over the library grown to `assets`, A (Search, Return All) against B (HTTP Request pagination). */
async function returnAll(setup: N8nSetup, sim: SimulatorProcess, assets: number): Promise<HostResult> {
  const { n8n, mv, httpRequest } = setup;
  const have = (await sim.state()).assets;
  if (have < assets) await sim.bulk(assets - have);
  const total = (await sim.state()).assets;
  const page = 50;
  await n8n.webhookWorkflow('h3-a', [mv('MediaValet', { resource: 'asset', operation: 'search', query: '', returnAll: true })]);
  await n8n.webhookWorkflow('h3-b', [
    httpRequest('HTTP Request', {
      method: 'GET',
      url: `${sim.apiUrl}/assets`,
      sendQuery: true,
      queryParameters: { parameters: [{ name: 'count', value: String(page) }] },
      options: {
        pagination: {
          pagination: {
            paginationMode: 'updateAParameterInEachRequest',
            parameters: { parameters: [{ type: 'qs', name: 'offset', value: `={{ $pageCount * ${page} }}` }] },
            paginationCompleteWhen: 'other',
            completeExpression: `={{ ($response.body.Payload ?? $response.body.payload).assets.length < ${page} }}`,
            limitPagesFetched: true,
            maxRequests: Math.ceil(total / page) + 5,
          },
        },
      },
    }),
    { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'Payload.assets', options: {} } },
  ]);
  const timeout = 120_000 + total * 20;
  const requests = { a: 0, b: 0 };
  const side = (name: 'a' | 'b') => async () => {
    await sim.resetCounters();
    const items = await n8n.callWebhook(`h3-${name}`, {}, timeout);
    requests[name] = (await sim.state()).api.requests;
    const distinct = new Set(items.map((item: any) => item?.id)).size;
    if (items.length !== total || distinct !== total) throw new Error(`H3 ${name === 'a' ? 'A (MediaValet node)' : 'B (HTTP Request pagination)'} returned ${items.length} items, ${distinct} distinct, of ${total} assets`);
  };
  const t = await interleaved(side('a'), side('b'));
  return {
    rows: [
      {
        bench: `H3 n8n Return All, ${total} assets (strict cap ${page})`,
        ours: `${round(t.a * 1000, 0)} ms, ${requests.a} requests`,
        baseline: `${round(t.b * 1000, 0)} ms, ${requests.b} requests (HTTP Request pagination, count ${page})`,
        ratio: round(t.b / t.a),
      },
    ],
    json: { h3_assets: total, h3_a_ms: round(t.a * 1000, 0), h3_b_ms: round(t.b * 1000, 0), h3_a_requests: requests.a, h3_b_requests: requests.b, h3_ratio: round(t.b / t.a, 3) },
  };
}

/** H4: Node-RED, `count` messages at once: mv asset (get) against mv token → http request. */
async function nodeRedGet(sim: SimulatorProcess, count: number): Promise<HostResult> {
  const red = (running.red = await startNodeRed(
    [
      { id: 'tab', type: 'tab' },
      { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true },
      { id: 'mvGet', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'get', wires: [['sinkA']] },
      { id: 'tok', z: 'tab', type: 'mediavalet-token', account: 'acct', wires: [['http']] },
      { id: 'http', z: 'tab', type: 'http request', method: 'GET', ret: 'obj', paytoqs: 'ignore', url: '', tls: '', persist: false, proxy: '', authType: '', senderr: false, headers: [], wires: [['sinkB']] },
      // Only answers that are the asset asked for count: a refused or wrong answer leaves the run short, which fails it.
      { id: 'sinkA', z: 'tab', type: 'function', func: "if (msg.payload && msg.payload.id === msg.assetId) global.get('sink')(1); return null;", outputs: 1, wires: [[]] },
      { id: 'sinkB', z: 'tab', type: 'function', func: "const p = msg.payload && (msg.payload.Payload || msg.payload.payload); if (msg.statusCode === 200 && p && p.id === msg.assetId) global.get('sink')(1); return null;", outputs: 1, wires: [[]] },
    ],
    { acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } },
  ));
  const run = (nodeId: string, message: (id: string) => Record<string, unknown>) => async () => {
    const done = red.waitForSink(count, 60_000 + count * 50);
    for (let i = 0; i < count; i++) red.receive(nodeId, message(SEEDED[i % SEEDED.length]));
    await done;
  };
  const t = await interleaved(
    run('mvGet', (assetId) => ({ assetId })),
    run('tok', (assetId) => ({ assetId, url: `${sim.apiUrl}/assets/${assetId}` })),
  );
  return {
    rows: [{ bench: `H4 Node-RED, ${count} messages: mv asset (get)`, ours: `${round(t.a * 1000, 0)} ms`, baseline: `${round(t.b * 1000, 0)} ms (mv token → http request)`, ratio: round(t.b / t.a) }],
    json: { h4_messages: count, h4_a_ms: round(t.a * 1000, 0), h4_b_ms: round(t.b * 1000, 0), h4_ratio: round(t.b / t.a, 3) },
  };
}

/**
 * H5: `count` title updates at 100 ms per answer under the per-key rate limit, with the node's
 * default Items in Flight, against the same node one item at a time over `sequential` items.
 * Writes are counted at the simulator: every PATCH it answered, and every asset's final title.
 */
async function updates(setup: N8nSetup, sim: SimulatorProcess, count: number, sequential: number): Promise<HostResult> {
  const { n8n, mv } = setup;
  const base = (await sim.state()).assets;
  await sim.bulk(count);
  // addBulkAssets numbers new assets from the library's size (simulator/library.ts).
  const ids = Array.from({ length: count }, (_, i) => `20000000-0000-4000-8000-${String(base + i).padStart(12, '0')}`);
  const update = (itemsInFlight?: number) => mv('MediaValet', { resource: 'asset', operation: 'update', assetId: '={{ $json.id }}', updateFields: { title: '={{ $json.title }}' }, ...(itemsInFlight ? { itemsInFlight } : {}) });
  await n8n.webhookWorkflow('h5-seq', [splitOut, update(1)]);
  await n8n.webhookWorkflow('h5-flight', [splitOut, update()]);
  const latencyMs = 100;
  await sim.settings({ latencyMs, rateLimitPerSecond: RATE_LIMIT });
  try {
    const timed = async (hook: string, items: Array<{ id: string; title: string }>) => {
      const started = process.hrtime.bigint();
      const out = await n8n.callWebhook(hook, { items }, 120_000 + items.length * 1000);
      expectIds(`H5 ${hook}`, out, items.map((i) => i.id), (item) => item?.id);
      return seconds(started);
    };
    const seqItems = ids.slice(0, sequential).map((id, i) => ({ id, title: `sequential ${i}` }));
    const seqRate = sequential / (await timed('h5-seq', seqItems));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a fresh rate-limit window
    await sim.resetCounters();
    const items = ids.map((id, i) => ({ id, title: `in flight ${i}` }));
    const rate = count / (await timed('h5-flight', items));
    const state = await sim.state();
    const patches = state.api.byRoute['PATCH /assets/:id'] ?? 0;
    let lost = 0;
    for (let i = 0; i < count; i += 32) {
      const titles = await Promise.all(items.slice(i, i + 32).map(async (item) => ((await sim.asset(item.id)) as { title?: string; Title?: string } | null)));
      lost += titles.filter((asset, j) => (asset?.title ?? asset?.Title) !== items[i + j].title).length;
    }
    const duplicated = patches - (count - lost);
    if (lost || duplicated) throw new Error(`H5: ${lost} updates lost, ${duplicated} repeated (the simulator answered ${patches} PATCHes for ${count} items)`);
    return {
      rows: [
        {
          bench: `H5 n8n ${count} updates, ${latencyMs} ms answers, limit ${RATE_LIMIT} calls/s per key`,
          ours: `${round(rate, 1)} items/s, ${state.throttle.throttled} 429s, 0 lost, 0 repeated, at most ${state.throttle.maxInFlight} calls at once`,
          baseline: `${round(seqRate, 1)} items/s one at a time (${sequential} items)`,
          ratio: round(rate / seqRate),
        },
      ],
      json: { h5_updates: count, h5_items_per_s: round(rate, 1), h5_sequential_items_per_s: round(seqRate, 2), h5_ratio: round(rate / seqRate, 3), h5_429s: state.throttle.throttled, h5_patches: patches, h5_lost: lost, h5_duplicated: duplicated },
    };
  } finally {
    await sim.settings({ latencyMs: 0, rateLimitPerSecond: 0 });
  }
}

export async function hostBenches(only: string[], quick: boolean): Promise<HostResult> {
  const result: HostResult = { rows: [], json: {} };
  // Each row is printed as it comes too: a later row that fails or is stopped keeps the earlier ones.
  const add = (r: HostResult) => {
    for (const row of r.rows) process.stderr.write(`${Object.values(row).join(' | ')}\n`);
    result.rows.push(...r.rows);
    Object.assign(result.json, r.json);
  };
  const sim = (running.sim = await new SimulatorProcess().launch({ accessTokenTTL: 3600 }));
  try {
    if (only.some((key) => key !== 'H4')) {
      const started = process.hrtime.bigint();
      const setup = await n8nSetup(sim, 240_000);
      process.stderr.write(`n8n with the packed package started in ${round(seconds(started), 1)} s\n`);
      const step = async (key: string, run: () => Promise<HostResult>) => {
        if (!only.includes(key)) return;
        process.stderr.write(`running ${key}…\n`);
        const started = process.hrtime.bigint();
        add(await run());
        process.stderr.write(`${key} took ${round(seconds(started), 1)} s\n`);
      };
      await step('H1', () => getById(setup, sim, 'H1', quick ? 100 : 300, 0));
      await step('H2', () => getById(setup, sim, 'H2', quick ? 100 : 300, 50));
      await step('H3', () => returnAll(setup, sim, quick ? 1000 : 5000));
      await step('H5', () => updates(setup, sim, quick ? 300 : 10_000, quick ? 30 : 200));
      await setup.n8n.stop();
    }
    if (only.includes('H4')) {
      process.stderr.write('running H4…\n');
      add(await nodeRedGet(sim, quick ? 200 : 1000));
    }
    return result;
  } finally {
    await stopAll();
  }
}

async function stopAll(): Promise<void> {
  await Promise.allSettled([running.n8n?.stop(), running.red?.stop(), running.sim?.stop()]);
}

/** Run from bench/run.ts: in a child of its own (one Node-RED per process), killed at its deadline. */
export async function hostBenchesInChild(only: string[], quick: boolean, deadlineMs: number): Promise<HostResult> {
  const child = fork(__filename, ['--child', JSON.stringify({ only, quick })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
  const answer = new Promise<HostResult>((resolve, reject) => {
    child.once('message', (m: { result?: HostResult; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m.result!)));
    child.once('exit', (code) => reject(new Error(`The host bench stopped (exit ${code}) without a result`)));
  });
  try {
    return await withDeadline(answer, deadlineMs, () => `The host bench (${only.join(', ')}) did not finish within ${deadlineMs / 60_000} min: stopped (a host or a workflow that never answered?)`);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await withDeadline(exited, 30_000, () => 'the host bench did not stop').catch(() => child.kill('SIGKILL'));
    }
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      running.n8n?.killNow();
      void stopAll().finally(() => process.exit(1));
    });
  }
  const child = args[0] === '--child';
  const options = child ? (JSON.parse(args[1]) as { only: string[]; quick: boolean }) : { quick: args.includes('--quick'), only: (args.includes('--only') ? args[args.indexOf('--only') + 1] : HOST_BENCHES.join(',')).split(',') };
  hostBenches(options.only, options.quick).then(
    (result) => {
      if (child) return process.send!({ result }, () => process.exit(0));
      console.table(result.rows);
      if (args.includes('--json')) console.log(JSON.stringify(result.json));
    },
    (error: Error) => {
      if (child) return process.send!({ error: error.message }, () => process.exit(1));
      console.error(error);
      process.exit(1);
    },
  );
}
