// A MediaValet far away and busy: every API answer late by `latencyMs` (a WAN), and the
// gateway's rate limit per subscription key (`rateLimitPerSecond` calls per one-second window,
// then 429 with or without Retry-After, as Azure API Management answers). Both are settings
// at run time (POST /__sim/settings), off by default.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http';

export interface ThrottleSettings {
  /** Every API answer waits this long (ms) before it is written; 429s too. */
  latencyMs: number;
  /** API calls per second and subscription key; 0 is no limit. */
  rateLimitPerSecond: number;
  /** Whether a 429 carries Retry-After (seconds to the end of the window). */
  rateLimitRetryAfter: boolean;
}

export const THROTTLE_DEFAULTS: ThrottleSettings = { latencyMs: 0, rateLimitPerSecond: 0, rateLimitRetryAfter: true };

export interface ThrottleCounters {
  /** 429s answered for the rate limit. */
  throttled: number;
  /** API calls being answered at once, now and at most since the counters were reset. */
  inFlight: number;
  maxInFlight: number;
}

export class Throttle {
  readonly counters: ThrottleCounters = { throttled: 0, inFlight: 0, maxInFlight: 0 };
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(readonly settings: ThrottleSettings) {}

  reset(): void {
    this.counters.throttled = 0;
    this.counters.maxInFlight = this.counters.inFlight;
  }

  /** Delays the call and answers 429 when its key is over the limit: true when it answered. */
  async apply(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const counters = this.counters;
    counters.inFlight++;
    counters.maxInFlight = Math.max(counters.maxInFlight, counters.inFlight);
    res.once('close', () => counters.inFlight--);
    if (this.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.settings.latencyMs));
    const limit = this.settings.rateLimitPerSecond;
    if (!(limit > 0)) return false;
    const key = String(req.headers['ocp-apim-subscription-key'] ?? '');
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= 1000) this.windows.set(key, (window = { start: now, count: 0 }));
    if (++window.count <= limit) return false;
    counters.throttled++;
    const seconds = Math.max(1, Math.ceil((window.start + 1000 - now) / 1000));
    sendJson(
      res,
      429,
      { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
      this.settings.rateLimitRetryAfter ? { 'retry-after': String(seconds) } : {},
    );
    return true;
  }
}
