// What the mv events tests share (npm test runs Node-RED 4.1 from its CLI, the e2e 4.1 and 5
// from the packed package): a flow with the node that posts every message it sends, and every
// error a Catch node sees, to a collector server in the test, over real HTTP.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO, type Sim } from './simulator';

export interface Collected {
  kind: 'message' | 'error';
  at: number;
  msg: any;
}

/** An HTTP server that keeps what the flow posts to it, with the time it arrived. */
export async function startCollector() {
  const got: Collected[] = [];
  const waiting: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        got.push({ kind: req.url === '/error' ? 'error' : 'message', at, msg: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      } catch {
        got.push({ kind: 'error', at, msg: { unreadable: true } });
      }
      res.end('ok');
      for (const w of waiting.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    got,
    messages: () => got.filter((c) => c.kind === 'message'),
    errors: () => got.filter((c) => c.kind === 'error'),
    clear: () => void got.splice(0),
    /** Waits until `probe` holds for what was collected (checked at each arrival). */
    async until(what: string, probe: (got: Collected[]) => boolean, timeoutMs = 15_000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (!probe(got)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; collected: ${JSON.stringify(got).slice(0, 1500)}`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A secret as the editor makes one (64 hex digits). */
export const newSecret = (): string => randomBytes(32).toString('hex');

/**
 * A tab with an account for `sim`, an mv events node (`events` settings over the defaults)
 * and the wiring to the collector: each message and each caught error is POSTed there.
 */
export function eventsFlow(sim: Sim, collectorUrl: string, events: Record<string, unknown>, secret: string) {
  return [
    { id: 'tab', type: 'tab', label: 'events' },
    {
      id: 'acct',
      type: 'mediavalet-config',
      name: 'Simulator',
      authMode: 'password',
      identityUrl: sim.identityUrl,
      apiUrl: sim.apiUrl,
      apiVersion: '1.2',
      allowInsecure: true,
      credentials: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password },
    },
    { id: 'ev', z: 'tab', type: 'mediavalet-events', account: 'acct', events: ['Asset.MediaFileAdded'], fetchAsset: false, assetFormat: 'compact', ...events, credentials: { secret }, wires: [['pack']] },
    { id: 'pack', z: 'tab', type: 'function', func: 'msg.payload = { topic: msg.topic, assetId: msg.assetId, event: msg.event, data: msg.data, payload: msg.payload };\nmsg.headers = { "content-type": "application/json" };\nreturn msg;', outputs: 1, wires: [['post']] },
    { id: 'post', z: 'tab', type: 'http request', method: 'POST', ret: 'txt', url: `${collectorUrl}/message`, wires: [[]] },
    { id: 'catcher', z: 'tab', type: 'catch', scope: ['ev'], uncaught: false, wires: [['packerr']] },
    { id: 'packerr', z: 'tab', type: 'function', func: 'msg.payload = { topic: msg.topic, event: msg.event, error: msg.error && msg.error.message, mediavalet: msg.mediavalet };\nmsg.headers = { "content-type": "application/json" };\nreturn msg;', outputs: 1, wires: [['posterr']] },
    { id: 'posterr', z: 'tab', type: 'http request', method: 'POST', ret: 'txt', url: `${collectorUrl}/error`, wires: [[]] },
  ];
}

/** A CloudEvent as Event Grid delivers it (for deliveries made by hand). */
export function cloudEvent(source: string, overrides: Record<string, unknown> = {}) {
  return {
    id: `hand-${randomBytes(8).toString('hex')}`,
    source,
    specversion: '1.0',
    type: 'Asset.MediaFileAdded',
    subject: `/library/${source}/assets/x`,
    time: new Date().toISOString(),
    data: { LibraryId: source, AssetId: '10000000-0000-4000-8000-000000000001', FileName: 'hand.png' },
    ...overrides,
  };
}

export const CE_TYPE = 'application/cloudevents+json; charset=utf-8';

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
}
