// How many MediaValet calls one client has in flight: the one rule both hosts follow (n8n's
// items in flight, Node-RED's messages per account). The limit adapts the way TCP's congestion
// window does: halved when MediaValet throttles (429), grown back by one per round of
// successful calls, and nothing new starts while a Retry-After is running. Halving once per
// round: the eight calls of one burst answered 429 together are one signal, not eight.
import type { Sleep } from './retry';

/** Calls in flight when the user chose nothing (n8n's "Items in Flight", Node-RED's account). */
export const DEFAULT_IN_FLIGHT = 32;

const NO_RETRY_AFTER_PAUSE_MS = 1000;

export interface AdaptiveLimitOptions {
  /** The ceiling: the user's choice. 1 runs calls one after another. */
  max?: number;
  /** The host's timer, for waiting out a Retry-After (core has none of its own). */
  sleep: Sleep;
  now?: () => number;
}

/** One call's place in the limit; give it back with how the call went. */
export interface Slot {
  release(outcome?: { status?: number; retryAfterSeconds?: number }): void;
}

export class AdaptiveLimit {
  readonly max: number;
  private window: number;
  private active = 0;
  private round = 0;
  private pausedUntil = 0;
  private pauseWatched = false;
  private readonly waiting: Array<() => void> = [];
  private readonly sleep: Sleep;
  private readonly now: () => number;
  /** 429s seen, for hosts that report them (the bench). */
  throttledCount = 0;

  constructor(options: AdaptiveLimitOptions) {
    this.max = Math.max(1, Math.floor(options.max ?? DEFAULT_IN_FLIGHT));
    this.window = this.max;
    this.sleep = options.sleep;
    this.now = options.now ?? Date.now;
  }

  /** Calls allowed in flight at the moment. */
  get limit(): number {
    return Math.max(1, Math.floor(this.window));
  }

  get inFlight(): number {
    return this.active;
  }

  /** When the running Retry-After ends (0: none). */
  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  /**
   * Waits for room and for a running Retry-After to end, then holds a place until released.
   * `waitedUntil`: the end of a pause the caller has already waited out (a retry that slept its
   * own Retry-After), which it does not wait for twice.
   */
  async acquire(signal?: AbortSignal, waitedUntil = 0): Promise<Slot> {
    // First come, first served, and a call retrying after a 429 ahead of new ones: a retry
    // that keeps losing the race for the next window would run out of retries.
    let front = waitedUntil > 0;
    let arriving = true;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const pause = this.pausedUntil - this.now();
      if (pause > 0 && this.pausedUntil > waitedUntil) {
        if (!this.pauseWatched) {
          // One caller sleeps the pause and wakes the line; once per pause each, so a host's
          // sleep that returns early does not spin here.
          this.pauseWatched = true;
          waitedUntil = this.pausedUntil;
          try {
            await this.sleep(pause, signal);
          } finally {
            this.pauseWatched = false;
            this.wake();
          }
          continue;
        }
        await this.wait(signal, front);
        front = true;
        continue;
      }
      if (this.active < this.limit && (!arriving || front || this.waiting.length === 0)) break;
      await this.wait(signal, front);
      arriving = false;
      front = true;
    }
    this.active++;
    const round = this.round;
    let released = false;
    return {
      release: (outcome = {}) => {
        if (released) return;
        released = true;
        this.active--;
        this.settle(round, outcome.status, outcome.retryAfterSeconds);
        this.wake();
      },
    };
  }

  private settle(round: number, status: number | undefined, retryAfterSeconds: number | undefined): void {
    if (status === 429) {
      this.throttledCount++;
      // Without Retry-After, a second: gateways count their rate windows in seconds.
      const pauseMs = retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : NO_RETRY_AFTER_PAUSE_MS;
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + pauseMs);
      // Calls started before the last halving were sent at the old limit: their 429s say nothing new.
      if (round === this.round) {
        this.window = Math.max(1, Math.floor(this.window / 2));
        this.round++;
      }
      return;
    }
    // One more call in flight per round of successes, up to the user's ceiling.
    if (status !== undefined && status < 400 && this.window < this.max) this.window = Math.min(this.max, this.window + 1 / this.limit);
  }

  private wait(signal: AbortSignal | undefined, front: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(done);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (front) this.waiting.unshift(done);
      else this.waiting.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wake(): void {
    // Woken callers check again: the limit may have shrunk or a pause begun meanwhile.
    for (let free = this.limit - this.active; free > 0 && this.waiting.length; free--) this.waiting.shift()!();
  }
}

/**
 * Runs `work` for every index with at most `limit` at once and returns the results in index
 * order. After the first failure nothing new starts; the failure of the lowest index is thrown
 * once the calls in flight have ended, as a loop would have thrown it. Indexes with the same
 * `keyOf` (writes to one asset) run one after another in index order, so what they leave
 * behind is what a loop would have left.
 */
export async function mapInOrder<T>(count: number, limit: number, work: (index: number) => Promise<T>, keyOf?: (index: number) => string | undefined): Promise<T[]> {
  const results = new Array<T>(count);
  const tails = new Map<string, Promise<unknown>>();
  let next = 0;
  let failed = undefined as { index: number; error: unknown } | undefined;
  const run = (index: number): Promise<T> => {
    const key = keyOf?.(index);
    if (key === undefined) return work(index);
    const before = tails.get(key);
    const mine = (before ? before.then(() => work(index), () => work(index)) : work(index));
    tails.set(key, mine);
    return mine;
  };
  const worker = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        results[index] = await run(index);
      } catch (error) {
        const first = failed as { index: number } | undefined;
        if (!first || index < first.index) failed = { index, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(limit) || 1, count)) }, worker));
  const failure = failed as { index: number; error: unknown } | undefined;
  if (failure) throw failure.error;
  return results;
}
