// Small statistics and memory sampling helpers for the benchmarks.

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Samples this process's RSS every few milliseconds; `stop()` returns the peak in MiB. */
/** Peak of a memory figure (MiB), sampled every `everyMs` until stop(). */
function peakSampler(read: () => number, everyMs: number): { stop(): number } {
  let peak = read();
  const timer = setInterval(() => {
    peak = Math.max(peak, read());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, read());
      return peak / (1024 * 1024);
    },
  };
}

export function rssSampler(everyMs = 20): { stop(): number } {
  return peakSampler(() => process.memoryUsage.rss(), everyMs);
}

/** The heap, unlike RSS, shrinks after a collection: the figure that shows whether memory stays flat. */
export function heapSampler(everyMs = 20): { stop(): number } {
  return peakSampler(() => process.memoryUsage().heapUsed, everyMs);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
