// The demo (`npm start`) as a user runs it: a real process with the simulator and Node-RED,
// its banner's "Try:" steps done through Node-RED's own admin API and debug messages,
// stopped with SIGTERM (ports freed), flows kept across restarts, --reset-flows.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { signInOverHttp } from '../helpers/browserless-login';
import { tempUserDir, wait } from '../helpers/node-red';
import { DEMO } from '../helpers/simulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');
const WebSocket = require(require.resolve('ws', { paths: [path.dirname(require.resolve('node-red'))] }));
const ROOT = path.resolve(__dirname, '../..');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port with the next two free as well (the simulator takes three in a row). */
async function freeRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const all = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (all.every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

class Demo {
  output = '';
  child?: ChildProcess;
  constructor(
    readonly dir: string,
    readonly redPort: number,
    readonly simPort: number,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.redPort}`;
  }

  get ports() {
    return [this.redPort, this.simPort, this.simPort + 1, this.simPort + 2];
  }

  /** Starts `command` (the demo script, or npm start) and waits for the banner. */
  async start(command: string[] = [process.execPath, 'scripts/demo.js'], args: string[] = []) {
    this.output = '';
    const child = spawn(command[0], [...command.slice(1), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_RED_PORT: String(this.redPort), DEMO_SIMULATOR_PORT: String(this.simPort), DEMO_DIR: this.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    for (let i = 0; i < 900 && !/Press Ctrl-C to stop/.test(this.output); i++) {
      if (child.exitCode !== null) throw new Error(`the demo exited: ${this.output}`);
      await wait(100);
    }
    if (!/Press Ctrl-C to stop/.test(this.output)) throw new Error(`no banner: ${this.output}`);
  }

  /** Sends SIGTERM to what was started and waits until every port is free again. */
  async stop(): Promise<number> {
    const started = Date.now();
    this.child?.kill('SIGTERM');
    for (let i = 0; i < 150; i++) {
      const free = await Promise.all(this.ports.map(portFree));
      if (free.every(Boolean)) break;
      await wait(100);
    }
    // The banner shows the simulator's demo login on purpose (its "Try:" step); anything else is scanned.
    record('demo output', this.output.split(`${DEMO.users[0].username} / ${DEMO.users[0].password}`).join('<demo login>'));
    return Date.now() - started;
  }

  async flows(): Promise<any[]> {
    return (await fetch(`${this.url}/flows`)).json();
  }
}

let demo: Demo;
beforeAll(async () => {
  const redPort = await freeRun(1);
  demo = new Demo(tempUserDir(), redPort, await freeRun(3));
});
afterEach(async () => {
  if (demo.child && demo.child.exitCode === null) await demo.stop();
});

it('SIGTERM to `npm start` stops the simulator and Node-RED: every port free, no process left', async () => {
  await demo.start(['npm', 'start', '--'], []);
  const pids = [demo.child!.pid!];
  const elapsed = await demo.stop();
  expect(await Promise.all(demo.ports.map(portFree))).toEqual([true, true, true, true]);
  expect(elapsed).toBeLessThan(10_000);
  // No Node-RED of this demo left behind (its command line names the demo's user directory).
  const left = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(path.join(demo.dir, 'node-red'));
    } catch {
      return false;
    }
  });
  expect({ left, pids }).toEqual({ left: [], pids });
}, 180_000);

it('the banner\'s "Try:" steps work, the flows built in the demo survive a restart, and --reset-flows loads the examples again', async () => {
  await demo.start([process.execPath, 'scripts/demo.js'], ['--reset-flows']);
  // Node-RED's debug messages, as the editor's Debug sidebar receives them.
  const debug: any[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${demo.redPort}/comms`);
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  socket.send(JSON.stringify({ subscribe: 'debug' }));
  socket.on('message', (data: Buffer) => {
    for (const m of [].concat(JSON.parse(String(data)))) if ((m as any).topic === 'debug') debug.push((m as any).data);
  });
  const press = (id: string) => fetch(`${demo.url}/inject/${id}`, { method: 'POST' });
  const debugFrom = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      const found = debug.find((d) => d.id === id);
      if (found) return found;
      await wait(100);
    }
    throw new Error(`no debug message from ${id}; got ${JSON.stringify(debug).slice(0, 500)}`);
  };
  try {
    // "press an inject button, and watch the Debug sidebar": every example tab's first button.
    for (const [inject, out] of [
      ['tok-inject', 'tok-debug'],
      ['srch-inject', 'srch-debug'],
      ['req-inject', 'req-debug'],
      ['upd-inject', 'upd-debug'],
    ]) {
      expect((await press(inject)).status).toBe(200);
      expect((await debugFrom(out)).format).not.toMatch(/error/i);
    }
    expect(debug.filter((d) => /-err$/.test(d.id))).toEqual([]);

    // "upload the sample image, and the watcher saves it to .demo/node-red/mediavalet-downloads/".
    const saved = path.join(demo.dir, 'node-red', 'mediavalet-downloads', 'node-red-example.png');
    await wait(1500); // the watcher's first poll sets its starting point
    await press('up-inject');
    await debugFrom('up-debug');
    await press('wch-now');
    await debugFrom('wch-debug');
    expect(fs.readFileSync(saved).subarray(1, 4).toString()).toBe('PNG');
    expect(demo.output).toContain(path.join('mediavalet-downloads'));

    // "switch to Authorization code and press Connect to sign in": the Connect routes for this port.
    const redirectUri = `${demo.url}/mediavalet/oauth/callback`;
    const started = await fetch(`${demo.url}/mediavalet/oauth/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodeId: 'mediavalet-account', identityUrl: `http://127.0.0.1:${demo.simPort}`, allowInsecure: true, clientId: DEMO.clientId, clientSecret: '__PWRD__', redirectUri }),
    });
    expect(started.status).toBe(200);
    const back = await signInOverHttp((await started.json()).url, DEMO.users[0].username, DEMO.users[0].password, redirectUri);
    const page = await fetch(`${redirectUri}${back.search}`);
    expect(await page.text()).toContain('Connected to MediaValet as Dana Demo');
    // "it signs in with a password (press Test Connection)".
    const tested = await fetch(`${demo.url}/mediavalet/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodeId: 'mediavalet-account', identityUrl: `http://127.0.0.1:${demo.simPort}`, apiUrl: `http://127.0.0.1:${demo.simPort + 1}`, allowInsecure: true, clientId: DEMO.clientId, clientSecret: '__PWRD__', subscriptionKey: '__PWRD__', username: DEMO.users[0].username, password: '__PWRD__' }),
    });
    expect(await tested.json()).toEqual({ user: 'Dana Demo' });
  } finally {
    socket.close();
  }

  // A flow of the user's own, deployed in the demo.
  const flows = await demo.flows();
  const mine = { id: 'my-own-note', type: 'comment', z: flows.find((n) => n.type === 'tab').id, name: 'built in the demo', info: '', x: 200, y: 300, wires: [] };
  const deployed = await fetch(`${demo.url}/flows`, { method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify([...flows, mine]) });
  expect(deployed.status).toBe(204);
  await demo.stop();

  await demo.start();
  expect((await demo.flows()).map((n) => n.id)).toContain('my-own-note');
  await demo.stop();

  await demo.start([process.execPath, 'scripts/demo.js'], ['--reset-flows']);
  const reset = (await demo.flows()).map((n) => n.id);
  expect(reset).not.toContain('my-own-note');
  expect(reset).toEqual(expect.arrayContaining(['tok-inject', 'wch-now', 'up-inject', 'mediavalet-account']));
  await demo.stop();
  expect(await Promise.all(demo.ports.map(portFree))).toEqual([true, true, true, true]);
}, 300_000);
