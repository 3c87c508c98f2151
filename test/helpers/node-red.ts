// Runs our Node-RED nodes in the real Node-RED runtime (node-red-node-test-helper) with a
// throwaway user directory, and collects what flows out of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

// Every status, log line (the runtime's log carries each node's log, warn and error) and
// message of every node goes to the secret-leak scan, except what leaves a mediavalet-token
// node: handing out the token is its job (only with "emit token" on outside msg.headers).
const { record } = require('../leak/record');
const fromRed = (module: string) => require(require.resolve(module, { paths: [path.dirname(require.resolve('node-red'))] }));
const NodeClass = fromRed('@node-red/runtime/lib/nodes/Node.js');
// The helper turns console logging off, so the runtime's log is read where it is written.
const runtimeLog = fromRed('@node-red/util').log;
const writeLog = runtimeLog.log;
runtimeLog.log = function (this: unknown, entry: { msg?: unknown }) {
  record('node-red runtime log', entry?.msg);
  return writeLog.call(this, entry);
};
const tokenMessages = new Set<string>();
const status = NodeClass.prototype.status;
NodeClass.prototype.status = function (this: unknown, value: unknown) {
  record('node-red status', value);
  return status.call(this, value);
};
const send = NodeClass.prototype.send;
NodeClass.prototype.send = function (this: { type: string }, msg: any) {
  const all = (Array.isArray(msg) ? msg.flat() : [msg]).filter(Boolean);
  for (const m of all) {
    if (this.type === 'mediavalet-token') tokenMessages.add(m._msgid);
    else if (!tokenMessages.has(m._msgid)) record('node-red output', m);
  }
  return send.call(this, msg);
};

const dist = path.resolve(__dirname, '../../dist/node-red');
export const nodes = ['mediavalet-config', 'mediavalet-token', 'mediavalet-request', 'mediavalet-asset', 'mediavalet-upload', 'mediavalet-watch', 'mediavalet-events'].map((n) => require(path.join(dist, `${n}.js`)));
// Core nodes used beside ours in flows.
export const catchNode = require(require.resolve('@node-red/nodes/core/common/25-catch.js'));
export const httpRequestNode = require(require.resolve('@node-red/nodes/core/network/21-httprequest.js'));

export function tempUserDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mv-nr-'));
}

/**
 * Collects messages arriving at a helper node; `next(n)` waits for n more than have
 * arrived so far, so call it right after sending, with nothing awaited in between.
 */
export function collector(node: any) {
  const messages: any[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  node.on('input', (msg: any) => {
    messages.push(msg);
    for (const w of [...waiting]) if (messages.length >= w.count) (waiting.splice(waiting.indexOf(w), 1), w.resolve());
  });
  return {
    messages,
    async next(count = 1, timeoutMs = 10_000): Promise<any[]> {
      const target = messages.length + count;
      if (messages.length < target) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`expected ${target} message(s), got ${messages.length}`)), timeoutMs);
          waiting.push({ count: target, resolve: () => (clearTimeout(timer), resolve()) });
        });
      }
      return messages.slice(target - count, target);
    },
  };
}

export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
