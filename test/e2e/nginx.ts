// Debian's nginx (scripts/e2e-install.sh installs it) in front of real n8n, configured with the
// README's own SkyHOOK snippet: the fenced nginx block of "Real-time events (SkyHOOK) in n8n",
// taken byte for byte, with only its listen address and n8n's address put in. Runs as a
// foreground child on a free port with its files in a temporary folder; stopped by its pid.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eEnv, freePort, ROOT, waitFor } from './env';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

/** The README's nginx snippet, as a user copies it. */
export function readmeNginxSnippet(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Real-time events (SkyHOOK) in n8n'));
  const block = /```nginx\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no nginx block in "Real-time events (SkyHOOK) in n8n"');
  return block[1];
}

export class Nginx {
  url = '';
  log = '';
  private child?: ChildProcess;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-nginx-'));

  constructor(readonly port: number) {}

  static async port(): Promise<number> {
    return freePort();
  }

  /** Starts nginx on its port with the README snippet pointing at n8n's address (http://127.0.0.1:<port>). */
  async start(upstream: string): Promise<void> {
    const snippet = readmeNginxSnippet();
    const upstreamHost = new URL(upstream).host;
    if (!snippet.includes('listen 80;') || !snippet.includes('127.0.0.1:5678')) throw new Error('the README snippet no longer has "listen 80;" and 127.0.0.1:5678 to fill in');
    const server = snippet.replace('listen 80;', `listen 127.0.0.1:${this.port};`).split('127.0.0.1:5678').join(upstreamHost);
    const temp = (name: string) => path.join(this.dir, name);
    const config = [
      'worker_processes 1;',
      'daemon off;',
      `pid ${temp('nginx.pid')};`,
      `error_log ${temp('error.log')} info;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${temp('access.log')};`,
      `  client_body_temp_path ${temp('body')};`,
      `  proxy_temp_path ${temp('proxy')};`,
      `  fastcgi_temp_path ${temp('fastcgi')};`,
      `  uwsgi_temp_path ${temp('uwsgi')};`,
      `  scgi_temp_path ${temp('scgi')};`,
      server,
      '}',
    ].join('\n');
    fs.writeFileSync(temp('nginx.conf'), config);
    const bin = e2eEnv().NGINX;
    this.child = spawn(bin, ['-c', temp('nginx.conf'), '-p', this.dir, '-e', temp('error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.log += d));
    this.child.stderr!.on('data', (d) => (this.log += d));
    this.url = `http://127.0.0.1:${this.port}`;
    await waitFor('nginx to start', async () => {
      if (this.child?.exitCode !== null) throw new Error(`nginx exited (${this.child?.exitCode}): ${this.log}${this.errorLog()}`);
      return (await fetch(`${this.url}/healthz`).catch(() => undefined))?.status === 200;
    }, 30_000);
  }

  errorLog(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  accessLog(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'access.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    record('nginx log', `${this.log}\n${this.errorLog()}`);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGQUIT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  }
}
