// Runs our nodes in-process through n8n-core, the way n8n's NodeTestHarness runs nodes-base:
// a Workflow of the node, input items on the execution stack, WorkflowExecute to run it, and
// the trigger's poll through n8n-core's PollContext. Requests go over real HTTP (n8n-core's
// own request helpers) to the simulator; credentials go through TestCredentialsHelper.
import './n8n-home';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, LoadOptionsContext, PollContext, WorkflowExecute } from 'n8n-core';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import type {
  ExecutionError,
  IDataObject,
  ILoadOptionsFunctions,
  INode,
  INodeExecutionData,
  INodeParameters,
  IPollFunctions,
  IRun,
  IRunExecutionData,
  IWorkflowExecuteAdditionalData,
  WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { credentialTypeFor } from '../../nodes/MediaValet/transport/client';
import type { TestCredentialsHelper } from './credentials-helper';
import { nodeTypes, PACKAGE } from './node-types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

// Every node run needs n8n-core's SSH tunnel manager, whose once-a-minute cleanup timer would
// keep a test process (or jest worker) alive; n8n stops it on shutdown, and so does each file.
(Container.get(SSHClientsManager) as unknown as { cleanupTimer?: NodeJS.Timeout }).cleanupTimer?.unref();
afterAll(() => Container.get(SSHClientsManager).onShutdown());

export interface NodeRun {
  /** The node's first output, as the next node would get it. */
  items: INodeExecutionData[];
  /** The node's error when it failed (the run then has no output). */
  error?: ExecutionError;
  run: IRun;
}

function nodeFor(type: string, parameters: INodeParameters, continueOnFail: boolean, typeVersion = 1): INode {
  const authentication = (parameters.authentication as string) ?? 'oAuth2';
  return {
    id: 'mv-1',
    name: 'MediaValet',
    type: `${PACKAGE}.${type}`,
    typeVersion,
    position: [0, 0],
    parameters,
    credentials: { [credentialTypeFor(authentication)]: { id: '1', name: 'MediaValet account' } },
    ...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
  };
}

function additionalDataFor(credentialsHelper: TestCredentialsHelper, hooks: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
  return {
    credentialsHelper,
    hooks,
    executeWorkflow: async () => {
      throw new Error('sub-workflows are not part of these tests');
    },
    getRunExecutionData: async () => undefined,
    restApiUrl: 'http://127.0.0.1:5678/rest',
    instanceBaseUrl: 'http://127.0.0.1:5678/',
    formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
    webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
    webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
    webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
    variables: {},
    logAiEvent: () => undefined,
    setExecutionStatus: () => undefined,
  } as unknown as IWorkflowExecuteAdditionalData;
}

/** Everything a user could see of a run: each output item and the error, for the leak scan. */
function recordRun(items: INodeExecutionData[], error: unknown): void {
  for (const item of items) record('n8n output', { json: item.json, binary: item.binary });
  if (error) record('n8n error', error);
}

/** Runs the MediaValet node once over `input` (one empty item unless given). */
export async function runNode(
  credentials: TestCredentialsHelper,
  parameters: INodeParameters,
  options: { input?: INodeExecutionData[]; continueOnFail?: boolean; mode?: WorkflowExecuteMode; /** A token the user asked for: not scanned for secrets. */ tokenOutput?: boolean; /** The saved node's version (1 unless told). */ typeVersion?: number } = {},
): Promise<NodeRun> {
  const node = nodeFor('mediaValet', parameters, options.continueOnFail ?? false, options.typeVersion);
  const workflow = new Workflow({ id: 'test', nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
  const mode = options.mode ?? 'manual';
  const hooks = new ExecutionLifecycleHooks(mode, '1', { id: 'test', name: 'test', nodes: [node], connections: {}, active: false, settings: {}, createdAt: new Date(), updatedAt: new Date(), isArchived: false } as never);
  const runExecutionData: IRunExecutionData = {
    startData: {},
    resultData: { runData: {} },
    executionData: {
      contextData: {},
      metadata: {},
      waitingExecution: {},
      waitingExecutionSource: null,
      nodeExecutionStack: [{ node, data: { main: [options.input ?? [{ json: {} }]] }, source: null }],
    },
  };
  const run = await new WorkflowExecute(additionalDataFor(credentials, hooks), mode, runExecutionData).processRunExecutionData(workflow);
  const task = run.data.resultData.runData[node.name]?.[0];
  const items = task?.data?.main?.[0] ?? [];
  const error = (task?.error ?? run.data.resultData.error) as ExecutionError | undefined;
  recordRun(options.tokenOutput ? [] : items, error);
  return { items, error, run };
}

export interface Poller {
  /** One poll, as n8n's active workflows run it (mode 'trigger' unless told). */
  poll(mode?: WorkflowExecuteMode): Promise<INodeExecutionData[][] | null>;
  /** The workflow's static data, where the trigger keeps its position. */
  staticData: IDataObject;
}

/** A MediaValet Trigger in an active workflow; each poll() sees the same static data. */
export function trigger(credentials: TestCredentialsHelper, parameters: INodeParameters, typeVersion = 1): Poller {
  const node = nodeFor('mediaValetTrigger', parameters, false, typeVersion);
  node.name = 'MediaValet Trigger';
  const workflow = new Workflow({ id: 'test', nodes: [node], connections: {}, active: true, nodeTypes: nodeTypes(), staticData: {} });
  const type = nodeTypes().getByNameAndVersion(node.type, node.typeVersion);
  return {
    staticData: workflow.staticData,
    async poll(mode: WorkflowExecuteMode = 'trigger') {
      const hooks = new ExecutionLifecycleHooks(mode, '1', { id: 'test', nodes: [node], connections: {} } as never);
      const context = new PollContext(workflow, node, additionalDataFor(credentials, hooks), mode, 'activate');
      try {
        const out = await type.poll!.call(context as unknown as IPollFunctions);
        recordRun(out?.[0] ?? [], undefined);
        return out;
      } catch (error) {
        recordRun([], error);
        throw error;
      }
    },
  };
}

/** A list the node panel asks for (resource locator search or options), as n8n's editor asks it. */
export async function loadList(credentials: TestCredentialsHelper, kind: 'listSearch' | 'loadOptions', method: string, parameters: INodeParameters, filter?: string, type = 'mediaValet'): Promise<unknown> {
  const node = nodeFor(type, parameters, false);
  const workflow = new Workflow({ id: 'test', nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
  const hooks = new ExecutionLifecycleHooks('internal', '1', { id: 'test', nodes: [node], connections: {} } as never);
  const context = new LoadOptionsContext(workflow, node, additionalDataFor(credentials, hooks), 'parameters') as unknown as ILoadOptionsFunctions;
  const methods = nodeTypes().getByNameAndVersion(node.type).methods as Record<string, Record<string, (this: ILoadOptionsFunctions, filter?: string) => Promise<unknown>>>;
  const list = await methods[kind][method].call(context, filter);
  record('n8n output', list);
  return list;
}
