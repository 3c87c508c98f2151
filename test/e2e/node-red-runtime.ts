// A real Node-RED started from its CLI with a fresh user directory and admin authentication
// on, the packed Node-RED package installed through the palette manager's upload (the admin
// API's POST /nodes with the tarball), and flows deployed through the admin API.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, waitFor } from './env';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

export const ADMIN = { username: 'admin', password: 'e2e-admin-password' };

export class NodeRedProcess {
  log = '';
  private child?: ChildProcess;
  readonly url: string;

  constructor(
    readonly node: string,
    readonly redJs: string,
    readonly userDir: string,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /**
   * A fresh user directory (settings with uploads to the palette manager allowed). `extra` is
   * more of settings.js (e.g. `httpNodeCors: {...}`); `nodesDir` loads nodes from a folder
   * instead of the palette (npm test runs dist/node-red that way, without packing).
   */
  static prepare(options: { extra?: string; nodesDir?: string } = {}): string {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-nr-e2e-'));
    fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bcrypt = require(require.resolve('bcryptjs', { paths: [path.dirname(require.resolve('node-red/package.json', { paths: [ROOT] }))] }));
    const hash = bcrypt.hashSync(ADMIN.password, 8);
    fs.writeFileSync(
      path.join(userDir, 'settings.js'),
      `module.exports = {
  flowFile: 'flows.json',
  credentialSecret: 'e2e-credential-secret',
  adminAuth: { type: 'credentials', users: [{ username: '${ADMIN.username}', password: '${hash}', permissions: '*' }] },
  // Uploads allowed, as the palette manager's Install > Upload needs; no catalogue, so the editor asks nothing of the internet.
  externalModules: { palette: { allowInstall: true, allowUpload: true } },
  editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } },
  telemetry: { enabled: false },
  logging: { console: { level: 'info' } },${options.nodesDir ? `\n  nodesDir: ${JSON.stringify(options.nodesDir)},` : ''}${options.extra ? `\n  ${options.extra},` : ''}
};\n`,
    );
    return userDir;
  }

  async start(): Promise<void> {
    this.child = spawn(this.node, [this.redJs, '--userDir', this.userDir, '--settings', path.join(this.userDir, 'settings.js'), '--port', String(this.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The palette manager installs with the npm beside the runtime's node, when there is one.
      env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false', PATH: `${path.dirname(this.node)}:${process.env.PATH}` },
    });
    this.child.stdout!.on('data', (d) => (this.log += d));
    this.child.stderr!.on('data', (d) => (this.log += d));
    await waitFor(`Node-RED on port ${this.port}`, async () => /Started flows|Server now running/.test(this.log) && (await fetch(`${this.url}/settings`)).status === 401, 90_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    record('node-red log', this.log);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  }

  /**
   * Installs a module tarball as the palette manager's Install > Upload does: POST /nodes,
   * multipart field "tarball". Node-RED runs npm install in the user directory and loads the
   * nodes at once; they are in the user directory's package.json for every restart.
   */
  async installFromPalette(tarball: string): Promise<{ name: string; version: string; nodes: Array<{ id: string; types: string[]; enabled: boolean; err?: string }> }> {
    const form = new FormData();
    form.append('tarball', new Blob([fs.readFileSync(tarball)], { type: 'application/gzip' }), path.basename(tarball));
    const response = await fetch(`${this.url}/nodes`, { method: 'POST', headers: { authorization: `Bearer ${await this.adminToken()}` }, body: form });
    const text = await response.text();
    if (!response.ok) throw new Error(`palette upload of ${path.basename(tarball)} failed: ${response.status} ${text}\n${this.log.slice(-2000)}`);
    return JSON.parse(text);
  }

  async adminToken(): Promise<string> {
    const response = await fetch(`${this.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: ADMIN.username, password: ADMIN.password }),
    });
    if (!response.ok) throw new Error(`admin login failed: ${response.status}`);
    return (await response.json()).access_token;
  }

  async deploy(flows: unknown[]): Promise<void> {
    const token = await this.adminToken();
    const response = await fetch(`${this.url}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
      body: JSON.stringify(flows),
    });
    if (!response.ok) throw new Error(`deploy failed: ${response.status} ${await response.text()}`);
  }
}
