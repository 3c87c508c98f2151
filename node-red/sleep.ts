// Node's timers as core's Sleep, for Node-RED and every plain-Node caller (demo, tests,
// benchmarks). n8n passes n8n-workflow's instead (nodes/MediaValet/transport/sleep.ts).
import type { Sleep } from '../core';

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
