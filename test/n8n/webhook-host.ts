// The MediaValet Events Trigger served the way n8n serves a webhook trigger, in-process through
// n8n-core: a real HTTP server (express, as n8n's) on 127.0.0.1 at /webhook/<webhookId>/skyhook;
// each request gets its raw body read as n8n's body reader does (n8n parses no
// application/cloudevents+json), a Workflow built from the stored static data (n8n loads it from
// its database per request and saves it when it answers), and the node's webhook() run in
// n8n-core's WebhookContext. Activation and deactivation run webhookMethods in n8n-core's
// HookContext, as n8n's ActiveWorkflowManager does (checkExists, then create when false; delete).
import './n8n-home';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ExecutionLifecycleHooks, HookContext, WebhookContext } from 'n8n-core';
import type { IDataObject, IHookFunctions, INode, INodeExecutionData, INodeParameters, IWebhookData, IWebhookFunctions, IWorkflowExecuteAdditionalData, WorkflowExecuteMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { credentialTypeFor } from '../../nodes/MediaValet/transport/client';
import type { TestCredentialsHelper } from './credentials-helper';
import { nodeTypes, PACKAGE } from './node-types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require('express');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

export interface Emitted {
  items: INodeExecutionData[];
  /** When the node returned them (ms since the epoch, performance clock), for latencies. */
  at: number;
}

export interface HostOptions {
  /**
   * 'n8n': OPTIONS answered by the host with a bare 204 before any node runs, as n8n's
   * webhook-request-handler does. 'node': OPTIONS handed to the node (a host or relay that
   * lets the handshake reach it).
   */
  options?: 'n8n' | 'node';
  workflowId?: string;
  /** Static data to start from (a "restart": what n8n's database held). */
  staticData?: IDataObject;
  webhookId?: string;
}

export class WebhookHost {
  readonly node: INode;
  readonly workflowId: string;
  /** What n8n's database holds for the workflow's static data. */
  stored: IDataObject;
  emitted: Emitted[] = [];
  answers: Array<{ status: number; body: string }> = [];
  private server?: Server;
  base = '';

  constructor(
    private readonly credentials: TestCredentialsHelper,
    parameters: INodeParameters,
    private readonly hostOptions: HostOptions = {},
  ) {
    const authentication = (parameters.authentication as string) ?? 'oAuth2';
    this.workflowId = hostOptions.workflowId ?? `wf-${randomUUID().slice(0, 8)}`;
    this.stored = JSON.parse(JSON.stringify(hostOptions.staticData ?? {}));
    this.node = {
      id: 'events-1',
      name: 'MediaValet Events Trigger',
      type: `${PACKAGE}.mediaValetEventsTrigger`,
      typeVersion: 1,
      position: [0, 0],
      webhookId: hostOptions.webhookId ?? randomUUID(),
      parameters,
      credentials: { [credentialTypeFor(authentication)]: { id: '1', name: 'MediaValet account' } },
    };
  }

  get type() {
    return nodeTypes().getByNameAndVersion(this.node.type, 1);
  }

  /** The node's Production URL. */
  get webhookUrl(): string {
    return `${this.base}/webhook/${this.node.webhookId}/skyhook`;
  }

  private workflow(): Workflow {
    return new Workflow({ id: this.workflowId, nodes: [this.node], connections: {}, active: true, nodeTypes: nodeTypes(), staticData: JSON.parse(JSON.stringify(this.stored)) });
  }

  /** n8n's WorkflowStaticDataService.saveStaticData: stored only when the node changed it. */
  private save(workflow: Workflow): void {
    const data = workflow.staticData as IDataObject & { __dataChanged?: boolean };
    if (data.__dataChanged !== true) return;
    const copy = JSON.parse(JSON.stringify(data));
    delete copy.__dataChanged;
    this.stored = copy;
  }

  private additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
    const hooks = new ExecutionLifecycleHooks('webhook', '1', { id: this.workflowId, nodes: [this.node], connections: {} } as never);
    return {
      credentialsHelper: this.credentials,
      hooks,
      restApiUrl: `${this.base}/rest`,
      instanceBaseUrl: `${this.base}/`,
      formWaitingBaseUrl: `${this.base}/form-waiting`,
      webhookBaseUrl: `${this.base}/webhook`,
      webhookWaitingBaseUrl: `${this.base}/webhook-waiting`,
      webhookTestBaseUrl: `${this.base}/webhook-test`,
      variables: {},
      ...extra,
    } as unknown as IWorkflowExecuteAdditionalData;
  }

  private webhookData(workflow: Workflow, method: 'POST' | 'OPTIONS'): IWebhookData {
    return {
      httpMethod: method as 'POST',
      node: this.node.name,
      path: `${this.node.webhookId}/skyhook`,
      webhookDescription: this.type.description.webhooks![0],
      workflowId: workflow.id,
      workflowExecuteAdditionalData: this.additionalData(),
      webhookId: this.node.webhookId,
    };
  }

  async start(): Promise<void> {
    const app = express();
    app.all('/:prefix(webhook|webhook-test)/:id/skyhook', (req: any, res: any) => void this.handle(req, res));
    app.use((_req: any, res: any) => res.status(404).json({ message: 'not registered' }));
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.base = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: any, res: any): Promise<void> {
    if (req.params.id !== this.node.webhookId) return void res.status(404).json({ message: 'not registered' });
    if (req.method === 'OPTIONS' && this.hostOptions.options !== 'node') return void res.status(204).end();
    if (req.method !== 'POST' && req.method !== 'OPTIONS') return void res.status(404).json({ message: 'not registered' });
    // n8n's rawBodyReader: the bytes as they came, on req.rawBody.
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    req.rawBody = Buffer.concat(chunks);
    if (req.headers['content-type'] === 'application/json' && req.rawBody.length) req.body = JSON.parse(req.rawBody.toString('utf8'));
    const workflow = this.workflow();
    const additionalData = this.additionalData({ httpRequest: req, httpResponse: res } as never);
    const context = new WebhookContext(workflow, this.node, additionalData, 'webhook', this.webhookData(workflow, req.method), [], null);
    const originalEnd = res.end.bind(res);
    let body = '';
    res.end = (chunk?: unknown, ...rest: unknown[]) => {
      if (chunk) body += String(chunk);
      return originalEnd(chunk, ...rest);
    };
    res.on('finish', () => this.answers.push({ status: res.statusCode, body }));
    try {
      const result = await this.type.webhook!.call(context as unknown as IWebhookFunctions);
      this.save(workflow);
      if (result.noWebhookResponse) return;
      if (result.workflowData) {
        this.emitted.push({ items: result.workflowData[0], at: performance.timeOrigin + performance.now() });
        for (const item of result.workflowData[0]) record('n8n output', item.json);
        return void res.status(200).json({ message: 'Workflow was started' });
      }
      res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
    } catch (error) {
      record('n8n error', error);
      res.status(500).json({ code: 500, message: (error as Error).message });
    }
  }

  private async hook<T>(method: 'checkExists' | 'create' | 'delete', mode: WorkflowExecuteMode): Promise<T> {
    const workflow = this.workflow();
    const fn = (this.type.webhookMethods!.default as Record<string, (this: IHookFunctions) => Promise<boolean>>)[method];
    const context = new HookContext(workflow, this.node, this.additionalData(), mode, mode === 'manual' ? 'manual' : 'activate', this.webhookData(workflow, 'POST'));
    try {
      return (await fn.call(context as unknown as IHookFunctions)) as T;
    } catch (error) {
      record('n8n error', error);
      throw error;
    } finally {
      this.save(workflow);
    }
  }

  /** n8n's activation: checkExists, then create when it is false. */
  async activate(mode: WorkflowExecuteMode = 'trigger'): Promise<'existed' | 'created'> {
    if (await this.hook<boolean>('checkExists', mode)) return 'existed';
    await this.hook('create', mode);
    return 'created';
  }

  deactivate(mode: WorkflowExecuteMode = 'trigger'): Promise<boolean> {
    return this.hook<boolean>('delete', mode);
  }

  /** The node's own static data, as stored. */
  get state(): IDataObject {
    return (this.stored[`node:${this.node.name}`] ?? {}) as IDataObject;
  }

  /** Everything emitted so far, one entry per item. */
  items(): IDataObject[] {
    return this.emitted.flatMap((e) => e.items.map((i) => i.json));
  }
}
