// A webhook receiver for SkyHOOK tests (a real HTTP server on 127.0.0.1), and the latency
// figures the closing notes report: event raised in the simulator -> delivered or emitted.
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { handshakeAnswer } from '../../core';
import type { SkyhookState } from '../../simulator/process';

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
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.timeOrigin + performance.now(), status });
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

/** Median, 99th percentile (nearest rank) and maximum of samples in milliseconds. */
export function latencySummary(samplesMs: number[]): LatencySummary {
  if (!samplesMs.length) return { count: 0, medianMs: NaN, p99Ms: NaN, maxMs: NaN };
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  const round = (n: number) => Math.round(n * 10) / 10;
  return { count: sorted.length, medianMs: round(rank(0.5)), p99Ms: round(rank(0.99)), maxMs: round(sorted[sorted.length - 1]) };
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
