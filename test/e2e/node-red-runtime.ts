// A real Node-RED started from its CLI, with the packed package installed into a fresh
// user directory, admin authentication on, and flows deployed through the admin API.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
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

  /** A fresh user directory with the tarball installed the way the palette manager does it. */
  static prepare(tarball: string, npmNode: string): string {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-nr-e2e-'));
    fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
    const npm = path.join(path.dirname(npmNode), process.platform === 'win32' ? 'npm.cmd' : 'npm');
    const env = { ...process.env, PATH: `${path.dirname(npmNode)}:${process.env.PATH}` };
    execFileSync(fs.existsSync(npm) ? npm : 'npm', ['install', '--no-audit', '--no-fund', '--omit=dev', tarball], { cwd: userDir, env, stdio: 'pipe' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bcrypt = require(require.resolve('bcryptjs', { paths: [path.dirname(require.resolve('node-red/package.json', { paths: [ROOT] }))] }));
    const hash = bcrypt.hashSync(ADMIN.password, 8);
    fs.writeFileSync(
      path.join(userDir, 'settings.js'),
      `module.exports = {
  flowFile: 'flows.json',
  credentialSecret: 'e2e-credential-secret',
  adminAuth: { type: 'credentials', users: [{ username: '${ADMIN.username}', password: '${hash}', permissions: '*' }] },
  editorTheme: { tours: false, projects: { enabled: false }, palette: { editable: false } },
  telemetry: { enabled: false },
  logging: { console: { level: 'info' } }
};\n`,
    );
    return userDir;
  }

  async start(): Promise<void> {
    this.child = spawn(this.node, [this.redJs, '--userDir', this.userDir, '--settings', path.join(this.userDir, 'settings.js'), '--port', String(this.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false' },
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
