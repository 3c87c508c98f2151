#!/usr/bin/env node
// `npm start`: the simulator plus a Node-RED instance (user directory .demo/node-red,
// git-ignored) with this package linked in, the example flows loaded and the account
// already connected to the simulator in password mode. Ctrl-C stops both.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const { startSimulator, DEMO, SEED_IDS } = require(path.join(root, 'dist/simulator/index.js'));
const port = Number(process.env.NODE_RED_PORT || 1880);
const userDir = path.join(root, '.demo', 'node-red');

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
  // All example flows, sharing one account that points at the simulator.
  const flows = [];
  for (const file of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json')).sort()) {
    for (const node of JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'))) {
      if (node.type === 'mediavalet-config') continue;
      if (node.type === 'mediavalet-watch') node.categoryId = SEED_IDS.categories.marketing;
      if (node.id === 'up-inject') node.payload = path.join(userDir, 'example.png');
      flows.push(node);
    }
  }
  flows.push({ id: 'mediavalet-account', type: 'mediavalet-config', name: 'MediaValet simulator', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', scope: 'openid api offline_access', clientAuth: 'basic', allowInsecure: true, redirectUri: '' });
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
  fs.writeFileSync(
    path.join(userDir, 'flows_cred.json'),
    JSON.stringify({ 'mediavalet-account': { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } }, null, 2),
  );
  // A real image for the upload example.
  const { gradientPng } = require(path.join(root, 'dist/simulator/png.js'));
  fs.writeFileSync(path.join(userDir, 'example.png'), gradientPng(120, 80, [12, 111, 209]));
}

async function main() {
  let sim;
  try {
    sim = await startSimulator({ identityPort: 4010, apiPort: 4011, storagePort: 4012, redirectUris: [`http://127.0.0.1:${port}/mediavalet/oauth/callback`, `http://localhost:${port}/mediavalet/oauth/callback`] });
  } catch (error) {
    console.error(`The simulator could not start (${error.code || error.message}). Is another demo running? Stop it, or free ports 4010-4012.`);
    process.exit(1);
  }
  prepareUserDir(sim);
  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let ready = false;
  const onOutput = (chunk) => {
    const text = chunk.toString();
    if (process.env.DEMO_VERBOSE) process.stdout.write(text);
    if (/EADDRINUSE/.test(text)) {
      console.error(`Port ${port} is taken: stop the other Node-RED, or run NODE_RED_PORT=1881 npm start.`);
      shutdown(1);
    }
    if (!ready && /Started flows/.test(text)) {
      ready = true;
      console.log(`
MediaValet demo is running.

  Node-RED editor     http://127.0.0.1:${port}/      (MediaValet nodes are in the palette under "MediaValet")
  MediaValet (simulated)  identity ${sim.identityUrl}   API ${sim.apiUrl}

Try:
  - Open a "MediaValet: …" tab, press an inject button, and watch the Debug sidebar.
  - "watch + download": upload something (the "upload" tab), and the watcher saves it to
    .demo/node-red/mediavalet-downloads/ within a minute.
  - Open the "MediaValet simulator" account (config node): it signs in with a password;
    switch to "Authorization code" and press Connect to sign in as ${DEMO.users[0].username} / ${DEMO.users[0].password}.

Press Ctrl-C to stop.`);
    }
  };
  red.stdout.on('data', onOutput);
  red.stderr.on('data', onOutput);
  red.on('exit', (code) => {
    if (!stopping) {
      console.error(`Node-RED exited (${code}). Run with DEMO_VERBOSE=1 to see its log.`);
      shutdown(code || 1);
    }
  });
  let stopping = false;
  async function shutdown(code = 0) {
    if (stopping) return;
    stopping = true;
    red.kill('SIGINT');
    await sim.stop();
    process.exit(code);
  }
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
}

main();
