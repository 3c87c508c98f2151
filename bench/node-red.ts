// An embedded Node-RED runtime (the real one, from node-red's package) with this package
// linked into a throwaway user directory, for P4's Node-RED memory and P5's throughput.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface EmbeddedRed {
  receive(nodeId: string, msg: Record<string, unknown>): void;
  /** Resolves after `count` more messages reached the sink node. */
  waitForSink(count: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startNodeRed(flows: unknown[], credentials: Record<string, unknown>): Promise<EmbeddedRed> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-bench-nr-'));
  fs.mkdirSync(path.join(userDir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(userDir, 'node_modules', 'n8n-nodes-mediavalet'), 'dir');
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'bench', private: true, dependencies: { 'n8n-nodes-mediavalet': '*' } }));
  // Credentials go in through the flow file's companion, unencrypted (credentialSecret: false).
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  let sunk = 0;
  const waiters: Array<{ target: number; resolve: () => void }> = [];
  (globalThis as Record<string, unknown>).__mvBenchSink = () => {
    sunk++;
    for (const w of [...waiters]) if (sunk >= w.target) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require(require.resolve('node-red', { paths: [ROOT] }));
  const server = http.createServer();
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    logging: { console: { level: 'error' } },
    functionGlobalContext: { sink: (globalThis as Record<string, unknown>).__mvBenchSink },
    editorTheme: { tours: false },
  });
  await RED.start();
  await new Promise<void>((resolve) => {
    const check = () => (RED.nodes.getNode('sink') ? resolve() : setTimeout(check, 50));
    check();
  });
  return {
    receive(nodeId, msg) {
      RED.nodes.getNode(nodeId).receive(msg);
    },
    waitForSink(count) {
      const target = sunk + count;
      return sunk >= target ? Promise.resolve() : new Promise((resolve) => waiters.push({ target, resolve }));
    },
    async stop() {
      await RED.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
