// Real n8n for the host benchmarks (bench/hosts.ts): the n8n 2.41.1 that scripts/e2e-install.sh
// installs, started from its CLI with the packed package (`npm run pack`) installed as a
// community package, as test/e2e/n8n-runtime.ts does for the end-to-end tests, an owner signed
// in over REST, and workflows called through their webhooks. Every wait has a deadline, so a
// host that does not start fails the bench with what it said instead of hanging it.
import { type ChildProcess, execFileSync, execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** What n8n is started with, here and in the e2e (test/e2e/n8n-runtime.ts): a quiet instance on 127.0.0.1 in `home`. */
export function n8nSettings(home: string, port: number, brokerPort: number, node24: string): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  return {
    HOME: home,
    // jest sets NODE_ENV=test, which switches n8n into its own unit-test mode.
    NODE_ENV: 'production',
    PATH: `${path.dirname(node24)}:${process.env.PATH}`,
    N8N_USER_FOLDER: home,
    N8N_PORT: String(port),
    N8N_HOST: '127.0.0.1',
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_EDITOR_BASE_URL: url,
    WEBHOOK_URL: `${url}/`,
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_LOG_LEVEL: 'info',
  };
}

/** The Password API credential's fields for a simulator (the host bench and the e2e). */
export function passwordCredentialFields(sim: { identityUrl: string; apiUrl: string }, demo: { users: Array<{ username: string; password: string }>; clientId: string; clientSecret: string; subscriptionKey: string }) {
  return {
    username: demo.users[0].username,
    password: demo.users[0].password,
    clientId: demo.clientId,
    clientSecret: demo.clientSecret,
    subscriptionKey: demo.subscriptionKey,
    identityUrl: sim.identityUrl,
    apiUrl: sim.apiUrl,
    apiVersion: '1.2',
    clientAuth: 'basic',
    allowInsecure: true,
  };
}

/** The hosts scripts/e2e-install.sh installed (first use installs them; later runs take seconds). */
function installedHosts(): Record<string, string> {
  let out: string;
  try {
    out = execFileSync('bash', [path.join(ROOT, 'scripts/e2e-install.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000 });
  } catch (error) {
    throw new Error(`The host bench needs real n8n from scripts/e2e-install.sh, which failed: ${String((error as { stderr?: string }).stderr ?? error).slice(-800)}`);
  }
  return Object.fromEntries(out.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
}

/** `npm run pack`: the tarball users install. */
function packedN8nTarball(): string {
  execSync('npm run pack --silent', { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5 * 60_000 });
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'artifacts', 'packed.json'), 'utf8')) as { n8n: string }).n8n;
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>, detail: () => string = () => ''): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal) throw error;
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`Timed out after ${deadlineMs / 1000} s waiting for ${what}${last ? ` (${(last as Error).message})` : ''}${detail()}`);
}

export class N8nHost {
  url = '';
  log = '';
  private cookie = '';
  private child?: ChildProcess;
  private readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-bench-n8n-'));

  static async start(startTimeoutMs: number): Promise<N8nHost> {
    const host = new N8nHost();
    try {
      await host.launch(startTimeoutMs);
      return host;
    } catch (error) {
      await host.stop();
      throw error;
    }
  }

  private async launch(startTimeoutMs: number): Promise<void> {
    const hosts = installedHosts();
    const tarball = packedN8nTarball();
    const nodesDir = path.join(this.home, '.n8n', 'nodes');
    fs.mkdirSync(nodesDir, { recursive: true });
    fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
    const bin = path.dirname(hosts.NODE24);
    const npm = fs.existsSync(path.join(bin, 'npm')) ? path.join(bin, 'npm') : 'npm';
    execFileSync(npm, ['install', '--no-audit', '--no-fund', tarball], { cwd: nodesDir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: 'pipe', timeout: 3 * 60_000 });
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(hosts.NODE24, [hosts.N8N_BIN, 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: this.home,
      env: { ...process.env, ...n8nSettings(this.home, port, await freePort(), hosts.NODE24), N8N_ENCRYPTION_KEY: 'bench-encryption-key-0123456789' },
    });
    let ready = false;
    const keep = (d: Buffer) => {
      this.log = (this.log + d).slice(-20_000);
      ready ||= /Editor is now accessible/.test(this.log);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    await until(
      'n8n to start',
      startTimeoutMs,
      async () => {
        if (this.child?.exitCode !== null) throw Object.assign(new Error(`n8n exited with ${this.child?.exitCode}: ${this.log.slice(-1500)}`), { fatal: true });
        return (ready && (await fetch(`${this.url}/rest/settings`, { signal: AbortSignal.timeout(5000) })).ok) || undefined;
      },
      () => `; n8n said: ${this.log.slice(-1500)}`,
    );
    await this.rest('POST', '/owner/setup', { email: 'owner@example.com', firstName: 'Bench', lastName: 'Owner', password: 'Bench-Owner-Passw0rd' });
    await this.rest('POST', '/login', { emailOrLdapLoginId: 'owner@example.com', password: 'Bench-Owner-Passw0rd' });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => (clearTimeout(kill), resolve()));
        child.kill('SIGTERM');
      });
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }

  /** Stops n8n at once (the bench process is being killed). */
  killNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    fs.rmSync(this.home, { recursive: true, force: true });
  }

  async rest<T = any>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/rest${route}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: this.cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const setCookie = response.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (setCookie.length) this.cookie = setCookie.join('; ');
    const text = await response.text();
    if (!response.ok) throw new Error(`n8n ${method} ${route}: ${response.status} ${text.slice(0, 500)}`);
    try {
      return (text ? JSON.parse(text).data : undefined) as T;
    } catch {
      throw new Error(`n8n ${method} ${route} answered something other than JSON: ${text.slice(0, 300)}`);
    }
  }

  /** A credential of the package's type; returns the reference a node's `credentials` takes. */
  async credential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
    const { id } = await this.rest<{ id: string }>('POST', '/credentials', { name, type, data });
    return { id, name };
  }

  /** Webhook (POST /webhook/<hook>, answers with the last node's items) → the nodes in a chain, active. */
  async webhookWorkflow(hook: string, chain: Array<Record<string, unknown>>): Promise<void> {
    const nodes: Array<Record<string, unknown>> = [
      { id: 'hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${hook}-id`, parameters: { path: hook, httpMethod: 'POST', responseMode: 'lastNode', responseData: 'allEntries', options: {} } },
      ...chain.map((node, i) => ({ id: `n${i}`, typeVersion: 1, position: [200 * (i + 1), 0], ...node })),
    ];
    const names = nodes.map((n) => n.name as string);
    const connections = Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
    const workflow = await this.rest<{ id: string; versionId: string }>('POST', '/workflows', { name: `bench ${hook}`, nodes, connections, settings: { executionOrder: 'v1' } });
    await this.rest('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
    // Activation registers the webhook a moment after the REST call returns.
    await until(`n8n to register the webhook of workflow "${hook}"`, 20_000, async () => {
      // A GET to a POST webhook is refused with "did you mean POST" once it is registered.
      const response = await fetch(`${this.url}/webhook/${hook}`, { method: 'GET', signal: AbortSignal.timeout(5000) });
      return /POST request/.test(await response.text()) || undefined;
    });
  }

  /**
   * Runs a workflow through its webhook and returns its last node's items. Over node:http, not
   * fetch: fetch gives up on answers slower than 300 s, and a long run is slower than that.
   */
  callWebhook(hook: string, body: unknown, timeoutMs: number): Promise<unknown[]> {
    const url = new URL(`${this.url}/webhook/${hook}`);
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`n8n workflow "${hook}" answered ${res.statusCode}: ${text.slice(0, 400)}`));
          try {
            const parsed = JSON.parse(text);
            resolve(Array.isArray(parsed) ? parsed : [parsed]);
          } catch {
            reject(new Error(`n8n workflow "${hook}" answered something other than JSON: ${text.slice(0, 200)}`));
          }
        });
        res.on('error', reject);
      });
      const timer = setTimeout(() => req.destroy(new Error(`n8n workflow "${hook}" did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
      req.on('error', (error) => (clearTimeout(timer), reject(error)));
      req.end(payload);
    });
  }
}
