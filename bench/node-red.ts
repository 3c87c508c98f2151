// An embedded Node-RED runtime (the real one, from node-red's package) with the staged
// Node-RED package (artifacts/node-red, what `npm run build` stages and users install)
// linked into a throwaway user directory, for P4's Node-RED memory and P5's throughput.
// Every wait has a deadline: a runtime or a flow that does not start fails the bench with
// what is missing instead of waiting for a sink node forever.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE_DIR = path.join(ROOT, 'artifacts', 'node-red');

export interface EmbeddedRed {
  receive(nodeId: string, msg: Record<string, unknown>): void;
  /**
   * Resolves after `count` more units reached the sink node (a message counts its
   * msg.count records when it has one, else 1); rejects after `timeoutMs`.
   */
  waitForSink(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function stagedPackage(): { name: string; nodes: string[] } {
  const manifest = path.join(PACKAGE_DIR, 'package.json');
  if (!fs.existsSync(manifest)) throw new Error(`The bench loads the staged Node-RED package from ${PACKAGE_DIR}, which is missing: run \`npm run build\` first.`);
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const nodes = Object.keys(pkg['node-red']?.nodes ?? {});
  if (!nodes.length) throw new Error(`${manifest} declares no Node-RED nodes (no "node-red" section): rebuild with \`npm run build\`.`);
  return { name: pkg.name, nodes };
}

export async function startNodeRed(flows: Array<{ id: string; type: string; [key: string]: unknown }>, credentials: Record<string, unknown>, startTimeoutMs = 30_000): Promise<EmbeddedRed> {
  const pkg = stagedPackage();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-bench-nr-'));
  fs.mkdirSync(path.join(userDir, 'node_modules'));
  fs.symlinkSync(PACKAGE_DIR, path.join(userDir, 'node_modules', pkg.name), 'dir');
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'bench', private: true, dependencies: { [pkg.name]: '*' } }));
  // Credentials go in through the flow file's companion, unencrypted (credentialSecret: false).
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  let sunk = 0;
  const waiters: Array<{ target: number; resolve: () => void }> = [];
  const sink = (units = 1) => {
    sunk += units;
    for (const w of [...waiters]) if (sunk >= w.target) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require(require.resolve('node-red', { paths: [ROOT] }));
  const server = http.createServer();
  const errors: string[] = [];
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    logging: {
      console: { level: 'error' },
      bench: { level: 'warn', handler: () => (entry: { msg?: unknown }) => errors.push(String(entry?.msg ?? '')) },
    },
    functionGlobalContext: { sink },
    editorTheme: { tours: false },
  });
  const stop = async () => {
    await RED.stop().catch(() => undefined);
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  const ids = flows.filter((n) => n.type !== 'tab').map((n) => n.id);
  const started = async () => {
    await RED.start();
    while (!ids.every((id) => RED.nodes.getNode(id))) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  try {
    await withDeadline(started(), startTimeoutMs, () => {
      const missingTypes = [...new Set(flows.map((n) => n.type).filter((t) => t !== 'tab' && !RED.nodes.getType(t)))];
      const notStarted = ids.filter((id) => !RED.nodes.getNode(id));
      return (
        `The embedded Node-RED did not start the bench flow within ${startTimeoutMs / 1000} s` +
        (missingTypes.length ? `: node types not installed: ${missingTypes.join(', ')} (package ${pkg.name} from ${PACKAGE_DIR}, nodes ${pkg.nodes.join(', ')})` : '') +
        (notStarted.length ? `; nodes not running: ${notStarted.join(', ')}` : '') +
        (errors.length ? `; Node-RED said: ${errors.slice(-5).join(' | ').slice(0, 600)}` : '')
      );
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    receive(nodeId, msg) {
      RED.nodes.getNode(nodeId).receive(msg);
    },
    waitForSink(count, timeoutMs = 120_000) {
      const target = sunk + count;
      if (sunk >= target) return Promise.resolve();
      const before = sunk;
      const arrived = new Promise<void>((resolve) => waiters.push({ target, resolve }));
      return withDeadline(arrived, timeoutMs, () => `Node-RED delivered ${sunk - before} of ${count} records to the bench's sink within ${timeoutMs / 1000} s` + (errors.length ? `; Node-RED said: ${errors.slice(-5).join(' | ').slice(0, 600)}` : ''));
    },
    stop,
  };
}
