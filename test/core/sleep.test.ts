// core has no timer: each host passes its Sleep. Node's (Node-RED, tests, tools) and n8n's
// (n8n-workflow's sleepWithAbort where the running n8n has it; n8n 2.41's n8n-workflow has
// only sleep) must wait, and end early with the signal's reason, the same way.
import type { Sleep } from '../../core';
import { sleep as nodeSleep } from '../../node-red/sleep';

/** n8nSleep loaded against an n8n-workflow without sleepWithAbort, as inside n8n 2.41. */
function n8nSleepWithoutAbortHelper(): Sleep {
  let loaded: Sleep | undefined;
  jest.isolateModules(() => {
    const actual = jest.requireActual('n8n-workflow');
    jest.doMock('n8n-workflow', () => ({ ...actual, sleepWithAbort: undefined }));
    loaded = require('../../nodes/MediaValet/transport/sleep').n8nSleep;
  });
  jest.dontMock('n8n-workflow');
  return loaded!;
}

const hosts: Array<[string, () => Sleep]> = [
  ['Node (node-red/sleep)', () => nodeSleep],
  ["n8n with sleepWithAbort (n8n-workflow 2.11)", () => require('../../nodes/MediaValet/transport/sleep').n8nSleep],
  ['n8n with only sleep (n8n 2.41)', n8nSleepWithoutAbortHelper],
];

describe.each(hosts)('%s', (_name, load) => {
  it('waits the time asked', async () => {
    const sleep = load();
    const started = Date.now();
    await sleep(120);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('ends at the abort with the signal\'s reason', async () => {
    const abort = new AbortController();
    const reason = new Error('stopped by the test');
    const sleep = load();
    const started = Date.now();
    const waiting = sleep(10_000, abort.signal);
    setTimeout(() => abort.abort(reason), 50);
    await expect(waiting).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not wait when already aborted', async () => {
    const abort = new AbortController();
    abort.abort(new Error('already stopped'));
    await expect(load()(10_000, abort.signal)).rejects.toThrow('already stopped');
  });
});
