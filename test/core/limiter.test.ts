// Calls in flight: the adaptive limit (halve on 429, grow back, Retry-After) on its own with a
// clock the test moves, then the client under the simulator's real rate limit and latency.
import { AdaptiveLimit, assetPatch, mapInOrder } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { Sim } from '../helpers/simulator';

function clock() {
  const state = { now: 0, slept: [] as number[] };
  const sleep = async (ms: number) => {
    state.slept.push(ms);
    state.now += ms;
  };
  return { state, sleep, now: () => state.now };
}

describe('AdaptiveLimit', () => {
  it('halves once per round of 429s, down to one, and grows back by one per round of successes', async () => {
    const { sleep, now } = clock();
    const limit = new AdaptiveLimit({ max: 8, sleep, now });
    expect(limit.limit).toBe(8);
    // Eight calls of one burst all throttled: one signal, one halving.
    const burst = await Promise.all(Array.from({ length: 8 }, () => limit.acquire()));
    for (const slot of burst) slot.release({ status: 429 });
    expect(limit.limit).toBe(4);
    for (const expected of [2, 1, 1]) {
      (await limit.acquire()).release({ status: 429 });
      expect(limit.limit).toBe(expected);
    }
    // Growth: a limit of n needs n successes to become n + 1.
    let calls = 0;
    while (limit.limit < 8) {
      (await limit.acquire()).release({ status: 200 });
      calls++;
    }
    expect(calls).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7);
    (await limit.acquire()).release({ status: 200 });
    expect(limit.limit).toBe(8);
    expect(limit.throttledCount).toBe(11);
  });

  it('never has more in flight than the limit, and a released place goes to the next in line', async () => {
    const { sleep, now } = clock();
    const limit = new AdaptiveLimit({ max: 3, sleep, now });
    let inFlight = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const slot = await limit.acquire();
        inFlight++;
        peak = Math.max(peak, inFlight);
        order.push(i);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        slot.release({ status: 200 });
      }),
    );
    expect(peak).toBe(3);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('honours Retry-After: nothing starts until it has passed', async () => {
    const { state, sleep, now } = clock();
    const limit = new AdaptiveLimit({ max: 4, sleep, now });
    (await limit.acquire()).release({ status: 429, retryAfterSeconds: 3 });
    const started = state.now;
    await limit.acquire();
    expect(state.now - started).toBeGreaterThanOrEqual(3000);
    expect(state.slept).toEqual([3000]);
  });

  it('a throttled call goes ahead of calls never sent once the pause ends, and the pause grows while 429s go on', async () => {
    const { state, sleep, now } = clock();
    const limit = new AdaptiveLimit({ max: 1, sleep, now });
    const first = await limit.acquire();
    // Three new calls line up while the first is at the API.
    const order: string[] = [];
    const fresh = Array.from({ length: 3 }, (_, i) => limit.acquire().then((slot) => (order.push(`new ${i}`), slot.release({ status: 200 }))));
    first.release({ status: 429 });
    const retried = limit.acquire(undefined, 0, true).then((slot) => (order.push('retry'), slot));
    (await retried).release({ status: 429 });
    (await limit.acquire(undefined, 0, true)).release({ status: 200 });
    order.push('retry done');
    await Promise.all(fresh);
    expect(order).toEqual(['retry', 'retry done', 'new 0', 'new 1', 'new 2']);
    // Without Retry-After: a second, then two for the second throttled round in a row (less a tenth of jitter at most).
    expect(state.slept).toHaveLength(2);
    expect(state.slept[0]).toBeGreaterThanOrEqual(900);
    expect(state.slept[0]).toBeLessThanOrEqual(1000);
    expect(state.slept[1]).toBeGreaterThanOrEqual(1800);
    expect(state.slept[1]).toBeLessThanOrEqual(2000);
  });

  it('after a 429, spaces calls at a little under the rate MediaValet took in the second before', async () => {
    const { state, sleep, now } = clock();
    const limit = new AdaptiveLimit({ max: 8, sleep, now });
    expect(limit.ratePerSecond).toBeUndefined();
    // Ten calls answered in one second, then a refusal.
    for (let i = 0; i < 10; i++) {
      (await limit.acquire()).release({ status: 200 });
      state.now += 100;
    }
    (await limit.acquire()).release({ status: 429, retryAfterSeconds: 1 });
    expect(limit.ratePerSecond).toBeCloseTo(9);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const slot = await limit.acquire();
      starts.push(state.now);
      slot.release({ status: 200 });
    }
    // The Retry-After first, then one call every 1/9 s.
    expect(state.slept[0]).toBe(1000);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    for (const gap of gaps) expect(gap).toBeCloseTo(1000 / 9, 0);
  });

  it('a caller waiting for a place gives up when its signal aborts', async () => {
    const { sleep, now } = clock();
    const limit = new AdaptiveLimit({ max: 1, sleep, now });
    const held = await limit.acquire();
    const abort = new AbortController();
    const waiting = limit.acquire(abort.signal);
    abort.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    held.release();
    expect(limit.inFlight).toBe(0);
  });
});

describe('mapInOrder', () => {
  it('runs indexes with one key one after another in index order, the others side by side', async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    await mapInOrder(12, 6, async (i) => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 12 - i));
      log.push(`end ${i}`);
      running--;
    }, (i) => (i % 3 === 0 ? 'same' : undefined));
    // 0, 3, 6, 9 share a key: each starts only after the one before it ended.
    for (const [a, b] of [[0, 3], [3, 6], [6, 9]]) expect(log.indexOf(`start ${b}`)).toBeGreaterThan(log.indexOf(`end ${a}`));
    expect(most).toBeGreaterThan(1);
  });

  it('results in index order whatever order the work ends in, at most `limit` at once', async () => {
    let active = 0;
    let peak = 0;
    const results = await mapInOrder(30, 5, async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, (30 - i) % 7));
      active--;
      return i * 2;
    });
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(peak).toBe(5);
  });

  it('after a failure starts nothing new and throws the lowest failing index, as a loop would', async () => {
    const started: number[] = [];
    const error = await mapInOrder(50, 4, async (i) => {
      started.push(i);
      await new Promise((resolve) => setTimeout(resolve, i === 3 ? 1 : 10));
      if (i === 3 || i === 5) throw new Error(`item ${i}`);
      return i;
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe('item 3');
    expect(Math.max(...started)).toBeLessThan(10);
  });

  it('a limit of 1 runs one after another', async () => {
    const log: string[] = [];
    await mapInOrder(3, 1, async (i) => {
      log.push(`start ${i}`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`end ${i}`);
    });
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });
});

describe('the client under the simulator rate limit', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await Sim.start();
  });
  afterAll(() => sim?.stop());
  beforeEach(async () => {
    await sim.settings({ latencyMs: 0, rateLimitPerSecond: 0, rateLimitRetryAfter: true });
    await sim.resetCounters();
  });

  it.each([true, false])('60 writes at once under 10 calls/s (Retry-After %s): each applied exactly once, in flight within the limit', async (retryAfter) => {
    const { client } = sim.connect({}, { client: { inFlight: 8, retry: { maxRetries: 12, baseDelayMs: 100, maxDelayMs: 1500 } } });
    await client.request({ method: 'GET', path: '/users/current' }); // signed in before the clock starts
    await sim.settings({ rateLimitPerSecond: 10, rateLimitRetryAfter: retryAfter, latencyMs: 20 });
    await sim.resetCounters();
    const titles = Array.from({ length: 60 }, (_, i) => `title ${i}`);
    const results = await Promise.all(titles.map((title) => client.request({ method: 'PATCH', path: `/assets/${SEED_IDS.firstAsset}`, body: assetPatch({ title }) })));
    expect(results.every((r) => r.status < 300)).toBe(true);
    const state = await sim.state();
    expect(state.throttle.throttled).toBeGreaterThan(0);
    expect(client.limit.throttledCount).toBe(state.throttle.throttled);
    // A 429 is not applied: every write reached the API exactly once.
    expect(state.api.byRoute['PATCH /assets/:id']).toBe(60);
    // Polite: far fewer 429s than writes (each throttled round halves the limit and pauses everyone).
    expect(state.throttle.throttled).toBeLessThan(60);
    expect(state.throttle.maxInFlight).toBeLessThanOrEqual(8);
    // The gateway counts calls per second: the limit learned a rate about it and spaces calls by it
    // (a little under it after each 429, probing a little over it every two seconds without one).
    expect(client.limit.ratePerSecond).toBeGreaterThan(5);
    expect(client.limit.ratePerSecond).toBeLessThan(12);
  });

  it('every answer late by latencyMs: with eight allowed, eight calls wait at the API at once', async () => {
    const { client } = sim.connect({}, { client: { inFlight: 8 } });
    await client.request({ method: 'GET', path: '/users/current' });
    await sim.settings({ latencyMs: 100 });
    await sim.resetCounters();
    await Promise.all(Array.from({ length: 16 }, () => client.request({ method: 'GET', path: `/assets/${SEED_IDS.firstAsset}` })));
    const state = await sim.state();
    expect(state.api.requests).toBe(16);
    expect(state.throttle.maxInFlight).toBe(8);
  });
});
