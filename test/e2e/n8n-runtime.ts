// Real n8n (2.41 under Node 24) started from its CLI, with the packed package loaded as a
// custom extension, an owner account, and REST helpers to create credentials and
// webhook-started workflows whose responses carry the node outputs.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO } from '../../simulator/index';
import { e2eEnv, freePort, waitFor } from './env';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

export const OWNER = { email: 'owner@example.com', password: 'E2e-Owner-Passw0rd' };

/** The Password credential's fields for a simulator. */
export function passwordFields(sim: { identityUrl: string; apiUrl: string }) {
  return {
    username: DEMO.users[0].username,
    password: DEMO.users[0].password,
    clientId: DEMO.clientId,
    clientSecret: DEMO.clientSecret,
    subscriptionKey: DEMO.subscriptionKey,
    identityUrl: sim.identityUrl,
    apiUrl: sim.apiUrl,
    apiVersion: '1.2',
    clientAuth: 'basic',
    allowInsecure: true,
  };
}

export class N8nProcess {
  log = '';
  url = '';
  private cookie = '';
  private child?: ChildProcess;
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-n8n-'));

  /** `env` adds to or overrides the settings below, e.g. queue mode's (see n8n-queue.ts). */
  constructor(
    readonly extensionDir: string,
    readonly env: Record<string, string> = {},
  ) {}

  /** What n8n was started with: workers of the same instance start from it. */
  childEnv: NodeJS.ProcessEnv = {};

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const env = e2eEnv();
    const port = await freePort();
    const broker = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(env.NODE24, [env.N8N_BIN, 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: (this.childEnv = {
        ...process.env,
        // jest sets NODE_ENV=test, which switches n8n into its own unit-test mode.
        NODE_ENV: 'production',
        PATH: `${path.dirname(env.NODE24)}:${process.env.PATH}`,
        N8N_USER_FOLDER: this.home,
        N8N_ENCRYPTION_KEY: 'e2e-encryption-key-0123456789',
        N8N_PORT: String(port),
        N8N_HOST: '127.0.0.1',
        N8N_LISTEN_ADDRESS: '127.0.0.1',
        N8N_EDITOR_BASE_URL: this.url,
        WEBHOOK_URL: `${this.url}/`,
        N8N_RUNNERS_BROKER_PORT: String(broker),
        N8N_DIAGNOSTICS_ENABLED: 'false',
        N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
        N8N_TEMPLATES_ENABLED: 'false',
        N8N_PERSONALIZATION_ENABLED: 'false',
        N8N_SECURE_COOKIE: 'false',
        N8N_CUSTOM_EXTENSIONS: this.extensionDir,
        N8N_LOG_LEVEL: 'info',
        DB_SQLITE_POOL_SIZE: '2',
        ...this.env,
      }),
    });
    this.child.stdout!.on('data', (d) => (this.log += d));
    this.child.stderr!.on('data', (d) => (this.log += d));
    await waitFor('n8n to start', async () => {
      if (this.child?.exitCode !== null) throw new Error(`n8n exited (${this.child?.exitCode}): ${this.log.slice(-1500)}`);
      return /Editor is now accessible/.test(this.log) && (await fetch(`${this.url}/rest/settings`)).ok;
    }, 240_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    record('n8n log', this.log);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    });
  }

  async rest<T = any>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/rest${route}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: this.cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (setCookie.length) this.cookie = setCookie.join('; ');
    const text = await response.text();
    if (!response.ok) throw new Error(`n8n ${method} ${route}: ${response.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text).data : undefined) as T;
  }

  async setupOwner(): Promise<void> {
    await this.rest('POST', '/owner/setup', { email: OWNER.email, firstName: 'E2E', lastName: 'Owner', password: OWNER.password });
    await this.rest('POST', '/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
  }

  authCookie(): string {
    return this.cookie;
  }

  createCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
    return this.rest('POST', '/credentials', { name, type, data });
  }

  /** A workflow: Webhook (POST /webhook/<path>) → the given nodes in a chain → the response is the last node's items. */
  async webhookWorkflow(hookPath: string, chain: Array<Record<string, unknown>>, response: 'allEntries' | 'firstEntryBinary' = 'allEntries'): Promise<string> {
    const nodes = [
      { id: 'hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${hookPath}-id`, parameters: { path: hookPath, httpMethod: 'POST', responseMode: 'lastNode', responseData: response, options: { binaryPropertyName: 'data' } } },
      ...chain.map((node, i) => ({ id: `n${i}`, typeVersion: 1, position: [200 * (i + 1), 0], ...node })),
    ];
    const names = nodes.map((n) => n.name as string);
    const connections = Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
    const workflow = await this.rest<{ id: string; versionId: string }>('POST', '/workflows', { name: `e2e ${hookPath}`, nodes, connections, settings: { executionOrder: 'v1' } });
    await this.rest('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
    return workflow.id;
  }

  /** Calls a workflow's webhook; its output goes to the secret-leak scan unless it is a token the workflow was asked for. */
  async callWebhook(hookPath: string, body: unknown = {}, options: { tokenOutput?: boolean } = {}): Promise<{ status: number; json?: any; buffer?: Buffer; headers: Headers }> {
    const init: RequestInit = body instanceof FormData ? { method: 'POST', body } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    // Activation registers the webhook a moment after the REST call returns.
    let response = await fetch(`${this.url}/webhook/${hookPath}`, init);
    for (let i = 0; i < 40 && response.status === 404; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      response = await fetch(`${this.url}/webhook/${hookPath}`, init);
    }
    const buffer = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    if (!options.tokenOutput) record('n8n output', /json|text/.test(type) ? buffer.toString('utf8') : `<${type} ${buffer.length} bytes>`);
    return { status: response.status, headers: response.headers, json: type.includes('json') ? JSON.parse(buffer.toString('utf8')) : undefined, buffer };
  }
}
