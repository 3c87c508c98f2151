// Runs the simulator (built, in dist/) in its own process, as users run it, and
// talks to its control API over HTTP. One simulator per test file.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { FaultRule, SimulatorOptions } from '../../simulator/index';
import { DEMO } from '../../simulator/index';
import { createAxiosTransport } from '../../core/axios-transport';
import { connect, type ConnectOptions, type MediaValetSettings } from '../../core';

export { DEMO };
export const CLI = path.resolve(__dirname, '../../dist/simulator/cli.js');

export interface SimState {
  identity: { tokenRequests: number; grants: Record<string, number>; grantErrors: Record<string, number> };
  api: { requests: number; byRoute: Record<string, number>; unauthorized: number };
  storage: { singlePuts: number; blocks: number; blockLists: number; downloads: number; maxConcurrentBlocks: number; rejectedAuthHeaders: number };
  faultsFired: number;
  assets: number;
}

export class Sim {
  identityUrl = '';
  apiUrl = '';
  storageUrl = '';
  controlUrl = '';
  /** What the simulator process wrote to stderr (checked by the secret-leak scan). */
  stderr = '';
  private child?: ChildProcess;

  static async start(options: SimulatorOptions = {}): Promise<Sim> {
    const sim = new Sim();
    await sim.launch(options);
    return sim;
  }

  private launch(options: SimulatorOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, '--json', '--options', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`simulator did not start: ${this.stderr}`)), 20_000);
      child.stderr!.on('data', (d) => (this.stderr += d));
      child.stdout!.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line && !this.apiUrl) {
          Object.assign(this, JSON.parse(line));
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!this.apiUrl) reject(new Error(`simulator exited with ${code}: ${this.stderr}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  private async call(method: string, route: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.controlUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`control ${method} ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  state(): Promise<SimState> {
    return this.call('GET', '/state');
  }
  faults(...rules: FaultRule[]): Promise<void> {
    return this.call('POST', '/faults', rules);
  }
  clearFaults(): Promise<void> {
    return this.call('DELETE', '/faults');
  }
  settings(values: Partial<SimulatorOptions>): Promise<void> {
    return this.call('POST', '/settings', values);
  }
  revoke(what: 'access' | 'all'): Promise<{ revoked: number }> {
    return this.call('POST', '/revoke', { what });
  }
  resetCounters(): Promise<void> {
    return this.call('POST', '/reset-counters', {});
  }
  bulk(count: number): Promise<{ assets: number }> {
    return this.call('POST', '/bulk', { count });
  }
  upload(id: string): Promise<{ size: number; sha256: string; parts: number; contentType: string } | null> {
    return this.call('GET', `/uploads/${id}`);
  }
  asset(id: string): Promise<any> {
    return this.call('GET', `/assets/${id}`);
  }

  /** Settings a user would type for this simulator (password mode unless told). */
  settingsFor(overrides: Partial<MediaValetSettings> = {}): MediaValetSettings {
    return {
      mode: 'password',
      identityUrl: this.identityUrl,
      apiUrl: this.apiUrl,
      clientId: DEMO.clientId,
      clientSecret: DEMO.clientSecret,
      subscriptionKey: DEMO.subscriptionKey,
      username: DEMO.users[0].username,
      password: DEMO.users[0].password,
      allowInsecure: true,
      ...overrides,
    };
  }

  /** A connected client over the axios transport, with fast retries for tests. */
  connect(overrides: Partial<MediaValetSettings> = {}, options: Partial<ConnectOptions> = {}) {
    return connect(this.settingsFor(overrides), {
      transport: createAxiosTransport(),
      ...options,
      client: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 5000, ...options.client },
    });
  }
}

/** Runs `fn` and returns what it threw (fails the test when nothing was thrown). */
export async function caught<E = any>(fn: () => Promise<unknown>): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected an error, but the call succeeded');
}
