// Real n8n (2.41 under Node 24) started from its CLI, with the packed n8n package installed
// as a community package the way n8n's docs say to install one by hand (npm install in
// <user folder>/.n8n/nodes, then start n8n; node types then carry the package name, as for
// users), an owner account, and REST helpers to create credentials, connect OAuth2
// credentials, test them, run workflows and start webhook workflows whose responses carry
// the node outputs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'flatted';
import { signInOverHttp } from '../helpers/browserless-login';
import { n8nSettings } from '../../bench/n8n-host';
import { e2eEnv, freePort, waitFor } from './env';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

export const OWNER = { email: 'owner@example.com', password: 'E2e-Owner-Passw0rd' };
/** The package's node types, as n8n names them once the package is installed. */
export const NODE = { mediaValet: 'n8n-nodes-mediavalet.mediaValet', trigger: 'n8n-nodes-mediavalet.mediaValetTrigger', events: 'n8n-nodes-mediavalet.mediaValetEventsTrigger' };

export class N8nProcess {
  log = '';
  url = '';
  private cookie = '';
  private child?: ChildProcess;
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-n8n-'));

  /** `env` adds to or overrides the settings below, e.g. queue mode's (see n8n-queue.ts). */
  constructor(
    readonly tarball: string,
    readonly env: Record<string, string> = {},
  ) {}

  /** What n8n was started with: workers of the same instance start from it. */
  childEnv: NodeJS.ProcessEnv = {};

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** n8n loads every n8n-nodes-* package installed in its nodes folder when it starts. */
  get nodesDir(): string {
    return path.join(this.home, '.n8n', 'nodes');
  }

  private install(node24: string): void {
    if (fs.existsSync(path.join(this.nodesDir, 'node_modules'))) return;
    fs.mkdirSync(this.nodesDir, { recursive: true });
    fs.writeFileSync(path.join(this.nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
    const bin = path.dirname(node24);
    const npm = fs.existsSync(path.join(bin, 'npm')) ? path.join(bin, 'npm') : 'npm';
    execFileSync(npm, ['install', '--no-audit', '--no-fund', this.tarball], { cwd: this.nodesDir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: 'pipe' });
  }

  async start(): Promise<void> {
    const env = e2eEnv();
    this.install(env.NODE24);
    const port = await freePort();
    const broker = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(env.NODE24, [env.N8N_BIN, 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: this.home,
      env: (this.childEnv = {
        ...process.env,
        ...n8nSettings(this.home, port, broker, env.NODE24),
        N8N_ENCRYPTION_KEY: 'e2e-encryption-key-0123456789',
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

  /** Connect, as the credential's button does, with the sign-in page walked over HTTP; returns n8n's callback page. */
  async connectOAuth2(credentialId: string, username: string, password: string): Promise<{ ok: boolean; page: string }> {
    const authorizeUrl = await this.rest<string>('GET', `/oauth2-credential/auth?id=${credentialId}`);
    const callback = await signInOverHttp(authorizeUrl, username, password, `${this.url}/rest/oauth2-credential/callback`);
    const response = await fetch(callback, { headers: { cookie: this.cookie } });
    const page = await response.text();
    record('n8n oauth callback page', page);
    const credential = await this.rest<{ data?: { oauthTokenData?: unknown } }>('GET', `/credentials/${credentialId}?includeData=true`);
    return { ok: Boolean(credential.data?.oauthTokenData), page };
  }

  /** The credential Test button: n8n's verdict on the stored credential with these fields. */
  testCredential(credential: { id: string; name: string }, type: string, data: Record<string, unknown>): Promise<{ status: string; message: string }> {
    return this.rest('POST', '/credentials/test', { credentials: { id: credential.id, name: credential.name, type, data } });
  }

  /** Runs a saved workflow as the editor's Execute Workflow button does; resolves with the finished execution's data. */
  async runManually(workflowId: string, trigger: string): Promise<{ status: string; runData: Record<string, any>; error?: any }> {
    const { executionId } = await this.rest<{ executionId: string }>('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger } });
    return waitFor(`execution ${executionId} to finish`, async () => {
      const execution = await this.rest<{ status: string; finished: boolean; stoppedAt?: string; data: string }>('GET', `/executions/${executionId}`);
      if (!execution.stoppedAt) return undefined;
      const data = parse(execution.data);
      record('n8n execution', JSON.stringify(data.resultData));
      return { status: execution.status, runData: data.resultData.runData, error: data.resultData.error };
    }, 120_000);
  }
}

/** n8n with the packed package installed as a community package, started, with an owner signed in over REST. */
export async function startN8nWithPackage(tarball: string): Promise<N8nProcess> {
  const n8n = new N8nProcess(tarball);
  await n8n.start();
  await n8n.setupOwner();
  return n8n;
}

export { passwordCredentialFields } from '../../bench/n8n-host';

/** The OAuth2 credential's fields for a simulator, with the client registered for n8n's callback. */
export function oauth2CredentialFields(sim: { identityUrl: string; apiUrl: string }, demo: { clientSecret: string; subscriptionKey: string }, clientId: string) {
  return { clientId, clientSecret: demo.clientSecret, identityUrl: sim.identityUrl, subscriptionKey: demo.subscriptionKey, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true };
}

type EditorPage = { goto(url: string): Promise<unknown>; locator(selector: string): { first(): { fill(v: string): Promise<void>; click(): Promise<void> } }; waitForURL(test: (url: URL) => boolean, options: { timeout: number }): Promise<void> };

/** Signs the owner in to n8n's editor in a browser page. */
export async function signInToEditor(page: EditorPage, n8nUrl: string): Promise<void> {
  await page.goto(`${n8nUrl}/signin`);
  await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(OWNER.email);
  await page.locator('input[type="password"]').first().fill(OWNER.password);
  await page.locator('button[type="submit"], [data-test-id="form-submit-button"]').first().click();
  await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });
}
