// n8n's queue mode for the scale e2e: Debian's Redis and PostgreSQL started here, in temporary
// folders on free loopback ports (never the system services), and n8n workers started from
// the main process's own settings, so they share its user folder: encryption key, installed
// package and filesystem binary store.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eEnv, freePort, waitFor } from './env';
import type { N8nProcess } from './n8n-runtime';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

/** A child process that is ready once its output matches; stop() waits for it to exit. */
class Service {
  log = '';
  protected child?: ChildProcess;

  protected async launch(what: string, command: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<void> {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.child = child;
    child.stdout!.on('data', (d) => (this.log += d));
    child.stderr!.on('data', (d) => (this.log += d));
    await waitFor(what, async () => {
      if (child.exitCode !== null) throw new Error(`${what}: exited (${child.exitCode}): ${this.log.slice(-1500)}`);
      return ready.test(this.log);
    }, timeoutMs);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    });
  }
}

export class Redis extends Service {
  port = 0;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-redis-'));

  async start(): Promise<this> {
    this.port = await freePort();
    await this.launch('redis', e2eEnv().REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], /Ready to accept connections/);
    return this;
  }

  override async stop(): Promise<void> {
    await super.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** PostgreSQL refuses to run as root: as root it runs as the postgres user Debian's package made. */
export class Postgres extends Service {
  port = 0;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-pg-'));

  private as(command: string, args: string[]): [string, string[]] {
    const bin = path.join(e2eEnv().PG_BIN, command);
    return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  }

  async start(maxConnections: number): Promise<this> {
    this.port = await freePort();
    const data = path.join(this.dir, 'data');
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres', this.dir]);
    const [init, initArgs] = this.as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    execFileSync(init, initArgs, { stdio: 'ignore' });
    // A throwaway database: durability off, enough connections for every n8n process's pool.
    const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: this.dir, max_connections: String(maxConnections), fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
    const [command, args] = this.as('postgres', ['-D', data, '-p', String(this.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])]);
    await this.launch('postgres', command, args, /database system is ready to accept connections/);
    return this;
  }

  createDatabase(name: string): void {
    const [command, args] = this.as('createdb', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', name]);
    execFileSync(command, args, { stdio: 'ignore' });
  }

  override async stop(): Promise<void> {
    // The postmaster itself (runuser does not pass signals on); SIGINT is its fast shutdown.
    const pidFile = path.join(this.dir, 'data', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      try {
        process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
      } catch {
        // already gone
      }
    }
    await super.stop('SIGINT');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** n8n on one database of this PostgreSQL, each process with a pool of `poolSize` connections. */
export function postgresEnv(postgres: Postgres, database: string, poolSize: number): Record<string, string> {
  return {
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: '127.0.0.1',
    DB_POSTGRESDB_PORT: String(postgres.port),
    DB_POSTGRESDB_USER: 'postgres',
    DB_POSTGRESDB_DATABASE: database,
    DB_POSTGRESDB_POOL_SIZE: String(poolSize),
    // A loaded machine can take a while to hand out a connection; n8n's default is 20 s.
    DB_POSTGRESDB_CONNECTION_TIMEOUT: '120000',
    // n8n pings its database every 2 s through the same pool and, when a ping waits past 5 s for
    // a connection, answers every webhook 503 "Database is not ready!" until one succeeds: 400
    // executions at once on two cores hold the pool that long (n8n's DB_PING_TIMEOUT_MS).
    DB_PING_TIMEOUT_MS: '60000',
  };
}

/** Queue mode over this Redis; `prefix` keeps two instances' queues apart. */
export function queueEnv(redis: Redis, prefix: string): Record<string, string> {
  return { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), QUEUE_BULL_PREFIX: prefix };
}

/** `n8n worker` with the main process's settings; its own ports for the task broker. */
export class N8nWorker extends Service {
  constructor(
    private readonly main: N8nProcess,
    private readonly concurrency: number,
  ) {
    super();
  }

  async start(): Promise<this> {
    const env = e2eEnv();
    const ports = { N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(await freePort()) };
    await this.launch('n8n worker', env.NODE24, [env.N8N_BIN, 'worker', `--concurrency=${this.concurrency}`], /n8n worker is now ready/, { ...this.main.childEnv, ...ports }, 240_000);
    return this;
  }

  override async stop(): Promise<void> {
    record('n8n worker log', this.log);
    await super.stop();
  }
}

/** Resident memory of a process (MiB): now, and the peak since the last resetPeak(). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Sets the kernel's peak-RSS mark (VmHWM) back to the current RSS. */
export function resetPeak(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
