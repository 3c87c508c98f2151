// How many MediaValet calls one client has in flight, and how fast they start: the one rule
// both hosts follow (n8n's items in flight, Node-RED's messages per account). The limit adapts
// the way TCP's congestion window does: halved when MediaValet throttles (429), grown back by
// one per round of successful calls, and nothing new starts while a Retry-After is running.
// Halving once per round: the eight calls of one burst answered 429 together are one signal,
// not eight. Gateways count calls per second, not calls at once, so a 429 also teaches a rate:
// a little under what MediaValet took in the second before, calls spaced evenly by it, probed
// upwards every two seconds without a refusal.
import type { Sleep } from './retry';

/**
 * Calls in flight when the user chose nothing (n8n's "Items in Flight", Node-RED's account).
 * High enough that a far MediaValet (50 ms answers) is no slower than n8n's HTTP Request node,
 * which sends every item at once (bench H2: 32 in flight ran at 0.54 of it, 128 at 1.0, 256 at
 * 1.2-1.4); a throttling gateway is answered by the halving and the learned rate below.
 */
export const DEFAULT_IN_FLIGHT = 256;

/** The first pause after a 429 without Retry-After: gateways count their rate windows in seconds. */
const NO_RETRY_AFTER_PAUSE_MS = 1000;
/** A learned rate is raised a little after this long without a 429, and dropped once this high. */
const RATE_PROBE_MS = 2000;
const UNPACED_RATE = 2000;
const MAX_SERVED = 4000;

export interface AdaptiveLimitOptions {
  /** The ceiling: the user's choice. 1 runs calls one after another. */
  max?: number;
  /** The host's timer, for waiting out a Retry-After (core has none of its own). */
  sleep: Sleep;
  now?: () => number;
  /** The longest pause after 429s without Retry-After (the client's retry policy; default 16 s). */
  maxPauseMs?: number;
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
  /** Throttled rounds without a success between them: a 429 without Retry-After pauses longer each time. */
  private throttledRounds = 0;
  /** Calls waiting for a place: those throttled before, served first, then the others. */
  private readonly retrying: Array<() => void> = [];
  private readonly waiting: Array<() => void> = [];
  /** Learned calls per second (see paced()), since when, and when the next call may start. */
  private rate: number | undefined;
  private rateSince = 0;
  private nextStartAt = 0;
  /** When the calls answered in the last second started. */
  private readonly served: number[] = [];
  /** Throttled calls not yet started, asleep on the pause or in line: nothing new starts before them. */
  private retriesWaiting = 0;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private readonly maxPauseMs: number;
  /** 429s seen, for hosts that report them (the bench). */
  throttledCount = 0;

  constructor(options: AdaptiveLimitOptions) {
    this.max = Math.max(1, Math.floor(options.max ?? DEFAULT_IN_FLIGHT));
    this.window = this.max;
    this.sleep = options.sleep;
    this.now = options.now ?? Date.now;
    this.maxPauseMs = options.maxPauseMs ?? 16_000;
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
   * own backoff), which it does not wait for twice. `retry`: the call was throttled and goes
   * ahead of new ones once the pause ends.
   */
  async acquire(signal?: AbortSignal, waitedUntil = 0, retry = false): Promise<Slot> {
    // First come, first served, and a call retrying after a 429 ahead of new ones: a retry
    // that keeps losing the race for the next rate window would run out of retries.
    const front = waitedUntil > 0;
    const arriving = true;
    if (!retry) return this.place(signal, waitedUntil, retry, front, arriving);
    this.retriesWaiting++;
    let counted = true;
    try {
      // Uncounted the moment it starts, so calls behind it may start alongside.
      return await this.place(signal, waitedUntil, retry, front, arriving, () => {
        counted = false;
        this.retriesWaiting--;
      });
    } finally {
      if (counted) this.retriesWaiting--;
    }
  }

  private async place(signal: AbortSignal | undefined, waitedUntil: number, retry: boolean, front: boolean, arriving: boolean, started?: () => void): Promise<Slot> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const pause = this.pausedUntil - this.now();
      if (pause > 0 && this.pausedUntil > waitedUntil) {
        if (!this.pauseWatched) {
          // One caller sleeps the pause and wakes the line; once per pause each, so a host's
          // sleep that returns early does not spin here.
          this.pauseWatched = true;
          waitedUntil = this.pausedUntil;
          let slept = false;
          try {
            await this.sleep(pause, signal);
            slept = true;
          } finally {
            this.pauseWatched = false;
            if (!slept) this.wake();
          }
          // Back into the line before it moves, so the throttled calls it wakes go first.
          const turn = this.wait(signal, front || !arriving, retry);
          this.wake();
          await turn;
          arriving = false;
          front = true;
          continue;
        }
        await this.wait(signal, front, retry);
        front = true;
        continue;
      }
      if (this.active < this.limit && this.mayStart(retry, arriving, front)) break;
      await this.wait(signal, front, retry);
      arriving = false;
      front = true;
    }
    started?.();
    this.active++;
    const round = this.round;
    let startedAt: number;
    try {
      startedAt = await this.paced(signal);
    } catch (error) {
      this.active--;
      this.wake();
      throw error;
    }
    let released = false;
    return {
      release: (outcome = {}) => {
        if (released) return;
        released = true;
        this.active--;
        this.settle(round, startedAt, outcome.status, outcome.retryAfterSeconds);
        this.wake();
      },
    };
  }

  /** Calls per second MediaValet has been found to take, once it has throttled (undefined before). */
  get ratePerSecond(): number | undefined {
    return this.rate;
  }

  /**
   * Spaces calls evenly at the learned rate: a gateway counting calls per second refuses a
   * burst however few run at once, and each refusal costs everyone its Retry-After. Returns
   * when the call may go.
   */
  private async paced(signal: AbortSignal | undefined): Promise<number> {
    const now = this.now();
    if (this.rate === undefined) return now;
    // Probe upwards a little every two seconds without a 429: the limit may have risen.
    if (now - this.rateSince >= RATE_PROBE_MS) {
      this.rate += Math.max(1, this.rate * 0.02);
      this.rateSince = now;
      if (this.rate >= UNPACED_RATE) {
        this.rate = undefined;
        return now;
      }
    }
    const at = Math.max(now, this.nextStartAt);
    this.nextStartAt = at + 1000 / this.rate;
    if (at > now) await this.sleep(at - now, signal);
    return at;
  }

  private settle(round: number, startedAt: number, status: number | undefined, retryAfterSeconds: number | undefined): void {
    const now = this.now();
    if (status === 429) {
      this.throttledCount++;
      // Calls started before the last halving were sent at the old limit: their 429s say nothing new.
      const newRound = round === this.round;
      if (newRound) {
        this.window = Math.max(1, Math.floor(this.window / 2));
        this.round++;
        this.throttledRounds++;
        // The calls MediaValet took in the second before it refused: a little under that from
        // now on. A refusal with (almost) none taken says nothing about a rate: the halved
        // window and the pause answer it.
        while (this.served.length && this.served[0] < now - 1000) this.served.shift();
        if (this.served.length >= 2) this.rate = this.served.length * 0.9;
        else if (this.rate !== undefined) this.rate = Math.max(1, this.rate / 2);
        this.rateSince = now;
        this.nextStartAt = 0;
      }
      // Without Retry-After, a second, doubled for each throttled round in a row (a gateway that
      // keeps refusing is not asked again at the same pace), with a tenth of jitter so processes
      // sharing a key do not return together. The calls of one round share one pause.
      if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterSeconds * 1000);
      else if (newRound) {
        const pause = Math.min(this.maxPauseMs, NO_RETRY_AFTER_PAUSE_MS * 2 ** Math.min(this.throttledRounds - 1, 16));
        this.pausedUntil = Math.max(this.pausedUntil, now + Math.round(pause * (0.9 + 0.1 * Math.random())));
      }
      return;
    }
    if (status !== undefined && status < 400) {
      this.throttledRounds = 0;
      this.served.push(startedAt);
      while (this.served[0] < now - 1000 || this.served.length > MAX_SERVED) this.served.shift();
    }
    // One more call in flight per round of successes, up to the user's ceiling.
    if (status !== undefined && status < 400 && this.window < this.max) this.window = Math.min(this.max, this.window + 1 / this.limit);
  }

  /** Whether a caller with room may start now, or someone ahead of it in line goes first. */
  private mayStart(retry: boolean, arriving: boolean, front: boolean): boolean {
    if (!retry && this.retriesWaiting > 0) return false;
    return !arriving || front || (retry ? this.retrying : this.waiting).length === 0;
  }

  private wait(signal: AbortSignal | undefined, front: boolean, retry = false): Promise<void> {
    const line = retry ? this.retrying : this.waiting;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = line.indexOf(done);
        if (at >= 0) line.splice(at, 1);
        reject(signal?.reason);
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (front) line.unshift(done);
      else line.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wake(): void {
    // Woken callers check again: the limit may have shrunk or a pause begun meanwhile.
    for (let free = this.limit - this.active; free > 0 && (this.retrying.length || this.waiting.length); free--) (this.retrying.shift() ?? this.waiting.shift())!();
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
