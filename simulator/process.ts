// Runs the simulator in a child process (as users run it) and drives its control API.
// Tests and benchmarks use this: the simulator's memory and CPU stay out of the
// process being measured, and jest never has to load oidc-provider (an ES module).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { FaultRule } from './faults';
import type { SimulatorOptions } from './index';
import type { CloudEventOut, DeliveryRecord, SkyhookSubscription } from './skyhook';

export interface SimState {
  identity: { tokenRequests: number; grants: Record<string, number>; grantErrors: Record<string, number> };
  api: { requests: number; byRoute: Record<string, number>; unauthorized: number };
  storage: { singlePuts: number; blocks: number; blockLists: number; downloads: number; maxConcurrentBlocks: number; rejectedAuthHeaders: number };
  faultsFired: number;
  /** The rate limit's 429s and the API calls answered at once (simulator/throttle.ts). */
  throttle: { throttled: number; inFlight: number; maxInFlight: number };
  assets: number;
  /** SkyHOOK subscriptions left (e2e: 0 after deactivation), events raised, delivery tries logged. */
  skyhook: { subscriptions: number; raised: number; deliveries: number };
}

/** The simulator's SkyHOOK as the control API shows it. */
export interface SkyhookState {
  libraryId: string;
  subscriptions: SkyhookSubscription[];
  subscriptionCount: number;
  raised: number;
  /** Timers still running: batches, duplicates and retries not yet sent. */
  pending: number;
  /** Every delivery try, oldest first (the last 5000). */
  deliveries: DeliveryRecord[];
}

const CLI = path.resolve(__dirname, 'cli.js');

export class SimulatorProcess {
  identityUrl = '';
  apiUrl = '';
  storageUrl = '';
  controlUrl = '';
  /** What the simulator wrote to stderr (the secret-leak scan reads it). */
  stderr = '';
  private child?: ChildProcess;

  /** `cli` is the built entry point; tests running from TypeScript sources pass dist's. */
  async launch(options: SimulatorOptions = {}, cli = CLI): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, '--json', '--options', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the simulator did not start within 20 s: ${this.stderr}`)), 20_000);
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
        if (!this.apiUrl) reject(new Error(`the simulator exited with ${code}: ${this.stderr}`));
      });
    });
    return this;
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
  /** Registers (or updates) an OAuth client, e.g. to add a redirect URI known only at run time. */
  client(client: { client_id: string; client_secret: string; redirect_uris: string[]; token_endpoint_auth_method?: string; grant_types?: string[] }): Promise<void> {
    return this.call('POST', '/clients', client);
  }
  asset(id: string): Promise<any> {
    return this.call('GET', `/assets/${id}`);
  }
  /** SkyHOOK: subscriptions (with their webhook URLs), the delivery log with status and attempt. */
  skyhook(): Promise<SkyhookState> {
    return this.call('GET', '/skyhook');
  }
  /** Raises a SkyHOOK event by hand, as if the library had changed; returns the CloudEvent sent. */
  async raiseSkyhookEvent(type: string, data: Record<string, unknown> = {}, subject?: string): Promise<CloudEventOut> {
    return (await this.call('POST', '/skyhook/raise', { type, data, subject })).event;
  }
  /** Raises several events in one burst (the strict profile then delivers them out of order). */
  async raiseSkyhookEvents(events: Array<{ type: string; data?: Record<string, unknown>; subject?: string }>): Promise<CloudEventOut[]> {
    return (await this.call('POST', '/skyhook/raise', events)).events;
  }
  clearSkyhookLog(): Promise<void> {
    return this.call('POST', '/skyhook/clear-log', {});
  }
  /** Removes every SkyHOOK subscription (between tests). */
  clearSkyhookSubscriptions(): Promise<void> {
    return this.call('DELETE', '/skyhook/subscriptions');
  }
}
