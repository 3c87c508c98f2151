#!/usr/bin/env node
// Per-request cost and items in flight of the n8n node, in n8n-core (issue 19): the MediaValet
// node over N items (Asset → Get by id, Password credential) run through n8n-core's
// WorkflowExecute against the simulator, interleaved, median of the rounds. The credential is
// stored encrypted with n8n-core's own Credentials and decrypted on every read, and a generic
// `authenticate` is resolved with n8n's expression engine, as n8n's CredentialsHelper does
// (no database here: real n8n adds a read per request on top).
//   node dist/bench/n8n-core.js [--before <an older build's dist/>] [--items 300] [--rounds 3] [--latency 50]
// With --before, that build's node runs beside this one (e.g. main's dist/) as the baseline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { passwordCredentialFields } from './n8n-host';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
if (!process.env.N8N_USER_FOLDER) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-bench-n8n-'));
  process.env.N8N_USER_FOLDER = folder;
  process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
}

/* eslint-disable @typescript-eslint/no-require-imports */
const { Container } = require('@n8n/di');
const core = require('n8n-core');
const workflowLib = require('n8n-workflow');
const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');
const { DEMO, SEED_IDS } = require('../simulator/index');
const { SimulatorProcess } = require('../simulator/process');
const { median, round } = require('./stats');

const PACKAGE = 'n8n-nodes-mediavalet';

interface Build {
  label: string;
  nodeType: unknown;
  credentialTypes: Record<string, { properties: Array<{ name: string; default?: unknown }>; authenticate?: any; preAuthentication?: (this: unknown, c: unknown) => Promise<Record<string, unknown>> }>;
}

function loadBuild(dist: string, label: string): Build {
  const { MediaValet } = require(path.join(dist, 'nodes/MediaValet/MediaValet.node.js'));
  const { MediaValetPasswordApi } = require(path.join(dist, 'credentials/MediaValetPasswordApi.credentials.js'));
  return { label, nodeType: new MediaValet(), credentialTypes: { mediaValetPasswordApi: new MediaValetPasswordApi() } };
}

/** n8n's CredentialsHelper in small: decrypt on every read, preAuthentication when expired, generic headers by expression. */
class BenchCredentials extends workflowLib.ICredentialsHelper {
  private encrypted: ReturnType<InstanceType<typeof core.Credentials>['getDataToSave']>;
  constructor(private readonly build: Build, data: Record<string, unknown>) {
    super();
    this.encrypted = this.encrypt(data);
  }
  private encrypt(data: Record<string, unknown>) {
    const credentials = new core.Credentials({ id: '1', name: 'MediaValet account' }, 'mediaValetPasswordApi');
    credentials.setData(data);
    return credentials.getDataToSave();
  }
  private decrypt(): Record<string, unknown> {
    return new core.Credentials({ id: '1', name: 'MediaValet account' }, 'mediaValetPasswordApi', this.encrypted.data).getData();
  }
  getParentTypes() {
    return [];
  }
  async getCredentials() {
    throw new Error('not used');
  }
  async getDecrypted() {
    const type = this.build.credentialTypes.mediaValetPasswordApi;
    const data = this.decrypt();
    for (const p of type.properties) if (data[p.name] === undefined && p.default !== undefined) data[p.name] = p.default;
    return data;
  }
  async updateCredentials(_n: unknown, _t: string, data: Record<string, unknown>) {
    this.encrypted = this.encrypt(data);
  }
  async updateCredentialsOauthTokenData() {}
  async preAuthentication(helpers: unknown, credentials: Record<string, unknown>, _t: string, _node: unknown, expired: boolean) {
    const type = this.build.credentialTypes.mediaValetPasswordApi;
    if (credentials.accessToken && !expired) return undefined;
    const output = await type.preAuthentication!.call(helpers, credentials);
    await this.updateCredentials(undefined, '', { ...this.decrypt(), ...output });
    return Object.assign(credentials, output);
  }
  async authenticate(credentials: Record<string, unknown>, _t: string, requestOptions: any, workflow: any, node: any) {
    const { authenticate } = this.build.credentialTypes.mediaValetPasswordApi;
    if (typeof authenticate === 'function') return authenticate(credentials, requestOptions);
    requestOptions.headers ??= {};
    for (const [key, value] of Object.entries(authenticate.properties.headers as Record<string, string>)) {
      requestOptions.headers[key] = String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '');
    }
    return requestOptions;
  }
}

function nodeTypesOf(build: Build) {
  return {
    getByName: () => build.nodeType,
    getByNameAndVersion: (_type: string, version?: number) => workflowLib.NodeHelpers.getVersionedNodeType(build.nodeType, version),
    getKnownTypes: () => ({}),
  };
}

async function runOnce(build: Build, credentials: BenchCredentials, items: number, itemsInFlight?: number): Promise<number> {
  const ids = Array.from({ length: 12 }, (_, i) => (i === 0 ? SEED_IDS.firstAsset : `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`));
  const node = {
    id: 'mv-1',
    name: 'MediaValet',
    type: `${PACKAGE}.mediaValet`,
    typeVersion: 2,
    position: [0, 0],
    parameters: { authentication: 'password', resource: 'asset', operation: 'get', assetId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, simplify: false, ...(itemsInFlight ? { itemsInFlight } : {}) },
    credentials: { mediaValetPasswordApi: { id: '1', name: 'MediaValet account' } },
  };
  const workflow = new workflowLib.Workflow({ id: 'bench', nodes: [node], connections: {}, active: false, nodeTypes: nodeTypesOf(build) });
  const hooks = new core.ExecutionLifecycleHooks('manual', '1', { id: 'bench', name: 'bench', nodes: [node], connections: {}, active: false, settings: {} });
  const additionalData = { credentialsHelper: credentials, hooks, variables: {}, restApiUrl: '', instanceBaseUrl: '', webhookBaseUrl: '', webhookWaitingBaseUrl: '', webhookTestBaseUrl: '', formWaitingBaseUrl: '', logAiEvent: () => undefined, setExecutionStatus: () => undefined, getRunExecutionData: async () => undefined };
  const input = Array.from({ length: items }, (_, i) => ({ json: { id: ids[i % ids.length] } }));
  const runExecutionData = {
    startData: {},
    resultData: { runData: {} },
    executionData: { contextData: {}, metadata: {}, waitingExecution: {}, waitingExecutionSource: null, nodeExecutionStack: [{ node, data: { main: [input] }, source: null }] },
  };
  const started = performance.now();
  const run = await new core.WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
  const elapsed = performance.now() - started;
  const task = run.data.resultData.runData[node.name]?.[0];
  const out = task?.data?.main?.[0] ?? [];
  if (task?.error || run.data.resultData.error || out.length !== items) throw new Error(`run failed: ${(task?.error ?? run.data.resultData.error)?.message ?? `${out.length} of ${items} items`}`);
  return elapsed;
}

async function main(): Promise<void> {
  (Container.get(SSHClientsManager) as { cleanupTimer?: NodeJS.Timeout }).cleanupTimer?.unref();
  const items = Number(option('--items', '300'));
  const rounds = Number(option('--rounds', '3'));
  const latency = Number(option('--latency', '50'));
  const before = option('--before', '');
  const sim = await new SimulatorProcess().launch({ profile: 'lenient', accessTokenTTL: 3600 });
  try {
    const after = loadBuild(path.resolve(__dirname, '..'), 'this build');
    const builds = before ? [loadBuild(path.resolve(before), 'before'), after] : [after];
    const stored = { ...passwordCredentialFields(sim, DEMO), accessToken: '' };
    const variants = builds.flatMap((build): Array<{ label: string; build: Build; credentials: BenchCredentials; inFlight?: number }> => {
      const credentials = new BenchCredentials(build, stored);
      return build === after ? [{ label: 'this build, 1 in flight', build, credentials, inFlight: 1 }, { label: 'this build, 8 in flight', build, credentials, inFlight: 8 }] : [{ label: 'before', build, credentials, inFlight: undefined }];
    });
    for (const [name, ms] of [['loopback', 0], [`${latency} ms answers`, latency]] as const) {
      await sim.settings({ latencyMs: ms } as never);
      const count = ms ? Math.min(items, 100) : items;
      for (const v of variants) await runOnce(v.build, v.credentials, 12, v.inFlight); // warm: signed in, code loaded
      const times = new Map<string, number[]>(variants.map((v) => [v.label, []]));
      for (let r = 0; r < rounds; r++) for (const v of variants) times.get(v.label)!.push(await runOnce(v.build, v.credentials, count, v.inFlight));
      const base = median(times.get(variants[0].label)!);
      console.log(`\n${count} items, Asset → Get, ${name} (median of ${rounds}, interleaved)`);
      for (const v of variants) {
        const m = median(times.get(v.label)!);
        console.log(`  ${v.label.padEnd(26)} ${String(round(m, 0)).padStart(7)} ms  ${String(round(m / count, 2)).padStart(6)} ms/item  ${String(round((count / m) * 1000, 0)).padStart(5)} items/s  ×${round(base / m, 2)} vs ${variants[0].label}`);
      }
    }
  } finally {
    await sim.stop();
    await Container.get(SSHClientsManager).onShutdown?.();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
