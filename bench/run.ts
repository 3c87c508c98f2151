#!/usr/bin/env node
// `npm run bench`: each benchmark runs our code and a baseline in the same run, against
// the simulator on 127.0.0.1 (in its own process), and prints the ratio, so the figures
// hold on a noisy machine. `--json` ends with one JSON object of the headline numbers.
// `--quick` runs every benchmark at a small size (CI does); `--only P4,P5` picks some.
// Each benchmark has a deadline (3 min quick, 60 min full) so a stuck host fails the run.
//   P1 request overhead   MediaValetClient vs raw axios with hand-written headers
//   P2 expiry storm       1,000 concurrent calls when the token expires
//   P3 large upload       upload() vs raw Azure block PUTs (each in a fresh process)
//   P4 paging             Return All over 10k, 20k, 40k assets
//   P5 Node-RED           messages/s through mv token vs a pass-through function node
//   P6 upload from URL    uploadFromUrl() vs upload() of the same stream in process, at two sizes
//   P7 SkyHOOK latency    event raised in the simulator -> emitted through core vs one POST straight to the receiver
//   P8 Return All at scale  1,000,000 synthetic assets past the offset ceiling: requests made vs
//                         the minimum the page cap allows, each asset once; Node-RED per-page memory
//   H1-H5 in the hosts    real n8n 2.41.1 and Node-RED: our nodes against hand-built HTTP Request
//                         flows (bench/hosts.ts, in a child process; needs scripts/e2e-install.sh's n8n)
import { fork } from 'node:child_process';
import { Readable } from 'node:stream';
import axios from 'axios';
import http from 'node:http';
import { connect, createSubscription, deleteSubscription, type MediaValetConnection, searchPages, uploadAsset, uploadFromUrl } from '../core';
import { createAxiosTransport } from '../node-red/axios-transport';
import { sleep } from '../node-red/sleep';
import { DEMO, SEED_IDS } from '../simulator/index';
import { SimulatorProcess } from '../simulator/process';
import { startNodeRed, withDeadline } from './node-red';
import { HOST_BENCHES, hostBenchesInChild } from './hosts';
import { p7 } from './skyhook';
import { heapSampler, median, percentile, round, rssSampler } from './stats';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const only = option('--only', ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', ...HOST_BENCHES].join(',')).split(',');
const quick = flag('--quick');
const MiB = 1024 * 1024;

function connection(sim: SimulatorProcess, maxSockets = 64): MediaValetConnection {
  return connect(
    { mode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password, allowInsecure: true },
    { transport: createAxiosTransport({ maxSockets }), sleep },
  );
}

async function runConcurrent(total: number, concurrency: number, call: () => Promise<unknown>): Promise<{ seconds: number; latencies: number[]; failures: number }> {
  let next = 0;
  let failures = 0;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = process.hrtime.bigint();
        try {
          await call();
        } catch {
          failures++;
        }
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies, failures };
}

async function p1(sim: SimulatorProcess) {
  const { client } = connection(sim);
  const headers = await client.authHeaders();
  const raw = axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) });
  const path = `/assets/${SEED_IDS.firstAsset}`;
  const ours = () => client.request({ method: 'GET', path });
  const baseline = () => raw.get(`${sim.apiUrl}${path}`, { headers });
  const rows: Array<Record<string, unknown>> = [];
  const ratios: Record<number, number> = {};
  for (const concurrency of [1, 16]) {
    const total = quick ? 300 : concurrency === 1 ? 1500 : 4000;
    await runConcurrent(200, concurrency, ours);
    await runConcurrent(200, concurrency, baseline);
    const oursRates: number[] = [];
    const rawRates: number[] = [];
    // Interleaved rounds, median of each: drift on a shared machine hits both sides alike.
    for (let round = 0; round < 3; round++) {
      const a = await runConcurrent(total, concurrency, ours);
      const b = await runConcurrent(total, concurrency, baseline);
      oursRates.push(total / a.seconds);
      rawRates.push(total / b.seconds);
    }
    ratios[concurrency] = median(oursRates) / median(rawRates);
    rows.push({ bench: `P1 GET /assets/{id} c=${concurrency}`, ours: `${round(median(oursRates), 0)} req/s`, baseline: `${round(median(rawRates), 0)} req/s (raw axios)`, ratio: round(ratios[concurrency]) });
  }
  return { rows, json: { p1_ratio_c1: round(ratios[1], 3), p1_ratio_c16: round(ratios[16], 3) } };
}

async function p2(sim: SimulatorProcess) {
  const calls = 1000;
  const { client, tokens } = connection(sim, 256);
  const path = `/assets/${SEED_IDS.firstAsset}`;
  await client.request({ method: 'GET', path });
  // Baseline: the same burst with a valid token.
  const base = await runConcurrent(calls, calls, () => client.request({ method: 'GET', path }));
  // The storm: the token expires, then 1,000 calls arrive at once.
  tokens.invalidate();
  await sim.resetCounters();
  const storm = await runConcurrent(calls, calls, () => client.request({ method: 'GET', path }));
  const state = await sim.state();
  const added = percentile(storm.latencies, 99) - percentile(base.latencies, 99);
  return {
    rows: [
      {
        bench: `P2 expiry storm, ${calls} concurrent calls`,
        ours: `${state.identity.tokenRequests} token request(s), ${storm.failures} failed, p99 ${round(percentile(storm.latencies, 99), 0)} ms`,
        baseline: `p99 ${round(percentile(base.latencies, 99), 0)} ms with a valid token`,
        ratio: `+${round(added, 0)} ms p99`,
      },
    ],
    json: { p2_token_requests: state.identity.tokenRequests, p2_failures: storm.failures, p2_added_p99_ms: round(added, 1) },
  };
}

/**
 * Deterministic, incompressible-enough bytes without holding the file in memory, in 64 KiB
 * chunks: what fs.createReadStream hands out, and so what n8n's binary streams and a file
 * read in Node-RED deliver. Every chunk is a fresh buffer, as a real source's are.
 */
function generated(size: number, chunkSize = 64 * 1024): Readable {
  const chunk = Buffer.alloc(chunkSize);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  let sent = 0;
  return new Readable({
    highWaterMark: chunkSize,
    read() {
      if (sent >= size) return this.push(null);
      const n = Math.min(chunkSize, size - sent);
      const out = Buffer.from(chunk.subarray(0, n));
      out.writeUInt32BE((sent / chunkSize) >>> 0, 0);
      sent += n;
      this.push(out);
    },
  });
}

interface P3Result {
  seconds: number;
  peakRssMb: number;
  /** RSS with the modules loaded and signed in, just before the first byte: what Node and the code cost. */
  startRssMb: number;
}

/** Runs in a forked process so each side's peak RSS is its own. */
async function p3Worker(kind: 'ours' | 'raw' | 'url', urls: Record<string, string>, size: number, blockSize: number, parallelism: number): Promise<P3Result> {
  const sim = Object.assign(new SimulatorProcess(), urls);
  const { client } = connection(sim);
  await client.authHeaders();
  global.gc?.();
  const startRssMb = process.memoryUsage.rss() / MiB;
  const sampler = rssSampler(5);
  const started = process.hrtime.bigint();
  if (kind === 'ours') {
    await uploadAsset(client, { data: generated(size), filename: 'bench.bin' }, { blockSize, singlePutThreshold: blockSize, parallelism });
  } else if (kind === 'url') {
    // The file server runs in the parent, so this process holds only what the upload holds.
    await uploadFromUrl(client, createAxiosTransport(), { url: `${urls.sourceUrl}?size=${size}`, filename: 'bench.bin' }, { blockSize, singlePutThreshold: blockSize, parallelism });
  } else {
    const created = await client.request<{ uploadUrl: string }>({ method: 'POST', path: '/uploads', body: { filename: 'raw.bin' } });
    const url = created.payload.uploadUrl;
    const raw = axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: parallelism }), maxBodyLength: Infinity });
    const ids: string[] = [];
    const inflight = new Set<Promise<unknown>>();
    let pending: Buffer[] = [];
    let pendingSize = 0;
    const send = async (block: Buffer) => {
      const id = Buffer.from(`block-${String(ids.length).padStart(8, '0')}`).toString('base64');
      ids.push(id);
      const p = raw.put(`${url}&comp=block&blockid=${encodeURIComponent(id)}`, block, { headers: { 'x-ms-version': '2021-08-06' } });
      const tracked = p.finally(() => inflight.delete(tracked));
      inflight.add(tracked);
      if (inflight.size >= parallelism) await Promise.race(inflight);
    };
    for await (const chunk of generated(size)) {
      pending.push(chunk as Buffer);
      pendingSize += (chunk as Buffer).length;
      if (pendingSize >= blockSize) {
        const all = Buffer.concat(pending);
        await send(all.subarray(0, blockSize));
        pending = all.length > blockSize ? [all.subarray(blockSize)] : [];
        pendingSize = all.length - blockSize;
      }
    }
    if (pendingSize) await send(Buffer.concat(pending));
    await Promise.all(inflight);
    await raw.put(`${url}&comp=blocklist`, `<BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`, { headers: { 'x-ms-version': '2021-08-06' } });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakRssMb: sampler.stop(), startRssMb };
}

function forkP3(kind: 'ours' | 'raw' | 'url', sim: SimulatorProcess, size: number, blockSize: number, parallelism: number, sourceUrl = ''): Promise<P3Result> {
  return new Promise((resolve, reject) => {
    const urls = { identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, storageUrl: sim.storageUrl, controlUrl: sim.controlUrl, sourceUrl };
    const child = fork(__filename, ['--p3-worker', JSON.stringify({ kind, urls, size, blockSize, parallelism })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as P3Result));
    child.once('exit', (code) => code !== 0 && reject(new Error(`P3 worker (${kind}) exited with ${code}`)));
  });
}

async function p3(sim: SimulatorProcess) {
  const size = Number(option('--upload-mb', quick ? '64' : '1024')) * MiB;
  const blockSize = 8 * MiB;
  const parallelism = 4;
  // Interleaved rounds, median throughput of each side: one pair of runs swung between 0.68
  // and 1.18 on this machine (disk and page cache of the simulator's storage).
  const rounds = quick ? 1 : 3;
  const raws: P3Result[] = [];
  const ourRuns: P3Result[] = [];
  for (let i = 0; i < rounds; i++) {
    raws.push(await forkP3('raw', sim, size, blockSize, parallelism));
    ourRuns.push(await forkP3('ours', sim, size, blockSize, parallelism));
  }
  const mbps = (r: P3Result) => size / MiB / r.seconds;
  const summary = (runs: P3Result[]) => ({ mbps: median(runs.map(mbps)), peakRssMb: median(runs.map((r) => r.peakRssMb)), maxRssMb: Math.max(...runs.map((r) => r.peakRssMb)), startRssMb: median(runs.map((r) => r.startRssMb)) });
  const ours = summary(ourRuns);
  const raw = summary(raws);
  const memory = (r: ReturnType<typeof summary>) => `peak RSS ${round(r.peakRssMb, 0)} MiB (max ${round(r.maxRssMb, 0)}; ${round(r.startRssMb, 0)} before the upload)`;
  const rows: Array<Record<string, unknown>> = [
    {
      bench: `P3 upload ${size / MiB} MiB, ${blockSize / MiB} MiB blocks x ${parallelism}, median of ${rounds}`,
      ours: `${round(ours.mbps, 0)} MiB/s, ${memory(ours)}`,
      baseline: `${round(raw.mbps, 0)} MiB/s, ${memory(raw)} (raw block PUTs)`,
      ratio: round(ours.mbps / raw.mbps),
    },
  ];
  const json: Record<string, unknown> = {
    p3_peak_rss_mb: round(ours.peakRssMb, 1),
    p3_peak_rss_max_mb: round(ours.maxRssMb, 1),
    p3_start_rss_mb: round(ours.startRssMb, 1),
    p3_raw_peak_rss_mb: round(raw.peakRssMb, 1),
    p3_ratio: round(ours.mbps / raw.mbps, 3),
    p3_upload_mib: size / MiB,
  };
  // Flat memory: four times the file, one run of each side, should peak where the smaller did.
  if (!quick && !flag('--no-flat')) {
    const big = 4 * size;
    const bigRaw = await forkP3('raw', sim, big, blockSize, parallelism);
    const bigOurs = await forkP3('ours', sim, big, blockSize, parallelism);
    rows.push({
      bench: `P3 upload ${big / MiB} MiB, one run each`,
      ours: `${round(big / MiB / bigOurs.seconds, 0)} MiB/s, peak RSS ${round(bigOurs.peakRssMb, 0)} MiB`,
      baseline: `${round(big / MiB / bigRaw.seconds, 0)} MiB/s, peak RSS ${round(bigRaw.peakRssMb, 0)} MiB (raw block PUTs)`,
      ratio: round(bigRaw.seconds / bigOurs.seconds),
    });
    Object.assign(json, { p3_4x_upload_mib: big / MiB, p3_4x_peak_rss_mb: round(bigOurs.peakRssMb, 1), p3_4x_raw_peak_rss_mb: round(bigRaw.peakRssMb, 1) });
  }
  return { rows, json };
}

/** Upload From URL: the source body goes straight into blocks, so peak RSS must not grow with the file. */
async function p6(sim: SimulatorProcess) {
  const sizes = quick ? [64 * MiB, 256 * MiB] : [256 * MiB, 1024 * MiB];
  const blockSize = 8 * MiB;
  const parallelism = 4;
  const server = http.createServer((req, res) => {
    const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size'));
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    generated(size).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sourceUrl = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/file.bin`;
  const rows: Array<Record<string, unknown>> = [];
  const peaks: number[] = [];
  try {
    for (const size of sizes) {
      const fromUrl = await forkP3('url', sim, size, blockSize, parallelism, sourceUrl);
      const inProcess = await forkP3('ours', sim, size, blockSize, parallelism);
      peaks.push(fromUrl.peakRssMb);
      rows.push({
        bench: `P6 upload from URL ${size / MiB} MiB, ${blockSize / MiB} MiB blocks x ${parallelism}`,
        ours: `${round(size / MiB / fromUrl.seconds, 0)} MiB/s, peak RSS ${round(fromUrl.peakRssMb, 0)} MiB`,
        baseline: `${round(size / MiB / inProcess.seconds, 0)} MiB/s, peak RSS ${round(inProcess.peakRssMb, 0)} MiB (upload() of an in-process stream)`,
        ratio: round(fromUrl.peakRssMb / inProcess.peakRssMb),
      });
    }
  } finally {
    server.close();
  }
  // Flat: the larger file costs what the smaller does (linear would be the size ratio, 4).
  return { rows, json: { p6_peak_rss_mb: round(peaks[peaks.length - 1], 1), p6_rss_growth_ratio: round(peaks[peaks.length - 1] / peaks[0], 3), p6_upload_mib: sizes.map((s) => s / MiB) } };
}

async function p4(sim: SimulatorProcess) {
  const { client } = connection(sim);
  const sizes = quick ? [2000, 4000, 8000] : [10_000, 20_000, 40_000];
  const times: number[] = [];
  const growths: number[] = [];
  const rssGrowths: number[] = [];
  const rows: Array<Record<string, unknown>> = [];
  const red = await nodeRed(sim);
  // Warm-up: a small page run, so every baseline below includes the loaded runtime.
  let have = (await sim.state()).assets;
  const warm = red.waitForSink(have);
  red.receive('pager', {});
  await warm;
  for (const size of sizes) {
    await sim.bulk(size - have);
    have = size;
    global.gc?.();
    const sampler = rssSampler();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const started = process.hrtime.bigint();
    let count = 0;
    for await (const page of client.pages({ method: 'GET', path: '/assets', pageSize: 100 })) {
      count += page.items.length;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rss = sampler.stop();
    if (count !== size) throw new Error(`P4 paged ${count} of ${size} assets`);
    times.push(seconds);
    rows.push({ bench: `P4 Return All, ${size} assets`, ours: `${round(seconds, 2)} s, peak RSS ${round(rss, 0)} MiB, heap +${round((peakHeap - heapBefore) / MiB, 1)} MiB`, baseline: '', ratio: '' });

    // Node-RED's per-page mode over the same library: one message per page into a sink, which counts records.
    // Peak heap depends on when the collector runs, so each size is the median of three runs.
    const heap: number[] = [];
    const rssUp: number[] = [];
    for (let run = 0; run < 3; run++) {
      const grown = await nodeRedGrowth(red, 'pager', size);
      rssUp.push(grown.rssUp);
      heap.push(grown.heapUp);
    }
    rssGrowths.push(median(rssUp));
    growths.push(median(heap));
    rows.push({ bench: `P4 Node-RED per-page mode, ${size} assets`, ours: `peak heap +${round(growths.at(-1)!, 1)} MiB, peak RSS +${round(rssGrowths.at(-1)!, 1)} MiB`, baseline: '', ratio: '' });
  }
  const perDoubling = (times[1] / times[0] + times[2] / times[1]) / 2;
  rows.push({ bench: 'P4 time ratio per doubling', ours: round(perDoubling), baseline: '2.00 = linear', ratio: round(perDoubling / 2) });
  // Flat memory: the largest library should cost about what the smallest does (4x the records).
  const flat = growths[2] / Math.max(growths[0], 1);
  rows.push({ bench: `P4 Node-RED peak heap, ${sizes[2]} vs ${sizes[0]} assets`, ours: round(flat), baseline: '1.00 = flat, 4.00 = linear', ratio: '' });
  // The runtime stays up for P5; main() stops it.
  return { rows, json: { p4_time_ratio_per_doubling: round(perDoubling, 3), p4_nodered_peak_rss_growth_mb: round(rssGrowths[2], 1), p4_nodered_peak_heap_growth_mb: round(growths[2], 1), p4_nodered_heap_ratio: round(flat, 2) } };
}

/**
 * P8: Return All over a synthetic library (made on demand by the simulator, never stored) on
 * the strict side: a page cap MediaValet announces only by refusing (400 above it) and an
 * offset ceiling (400 past it). Requests made against the fewest the cap allows; every asset
 * once; then Node-RED's one-message-per-page search over the same library, its peak memory.
 */
async function p8(sim: SimulatorProcess) {
  const size = Number(option('--scale-assets', quick ? '20000' : '1000000'));
  // Quick: a smaller cap and ceiling, so the short run still crosses the ceiling several times and
  // the two requests that teach the cap and the ceiling weigh what they would at full size.
  const cap = quick ? 250 : 500;
  const ceiling = quick ? 5000 : 100_000;
  await sim.settings({ syntheticAssets: size, pageSizeCap: cap, pageSizeOverCap: 'reject', offsetCeiling: ceiling });
  try {
    const total = (await sim.state()).assets;
    const minimum = Math.ceil(total / cap);
    const rows: Array<Record<string, unknown>> = [];
    const { client } = connection(sim);
    await client.authHeaders();
    await sim.resetCounters();
    global.gc?.();
    const sampler = rssSampler();
    const started = process.hrtime.bigint();
    const seen = new Set<string>();
    let duplicates = 0;
    for await (const page of searchPages<{ id: string }>(client, { sort: 'record.createdAt A' })) {
      for (const asset of page.items) (seen.has(asset.id) ? duplicates++ : seen.add(asset.id));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rss = sampler.stop();
    const requests = (await sim.state()).api.requests;
    if (seen.size !== total || duplicates) throw new Error(`P8 read ${seen.size} distinct of ${total} assets, ${duplicates} twice`);
    seen.clear();
    rows.push({
      bench: `P8 Return All, ${total} assets (cap ${cap}, offset ceiling ${ceiling})`,
      ours: `${requests} requests, ${round(seconds, 1)} s, each asset once, peak RSS ${round(rss, 0)} MiB`,
      baseline: `${minimum} requests minimum`,
      ratio: round(requests / minimum, 3),
    });

    const { seconds: redSeconds, rssUp: redRssUp, heapUp: redHeapUp } = await nodeRedGrowth(await nodeRed(sim), 'bigPager', total, quick ? 120_000 : 60 * 60_000);
    rows.push({
      bench: `P8 Node-RED mv asset per-page search, ${total} assets`,
      ours: `${round(redSeconds, 1)} s, peak heap +${round(redHeapUp, 1)} MiB, peak RSS +${round(redRssUp, 1)} MiB`,
      baseline: '',
      ratio: '',
    });
    return {
      rows,
      json: { p8_assets: total, p8_requests: requests, p8_minimum_requests: minimum, p8_request_ratio: round(requests / minimum, 4), p8_seconds: round(seconds, 2), p8_nodered_peak_heap_growth_mb: round(redHeapUp, 1), p8_nodered_peak_rss_growth_mb: round(redRssUp, 1) },
    };
  } finally {
    await sim.settings({ syntheticAssets: 0, profile: 'strict', accessTokenTTL: 3600 });
  }
}

/** Sends one message into `nodeId` and waits for `records` at the sink: time, and peak heap and RSS growth (MiB). */
async function nodeRedGrowth(red: Awaited<ReturnType<typeof startNodeRed>>, nodeId: string, records: number, timeoutMs?: number) {
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rssBefore = process.memoryUsage.rss() / MiB;
  const heapBefore = process.memoryUsage().heapUsed / MiB;
  const rss = rssSampler();
  const heap = heapSampler();
  const started = process.hrtime.bigint();
  const done = red.waitForSink(records, timeoutMs);
  red.receive(nodeId, {});
  await done;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rssUp: rss.stop() - rssBefore, heapUp: heap.stop() - heapBefore };
}

function account(sim: SimulatorProcess) {
  return { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true };
}

function accountCredentials() {
  return { acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } };
}

/** P5: messages per second through mv token (cached token) vs a pass-through function node, same runtime. */
async function p5(sim: SimulatorProcess) {
  const red = await nodeRed(sim);
  try {
    const total = quick ? 5000 : 50_000;
    const rate = async (nodeId: string) => {
      const done = red.waitForSink(total);
      const started = process.hrtime.bigint();
      for (let i = 0; i < total; i++) red.receive(nodeId, { payload: i });
      await done;
      return total / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    // The first message fetches the token; then both sides run warm, interleaved.
    await rate('tok');
    await rate('pass');
    const ours: number[] = [];
    const base: number[] = [];
    for (let round = 0; round < 3; round++) {
      ours.push(await rate('tok'));
      base.push(await rate('pass'));
    }
    const ratio = median(ours) / median(base);
    return {
      rows: [{ bench: `P5 Node-RED, ${total} messages`, ours: `${round(median(ours), 0)} msg/s through mv token`, baseline: `${round(median(base), 0)} msg/s through a function node`, ratio: round(ratio) }],
      json: { p5_msgs_per_s: round(median(ours), 0), p5_ratio: round(ratio, 3) },
    };
  } finally {
    // Stopped by main().
  }
}

/** One embedded Node-RED for P4 and P5 (a process can start Node-RED only once). */
let embedded: ReturnType<typeof startNodeRed> | undefined;
function nodeRed(sim: SimulatorProcess) {
  embedded ??= startNodeRed(
    [
      { id: 'tab', type: 'tab' },
      account(sim),
      { id: 'pager', z: 'tab', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', returnAll: 'pages', pageSize: 100, wires: [['sink']] },
      { id: 'bigPager', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'search', sort: 'record.createdAt A', searchOutput: 'pages', wires: [['sink']] },
      { id: 'tok', z: 'tab', type: 'mediavalet-token', account: 'acct', wires: [['sink']] },
      { id: 'pass', z: 'tab', type: 'function', func: 'return msg;', outputs: 1, wires: [['sink']] },
      { id: 'sink', z: 'tab', type: 'function', func: "global.get('sink')(typeof msg.count === 'number' ? msg.count : 1); return null;", outputs: 1, wires: [[]] },
    ],
    accountCredentials(),
  );
  return embedded;
}

async function main() {
  if (args[0] === '--p3-worker') {
    const { kind, urls, size, blockSize, parallelism } = JSON.parse(args[1]);
    const result = await p3Worker(kind, urls, size, blockSize, parallelism);
    process.send!(result, () => process.exit(0));
    return;
  }
  const sim = await new SimulatorProcess().launch({ accessTokenTTL: 3600 });
  const rows: Array<Record<string, unknown>> = [];
  const json: Record<string, unknown> = { cores: (await import('node:os')).cpus().length };
  try {
    const benches: Record<string, (sim: SimulatorProcess) => Promise<{ rows: Array<Record<string, unknown>>; json: Record<string, unknown> }>> = {
      P1: p1,
      P2: p2,
      P3: p3,
      P4: p4,
      P5: p5,
      P6: p6,
      P7: (s) => {
        const { client } = connection(s);
        return p7(s, { createSubscription: async (url) => (await createSubscription(client, url, ['Asset.StatusUpdated'])).id, deleteSubscription: (id) => deleteSubscription(client, id) }, quick ? 50 : 300);
      },
      P8: p8,
    };
    for (const name of only) {
      const bench = benches[name];
      if (!bench) continue;
      process.stderr.write(`running ${name}…\n`);
      const minutes = quick ? 3 : 90;
      const result = await withDeadline(bench(sim), minutes * 60_000, () => `${name} did not finish within ${minutes} min: the bench stops here (a host or a flow that never answered?)`);
      rows.push(...result.rows);
      Object.assign(json, result.json);
    }
    // Real n8n and Node-RED side by side (bench/hosts.ts), in a child of their own, all at once.
    const hosts = only.filter((name) => HOST_BENCHES.includes(name));
    if (hosts.length) {
      process.stderr.write(`running ${hosts.join(', ')} (real n8n and Node-RED)…\n`);
      const minutes = quick ? 10 : 90;
      const result = await hostBenchesInChild(hosts, quick, minutes * 60_000);
      rows.push(...result.rows);
      Object.assign(json, result.json);
    }
  } finally {
    if (embedded) await (await embedded).stop();
    await sim.stop();
  }
  console.table(rows);
  if (flag('--json')) console.log(JSON.stringify(json));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
