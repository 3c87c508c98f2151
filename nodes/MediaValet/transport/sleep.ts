// n8n-workflow's timers as core's Sleep: n8n Cloud forbids setTimeout in community nodes
// and asks for these helpers instead. sleepWithAbort is newer than n8n 2.41 (whose
// n8n-workflow has only sleep), so it is used when the running n8n has it.
import * as workflow from 'n8n-workflow';
import type { Sleep } from '../../../core';

type SleepWithAbort = (ms: number, signal?: AbortSignal) => Promise<void>;

export const n8nSleep: Sleep = async (ms, signal) => {
  if (signal?.aborted) throw signal.reason;
  const sleepWithAbort = (workflow as { sleepWithAbort?: SleepWithAbort }).sleepWithAbort;
  if (sleepWithAbort) {
    try {
      await sleepWithAbort(ms, signal);
    } catch (error) {
      // n8n rejects with its own cancellation error; core expects the signal's reason, as from every host.
      throw signal?.aborted ? signal.reason : error;
    }
    return;
  }
  if (!signal) return workflow.sleep(ms);
  // Without sleepWithAbort the timer cannot be cleared, but the wait still ends at the abort.
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void workflow.sleep(ms).then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
};
