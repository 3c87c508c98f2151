// SkyHOOK for the benchmarks and the tests (test/helpers/skyhook.ts re-exports it): a webhook
// receiver (a real HTTP server on 127.0.0.1 that answers the CloudEvents handshake through
// core), the latency figures the closing notes report (event raised in the simulator ->
// delivered or emitted), and P7, that latency through core's receiving path.
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { EventIdWindow, fromLibrary, handshakeAnswer, readDelivery } from '../core';
import { SIM_LIBRARY_ID } from '../simulator/skyhook';
import type { SimulatorProcess, SkyhookState } from '../simulator/process';
import { percentile, round } from './stats';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  /** Milliseconds since the epoch, on the same clock as the simulator's delivery log. */
  at: number;
  status: number;
}

export interface ReceiverOptions {
  /** How to answer the OPTIONS handshake: consent (core's handshakeAnswer), a bare 204 (what n8n does), or a bare 200. */
  handshake?: 'consent' | 'bare204' | 'bare200';
  /** Status for each POST in turn (the last repeats); default 200. */
  statuses?: number[];
  /** Called with each POST as it arrives, before the answer (a benchmark's output path). */
  onDelivery?: (received: Received) => void;
}

export interface Receiver {
  /** The webhook URL, with an unguessable path segment as the hosts make them. */
  url: string;
  received: Received[];
  handshakes: number;
  /** Resolves once `count` POSTs have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const secret = randomBytes(24).toString('hex');
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const statuses = options.statuses ?? [200];
  const state = { handshakes: 0 };
  const server: Server = http.createServer((req, res) => {
    if (!req.url?.startsWith(`/hook/${secret}`)) return void res.writeHead(404).end();
    if (req.method === 'OPTIONS') {
      state.handshakes++;
      const mode = options.handshake ?? 'consent';
      const answer = mode === 'consent' ? handshakeAnswer(req.headers) : undefined;
      if (answer) return void res.writeHead(answer.status, answer.headers).end();
      return void res.writeHead(mode === 'bare200' ? 200 : 204).end();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)];
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.timeOrigin + performance.now(), status };
      received.push(entry);
      options.onDelivery?.(entry);
      res.writeHead(status).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook/${secret}`,
    received,
    get handshakes() {
      return state.handshakes;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} deliveries, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface LatencySummary {
  count: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

/** Median, 99th percentile and maximum of samples in milliseconds. */
export function latencySummary(samplesMs: number[]): LatencySummary {
  return { count: samplesMs.length, medianMs: round(percentile(samplesMs, 50), 1), p99Ms: round(percentile(samplesMs, 99), 1), maxMs: round(percentile(samplesMs, 100), 1) };
}

/**
 * Event-to-output latency: for each output (the event id a host emitted, and when, in ms since
 * the epoch: `performance.timeOrigin + performance.now()` or `Date.now()` in an unshifted
 * process), the time since the simulator raised that event. Outputs of events the log does not
 * know are left out. Without outputs, the simulator's own raised -> first delivered (2xx) times.
 */
export function eventLatencies(state: SkyhookState, outputs?: Array<{ eventId: string; at: number }>): LatencySummary {
  const raised = new Map<string, number>();
  const delivered = new Map<string, number>();
  for (const d of state.deliveries) {
    raised.set(d.eventId, d.raisedAt);
    if (d.outcome === 'delivered' && !delivered.has(d.eventId)) delivered.set(d.eventId, d.answeredAt);
  }
  const samples = outputs
    ? outputs.filter((o) => raised.has(o.eventId)).map((o) => o.at - raised.get(o.eventId)!)
    : [...delivered].map(([id, at]) => at - raised.get(id)!);
  return latencySummary(samples);
}

const nowMs = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * P7: event-to-output latency through core's receiving path (readDelivery, the library check,
 * EventIdWindow), on the lenient delivery (at once, in order) and the strict one (50 ms bursts,
 * reversed, every 3rd event twice). Ours: raised in the simulator -> emitted by the receiver;
 * baseline: the same CloudEvent POSTed straight to the same receiver from this process.
 */
export async function p7(sim: SimulatorProcess, client: { createSubscription(url: string): Promise<string>; deleteSubscription(id: string): Promise<void> }, count: number) {
  const rows: Array<Record<string, unknown>> = [];
  const json: Record<string, unknown> = {};
  const variants = [
    { name: 'lenient', settings: { skyhookBatchMs: 0, skyhookReorder: false, skyhookDuplicateEvery: 0 } },
    { name: 'strict', settings: { skyhookBatchMs: 50, skyhookReorder: true, skyhookDuplicateEvery: 3 } },
  ];
  for (const variant of variants) {
    await sim.settings(variant.settings);
    await sim.clearSkyhookLog();
    const window = new EventIdWindow(undefined, 10_000);
    const outputs: Array<{ eventId: string; at: number }> = [];
    let direct: number[] = [];
    let baselineSent = 0;
    const receiver = await startReceiver({
      onDelivery: (r) => {
        for (const event of readDelivery(r.body, String(r.headers['content-type'] ?? ''))) {
          if (fromLibrary(event, SIM_LIBRARY_ID) && window.firstTime(event.id)) outputs.push({ eventId: event.id, at: nowMs() });
        }
      },
    });
    const id = await client.createSubscription(receiver.url);
    try {
      for (let i = 0; i < count; i++) {
        await sim.raiseSkyhookEvent('Asset.StatusUpdated', { AssetId: `bench-${i}`, Status: 'Approved' });
        await pause(10);
      }
      await receiver.waitFor(count, 30_000);
      await pause(500);
      const state = await sim.skyhook();
      const ours = eventLatencies(state, outputs);
      const deliveries = receiver.received.length;
      // Baseline: one hop, the same body, straight to the receiver.
      const body = receiver.received[0].body;
      direct = [];
      for (let i = 0; i < count; i++) {
        const copy = JSON.stringify({ ...JSON.parse(body), id: `direct-${variant.name}-${i}` });
        const started = nowMs();
        baselineSent = outputs.length;
        await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: copy });
        if (outputs.length > baselineSent) direct.push(outputs[outputs.length - 1].at - started);
      }
      const base = latencySummary(direct);
      rows.push({
        bench: `P7 SkyHOOK ${variant.name} delivery, ${count} events`,
        ours: `median ${ours.medianMs} ms, p99 ${ours.p99Ms} ms raised -> emitted; ${deliveries} deliveries, ${outputs.length - direct.length} emitted`,
        baseline: `median ${base.medianMs} ms, p99 ${base.p99Ms} ms one POST straight to the receiver`,
        ratio: round(ours.medianMs / base.medianMs),
      });
      Object.assign(json, {
        [`p7_${variant.name}_median_ms`]: ours.medianMs,
        [`p7_${variant.name}_p99_ms`]: ours.p99Ms,
        [`p7_${variant.name}_deliveries`]: deliveries,
        [`p7_${variant.name}_emitted`]: outputs.length - direct.length,
        [`p7_${variant.name}_baseline_median_ms`]: base.medianMs,
      });
    } finally {
      await client.deleteSubscription(id);
      await receiver.close();
    }
  }
  await sim.settings({ profile: 'strict', accessTokenTTL: 3600 });
  // Two processes must be scheduled per delivery: on a loaded machine that, not the code, is the latency.
  json.p7_loadavg = (await import('node:os')).loadavg()[0];
  return { rows, json };
}
