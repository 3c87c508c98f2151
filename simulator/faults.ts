// Faults on demand: a test posts rules to /__sim/faults and the next matching
// requests misbehave the way MediaValet, Azure or a network might.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ServerName = 'identity' | 'api' | 'storage';

export interface FaultRule {
  /** Which server (default: any). */
  server?: ServerName;
  method?: string;
  /** Regular expression tested against the path (no query). */
  path?: string;
  /** How many matching requests it hits (default 1); 0 = every one. */
  times?: number;
  /** Let this many matching requests through first. */
  skip?: number;
  /** Answer with this status and body. */
  status?: number;
  /** Retry-After header value (seconds or an HTTP date). */
  retryAfter?: string;
  body?: unknown;
  /** An HTML error page instead of JSON. */
  html?: boolean;
  /** 200 with a body that is not JSON. */
  malformed?: boolean;
  /** 200 with a JSON body this many bytes long. */
  oversizeBytes?: number;
  /** Destroy the connection; with afterBytes, once that much of the request body was read. */
  reset?: boolean;
  afterBytes?: number;
  /** Wait this long, then answer normally (or with the fault above). */
  delayMs?: number;
  /** Revoke tokens as this request arrives, then handle it (so it meets the revocation). */
  revoke?: 'access' | 'all';
}

interface ActiveRule extends FaultRule {
  hits: number;
  seen: number;
}

export class Faults {
  private rules: ActiveRule[] = [];
  /** Every fault served, for tests to check a fault really fired. */
  fired = 0;

  constructor(private readonly hooks: { revoke(what: 'access' | 'all'): void; retryAfterOn429(): boolean }) {}

  add(rules: FaultRule[]): void {
    for (const rule of rules) this.rules.push({ ...rule, hits: 0, seen: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Applies the first matching rule. Returns true when the request has been answered (or killed). */
  async apply(server: ServerName, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const rule = this.rules.find(
      (r) =>
        (!r.server || r.server === server) &&
        (!r.method || r.method.toUpperCase() === req.method) &&
        (!r.path || new RegExp(r.path).test(pathname)) &&
        (r.times === 0 || r.hits < (r.times ?? 1)),
    );
    if (!rule) return false;
    rule.seen++;
    if (rule.skip && rule.seen <= rule.skip) return false;
    rule.hits++;
    this.fired++;
    if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
    if (rule.revoke) this.hooks.revoke(rule.revoke);
    if (rule.reset) {
      if (rule.afterBytes) {
        let read = 0;
        await new Promise<void>((resolve) => {
          req.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read >= (rule.afterBytes ?? 0)) resolve();
          });
          req.on('end', () => resolve());
        });
      }
      req.socket.destroy();
      return true;
    }
    if (rule.oversizeBytes) {
      const filler = 'x'.repeat(Math.max(0, rule.oversizeBytes - 20));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ payload: filler }));
      return true;
    }
    if (rule.malformed) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"payload": [ this is not json');
      return true;
    }
    if (rule.status === undefined) return false; // only a delay
    req.resume();
    const headers: Record<string, string> = {};
    // MediaValet documents no Retry-After: the strict profile never sends one on a 429.
    if (rule.retryAfter !== undefined && (rule.status !== 429 || this.hooks.retryAfterOn429())) headers['retry-after'] = rule.retryAfter;
    if (rule.html) {
      res.writeHead(rule.status, { ...headers, 'content-type': 'text/html' });
      res.end(`<!DOCTYPE html><html><head><title>${rule.status} Service Unavailable</title></head><body><h1>The service is unavailable.</h1></body></html>`);
      return true;
    }
    const body = typeof rule.body === 'string' ? rule.body : JSON.stringify(rule.body ?? { Message: `Simulated fault (HTTP ${rule.status}).` });
    res.writeHead(rule.status, { ...headers, 'content-type': typeof rule.body === 'string' ? 'text/plain' : 'application/json' });
    res.end(body);
    return true;
  }
}
