#!/usr/bin/env node
// `npm start`: the simulator plus a Node-RED instance (user directory .demo/node-red,
// git-ignored) with this package linked in and the account connected to the simulator in
// password mode. The example flows are loaded on the first start only: later starts keep
// the flows built in the demo; `npm start -- --reset-flows` loads the examples again.
// Stops cleanly on Ctrl-C, SIGTERM (IDEs, Docker, systemd) and when its parent goes away
// (`npm start` stopped with SIGTERM ends npm's shell but not the script under it).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const { startSimulator, DEMO } = require(path.join(root, 'dist/simulator/index.js'));
const port = Number(process.env.NODE_RED_PORT || 1880);
// The simulator's three ports: identity, API, storage.
const simPort = Number(process.env.DEMO_SIMULATOR_PORT || 4010);
const userDir = path.join(process.env.DEMO_DIR ? path.resolve(process.env.DEMO_DIR) : path.join(root, '.demo'), 'node-red');
const resetFlows = process.argv.includes('--reset-flows');
const ACCOUNT_ID = 'mediavalet-account';

function prepareUserDir(sim) {
  fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  // The Node-RED package the build stages (artifacts/node-red), linked: Node-RED loads it like one installed from the palette.
  const pkg = path.join(root, 'artifacts', 'node-red');
  const name = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).name;
  fs.rmSync(path.join(userDir, 'node_modules', 'n8n-nodes-mediavalet'), { recursive: true, force: true });
  const link = path.join(userDir, 'node_modules', name);
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(pkg, link, 'dir');
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'mediavalet-demo', private: true, dependencies: { [name]: '*' } }, null, 2));
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = { uiPort: ${port}, uiHost: '127.0.0.1', flowFile: 'flows.json', credentialSecret: false, editorTheme: { tours: false, projects: { enabled: false } }, telemetry: { enabled: false }, logging: { console: { level: 'info' } } };\n`,
  );
  const flowFile = path.join(userDir, 'flows.json');
  const account = { id: ACCOUNT_ID, type: 'mediavalet-config', name: 'MediaValet simulator', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', scope: 'openid api offline_access', clientAuth: 'basic', allowInsecure: true, redirectUri: '' };
  let flows;
  if (!resetFlows && fs.existsSync(flowFile)) {
    // The user's flows stay as they are; only the demo account follows the simulator's address.
    flows = JSON.parse(fs.readFileSync(flowFile, 'utf8'));
    for (const node of flows) if (node.id === ACCOUNT_ID) Object.assign(node, { identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, allowInsecure: true });
  } else {
    // All example flows as shipped, sharing one account that points at the simulator.
    flows = [];
    for (const file of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json')).sort()) {
      for (const node of JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'))) if (node.type !== 'mediavalet-config') flows.push(node);
    }
    flows.push(account);
    const credentials = path.join(userDir, 'flows_cred.json');
    fs.writeFileSync(
      credentials,
      JSON.stringify({ [ACCOUNT_ID]: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } }, null, 2),
    );
  }
  fs.writeFileSync(flowFile, JSON.stringify(flows, null, 2));
}

async function main() {
  let sim;
  try {
    sim = await startSimulator({
      identityPort: simPort,
      apiPort: simPort + 1,
      storagePort: simPort + 2,
      redirectUris: [`http://127.0.0.1:${port}/mediavalet/oauth/callback`, `http://localhost:${port}/mediavalet/oauth/callback`],
    });
  } catch (error) {
    console.error(`The simulator could not start (${error.code || error.message}). Is another demo running? Stop it, or free ports ${simPort}-${simPort + 2} (or set DEMO_SIMULATOR_PORT).`);
    process.exit(1);
  }
  prepareUserDir(sim);
  // Node-RED's working directory is its user directory: relative paths in flows (the
  // download folder of the watch example) land there, where the banner says.
  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], { cwd: userDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let ready = false;
  let stopping = false;
  const onOutput = (chunk) => {
    const text = chunk.toString();
    if (process.env.DEMO_VERBOSE) process.stdout.write(text);
    if (/EADDRINUSE/.test(text)) {
      console.error(`Port ${port} is taken: stop the other Node-RED, or run NODE_RED_PORT=1881 npm start.`);
      void shutdown(1);
    }
    if (!ready && /Started flows/.test(text)) {
      ready = true;
      console.log(`
MediaValet demo is running.

  Node-RED editor     http://127.0.0.1:${port}/      (MediaValet nodes are in the palette under "MediaValet")
  MediaValet (simulated)  identity ${sim.identityUrl}   API ${sim.apiUrl}
  Flows               ${resetFlows ? 'the examples, loaded again (--reset-flows)' : 'kept between starts; npm start -- --reset-flows loads the examples again'}

Try:
  - Open a "MediaValet: …" tab, press an inject button, and watch the Debug sidebar.
  - "watch + download": upload the sample image (the "upload" tab), and the watcher saves it to
    ${path.join(path.relative(process.cwd(), userDir) || '.', 'mediavalet-downloads')}/ within a minute (or press "check now").
  - Open the "MediaValet simulator" account (config node): it signs in with a password
    (press Test Connection); switch to "Authorization code" and press Connect to sign in as
    ${DEMO.users[0].username} / ${DEMO.users[0].password}.

Press Ctrl-C to stop.`);
    }
  };
  red.stdout.on('data', onOutput);
  red.stderr.on('data', onOutput);
  const redExited = new Promise((resolve) => red.once('exit', resolve));
  red.once('exit', (code) => {
    if (!stopping) {
      console.error(`Node-RED exited (${code}). Run with DEMO_VERBOSE=1 to see its log.`);
      void shutdown(code || 1);
    }
  });

  async function shutdown(code = 0) {
    if (stopping) return;
    stopping = true;
    clearInterval(orphanCheck);
    if (red.exitCode === null && red.signalCode === null) {
      red.kill('SIGINT');
      // Node-RED closes its flows first; one that hangs is not allowed to keep the port.
      const force = setTimeout(() => red.kill('SIGKILL'), 5000);
      await redExited;
      clearTimeout(force);
    }
    await sim.stop();
    process.exit(code);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0));
  // Stopped through `npm start`, the signal may end npm's shell and leave this script orphaned.
  const parent = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent) void shutdown(0);
  }, 500);
}

main();
