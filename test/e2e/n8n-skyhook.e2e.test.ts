// SkyHOOK in real n8n 2.41 behind real nginx: Debian's nginx runs the README's own handshake rule
// in front of n8n (whose WEBHOOK_URL is nginx's address, as a user sets it), the strict simulator
// delivers like Event Grid (handshake first, duplicates, any order) through nginx. Activation
// subscribes, each upload runs the workflow once within seconds, deactivation leaves no
// subscription; plain n8n refuses the handshake with its bare 204; the example runs as shipped.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'flatted';
import { DEMO, SEED_IDS, SIM_LIBRARY_ID } from '../../simulator/index';
import { gradientPng } from '../../simulator/png';
import { Sim } from '../helpers/simulator';
import { latencySummary } from '../../bench/skyhook';
import { ARTIFACTS, n8nTarball, waitFor } from './env';
import { N8nProcess, NODE, oauth2CredentialFields, passwordCredentialFields } from './n8n-runtime';
import { Nginx } from './nginx';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

let sim: Sim;
let n8n: N8nProcess;
let nginx: Nginx;
let password: { id: string; name: string };
/** Deactivations a failed test still owes, so the next test starts with no subscription. */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
});

beforeAll(async () => {
  sim = await Sim.start();
  const port = await Nginx.port();
  // n8n tells MediaValet its public address, which is nginx's; N8N_PROXY_HOPS as the README says.
  n8n = new N8nProcess(n8nTarball(), { WEBHOOK_URL: `http://127.0.0.1:${port}/`, N8N_PROXY_HOPS: '1' });
  await n8n.start();
  await n8n.setupOwner();
  nginx = new Nginx(port);
  await nginx.start(n8n.url);
  password = await n8n.createCredential('MediaValet (password)', 'mediaValetPasswordApi', passwordCredentialFields(sim, DEMO));
});
afterAll(async () => {
  if (n8n) fs.writeFileSync(path.join(ARTIFACTS, 'n8n-skyhook.log'), n8n.log);
  await nginx?.stop();
  await n8n?.stop();
  await sim?.stop();
});

async function eventsWorkflow(name: string, parameters: Record<string, unknown>): Promise<{ id: string; versionId: string; webhookId: string }> {
  const workflow = await n8n.rest<{ id: string; versionId: string; nodes: Array<{ name: string; webhookId?: string }> }>('POST', '/workflows', {
    name,
    nodes: [
      {
        id: 'events',
        name: 'MediaValet Events Trigger',
        type: NODE.events,
        typeVersion: 1,
        position: [0, 0],
        parameters: { authentication: 'password', events: ['Asset.MediaFileAdded'], fetchAsset: true, simplify: true, options: {}, ...parameters },
        credentials: { mediaValetPasswordApi: password },
      },
    ],
    connections: {},
    settings: { executionOrder: 'v1' },
  });
  // n8n gives a webhook trigger its random webhook ID when the workflow is saved.
  const webhookId = workflow.nodes[0].webhookId;
  expect(webhookId).toMatch(/^[0-9a-f-]{36}$/);
  return { id: workflow.id, versionId: workflow.versionId, webhookId: webhookId! };
}

const activate = (w: { id: string; versionId: string }) => n8n.rest('POST', `/workflows/${w.id}/activate`, { versionId: w.versionId });
const deactivate = (w: { id: string }) => n8n.rest('POST', `/workflows/${w.id}/deactivate`, {});

/** Every execution of a workflow with the trigger's items and when n8n started it. */
async function executions(workflowId: string, node: string): Promise<Array<{ id: string; startedAt: number; items: any[]; runData: Record<string, any> }>> {
  const list = await n8n.rest<{ results: Array<{ id: string; workflowId: string; stoppedAt?: string }> }>('GET', `/executions?limit=100&filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
  const out = [];
  for (const run of list.results.filter((r) => r.workflowId === workflowId && r.stoppedAt)) {
    const execution = await n8n.rest<{ data: string; startedAt: string }>('GET', `/executions/${run.id}`);
    const data = parse(execution.data);
    const items = (data.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map((i: any) => i.json);
    record('n8n output', JSON.stringify(items));
    out.push({ id: run.id, startedAt: Date.parse(execution.startedAt), items, runData: data.resultData.runData });
  }
  return out;
}

async function uploadMany(count: number): Promise<string[]> {
  const { client } = sim.connect();
  const { uploadAsset } = await import('../../core');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await uploadAsset(client, { data: gradientPng(6, 6, [i * 20, 40, 90]), filename: `skyhook-${i}.png` })).id);
  return ids;
}

const handshake = (url: string) => fetch(url, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net', 'WebHook-Request-Rate': '120' } });

describe('MediaValet Events Trigger in real n8n behind nginx', () => {
  it('answers the handshake only through the proxy rule: plain n8n gives its bare 204', async () => {
    const workflow = await eventsWorkflow('handshake', {});
    const direct = await handshake(`${n8n.url}/webhook/${workflow.webhookId}/skyhook`);
    const proxied = await handshake(`${nginx.url}/webhook/${workflow.webhookId}/skyhook`);
    // eslint-disable-next-line no-console
    console.log(`handshake: plain n8n ${direct.status} (WebHook-Allowed-Origin: ${direct.headers.get('webhook-allowed-origin')}); behind nginx ${proxied.status} (WebHook-Allowed-Origin: ${proxied.headers.get('webhook-allowed-origin')}, WebHook-Allowed-Rate: ${proxied.headers.get('webhook-allowed-rate')})`);
    expect(direct.status).toBe(204);
    expect(direct.headers.get('webhook-allowed-origin')).toBeNull();
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    expect(proxied.headers.get('webhook-allowed-rate')).toBe('*');
    // An ordinary OPTIONS (a browser's CORS preflight) still reaches n8n.
    expect((await fetch(`${nginx.url}/webhook/${workflow.webhookId}/skyhook`, { method: 'OPTIONS' })).status).toBe(204);
  });

  it('subscribes on activation, runs once per upload within seconds despite duplicates, and leaves no subscription after deactivation', async () => {
    const workflow = await eventsWorkflow('skyhook uploads', {});
    cleanups.push(() => deactivate(workflow));
    await activate(workflow);
    const subscription = await waitFor('the subscription', async () => (await sim.skyhook()).subscriptions.find((s) => s.url.includes(workflow.webhookId)));
    expect(subscription.url).toBe(`${nginx.url}/webhook/${workflow.webhookId}/skyhook`);
    expect(subscription.events).toEqual(['Asset.MediaFileAdded']);

    // A delivery by hand, straight to n8n and through nginx: the rule passes POSTs through untouched.
    for (const base of [n8n.url, nginx.url]) {
      const t0 = Date.now();
      const r = await fetch(`${base}/webhook/${workflow.webhookId}/skyhook`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify({ id: `probe-${t0}`, source: SIM_LIBRARY_ID, specversion: '1.0', type: 'Asset.MediaFileAdded', data: { AssetId: SEED_IDS.firstAsset } }) });
      expect(r.status).toBe(200);
      // eslint-disable-next-line no-console
      console.log(`one delivery by hand via ${base === n8n.url ? 'n8n' : 'nginx'}: ${r.status} in ${Date.now() - t0} ms`);
    }
    const uploaded = await uploadMany(8);
    await waitFor('an execution per upload', async () => {
      const list = await executions(workflow.id, 'MediaValet Events Trigger');
      return list.flatMap((r) => r.items).length >= uploaded.length + 2 ? list : undefined;
    }, 180_000);
    // Duplicates and retries the simulator still has to send arrive before counting.
    await waitFor('the simulator to finish delivering', async () => ((await sim.skyhook()).pending === 0 ? true : undefined), 150_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const all = await executions(workflow.id, 'MediaValet Events Trigger');
    const items = all.flatMap((r) => r.items).filter((i) => !String(i.event.id).startsWith('probe-'));
    expect(items.map((i) => i.assetId).sort()).toEqual([...uploaded].sort());
    expect(new Set(items.map((i) => i.event.id)).size).toBe(items.length);
    for (const item of items) expect(item).toMatchObject({ event: { type: 'Asset.MediaFileAdded' }, asset: { id: item.assetId, fileName: expect.stringMatching(/^skyhook-\d+\.png$/) } });

    const log = (await sim.skyhook()).deliveries.filter((d) => d.subscriptionId === subscription.id);
    const delivered = log.filter((d) => d.outcome === 'delivered');
    const duplicates = delivered.filter((d) => d.duplicate).length;
    expect(duplicates).toBeGreaterThan(0);
    // Event -> output: raised in the simulator -> n8n's answer to the delivery, which n8n sends
    // once the trigger has made its items (both times on the simulator's clock). Also event ->
    // execution started, with n8n's startedAt (another process's clock), for information.
    const firstAnswer = new Map<string, number>();
    for (const d of delivered) if (!firstAnswer.has(d.eventId) || d.answeredAt < firstAnswer.get(d.eventId)!) firstAnswer.set(d.eventId, d.answeredAt);
    const raised = new Map(log.map((d) => [d.eventId, d.raisedAt]));
    const latency = latencySummary([...firstAnswer].map(([id, at]) => at - raised.get(id)!));
    const started = latencySummary(all.flatMap((r) => r.items.filter((i) => raised.has(i.event.id)).map((i) => r.startedAt - raised.get(i.event.id)!)));
    const failedTries = log.filter((d) => d.outcome !== 'delivered').map((d) => `${d.status || d.error}`);
    const summary = `n8n behind nginx: ${uploaded.length} uploads, ${log.length} delivery tries, ${delivered.length} accepted (${duplicates} duplicates; tries not accepted: ${failedTries.length ? failedTries.join(', ') : 'none'}), ${all.length} executions, ${items.length} items; event->output (n8n's answer) ${JSON.stringify(latency)}; event->execution startedAt ${JSON.stringify(started)}`;
    // eslint-disable-next-line no-console
    console.log(summary);
    fs.writeFileSync(path.join(ARTIFACTS, 'n8n-skyhook-latency.txt'), `${summary}\n`);
    // "Within seconds" on an idle machine (n8n-core in npm test: well under a second); on a
    // loaded one n8n may not answer within Event Grid's 30 s and the event comes again on
    // Event Grid's retry schedule: still once, and well within the first retries.
    expect(latency.maxMs).toBeLessThan(failedTries.length ? 150_000 : 30_000);

    // Published again (n8n re-activates an edited workflow): still one subscription.
    await deactivate(workflow);
    await waitFor('no subscription', async () => ((await sim.skyhook()).subscriptionCount === 0 ? true : undefined), 30_000);
    await activate(workflow);
    await waitFor('one subscription again', async () => ((await sim.skyhook()).subscriptionCount === 1 ? true : undefined), 30_000);
    await n8n.rest('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId }).catch(() => undefined);
    expect((await sim.skyhook()).subscriptionCount).toBe(1);
    await deactivate(workflow);
    await waitFor('no subscription left', async () => ((await sim.skyhook()).subscriptionCount === 0 ? true : undefined), 30_000);
    // eslint-disable-next-line no-console
    console.log(`subscriptions left after deactivation: ${(await sim.skyhook()).subscriptionCount}`);
  }, 600_000);

  it('without the proxy rule (MediaValet calls n8n directly) activation fails with the handshake error, and nothing is subscribed', async () => {
    const workflow = await eventsWorkflow('skyhook direct', { options: { publicUrl: `${n8n.url}/webhook/x/skyhook` } });
    // n8n 2.41 publishes through its outbox: the REST call may return before the trigger is
    // added, and a failed activation then turns the workflow off and shows the error.
    const refused = await activate(workflow).then(
      () => undefined,
      (e: Error) => e.message,
    );
    const message = refused ?? (await waitFor('the activation to fail', async () => n8n.log.split('\n').find((line) => /did not pass the CloudEvents handshake/.test(line)), 60_000));
    expect(message).toMatch(/handshake/i);
    expect(message).not.toContain(workflow.webhookId);
    expect((await sim.skyhook()).subscriptions.filter((s) => s.url.includes('/webhook/x/'))).toEqual([]);
    await deactivate(workflow).catch(() => undefined);
  });
});

describe('examples/n8n/new-upload-in-real-time-to-chat.json, imported byte for byte', () => {
  it('posts each new upload to the chat step once the workflow is active, and unsubscribes on deactivation', async () => {
    await sim.client({ client_id: 'n8n-skyhook-example', client_secret: DEMO.clientSecret, redirect_uris: [`${n8n.url}/rest/oauth2-credential/callback`], token_endpoint_auth_method: 'client_secret_post' });
    const account = await n8n.createCredential('MediaValet account', 'mediaValetOAuth2Api', oauth2CredentialFields(sim, DEMO, 'n8n-skyhook-example'));
    expect((await n8n.connectOAuth2(account.id, DEMO.users[0].username, DEMO.users[0].password)).ok).toBe(true);
    const bytes = fs.readFileSync(path.resolve(__dirname, '../../examples/n8n/new-upload-in-real-time-to-chat.json'));
    const workflow = await n8n.rest<{ id: string; versionId: string; nodes: Array<{ name: string; webhookId?: string; credentials?: Record<string, { id: string }> }> }>('POST', '/workflows', JSON.parse(bytes.toString('utf8')));
    const trigger = workflow.nodes.find((n) => n.name === 'New upload')!;
    expect(trigger.credentials?.mediaValetOAuth2Api.id).toBe(account.id);
    expect(trigger.webhookId).toMatch(/^[0-9a-f-]{36}$/);
    await activate(workflow);
    await waitFor('the example\'s subscription', async () => ((await sim.skyhook()).subscriptions.some((s) => s.url.includes(trigger.webhookId!)) ? true : undefined));
    const [assetId] = await uploadMany(1);
    const [run] = await waitFor('the example to run', async () => {
      const list = await executions(workflow.id, 'New upload');
      return list.length ? list : undefined;
    }, 60_000);
    expect(run.items).toEqual([expect.objectContaining({ assetId, asset: expect.objectContaining({ id: assetId, title: expect.any(String) }) })]);
    // The chat step ran with its body evaluated; only the placeholder host is unreachable here.
    expect(run.runData['Post to chat']).toHaveLength(1);
    const chat = run.runData['Post to chat'][0].error;
    expect(JSON.stringify(chat ?? run.runData['Post to chat'])).not.toMatch(/ExpressionError|invalid syntax/i);
    if (chat) expect(JSON.stringify(chat)).toMatch(/hooks\.example\.com|ENOTFOUND|EAI_AGAIN|getaddrinfo|connect|refused|404|405/i);
    await deactivate(workflow);
    await waitFor('no subscription left', async () => ((await sim.skyhook()).subscriptions.some((s) => s.url.includes(trigger.webhookId!)) ? undefined : true), 30_000);
    expect((await sim.skyhook()).subscriptionCount).toBe(0);
  });
});
