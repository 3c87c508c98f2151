// The MediaValet Events Trigger through n8n-core: activation subscribes (HookContext), the
// strict simulator delivers like Event Grid (handshake, one CloudEvent per POST, duplicates,
// any order) over real HTTP to the node's webhook (WebhookContext), deactivation unsubscribes.
import { randomUUID } from 'node:crypto';
import { SIM_LIBRARY_ID } from '../../simulator/index';
import type { Sim } from '../helpers/simulator';
import { latencySummary } from '../../bench/skyhook';
import type { TestCredentialsHelper } from './credentials-helper';
import { passwordCredentials } from './credentials';
import { loadList, runNode } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';
import { WebhookHost } from './webhook-host';

let sim: Sim;
let credentials: TestCredentialsHelper;
const hosts: WebhookHost[] = [];

beforeAll(async () => {
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.stop();
  await sim.settings({ skyhookRefusal: 0 });
  await sim.clearSkyhookSubscriptions();
});
afterAll(() => sim?.stop());

async function host(parameters: Record<string, unknown> = {}, options: ConstructorParameters<typeof WebhookHost>[2] = { options: 'node' }): Promise<WebhookHost> {
  const h = new WebhookHost(credentials, { authentication: 'password', events: ['Asset.MediaFileAdded'], fetchAsset: true, simplify: true, options: {}, ...parameters }, options);
  await h.start();
  hosts.push(h);
  return h;
}

async function upload(name: string): Promise<string> {
  const { items, error } = await runNode(
    credentials,
    { authentication: 'password', resource: 'upload', operation: 'uploadFile', binaryPropertyName: 'data', options: { title: name } },
    { input: [{ json: {}, binary: { data: { data: Buffer.from(`file ${name}`).toString('base64'), mimeType: 'text/plain', fileName: `${name}.txt` } } }] },
  );
  if (error) throw error;
  return items[0].json.id as string;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Deliveries the simulator has not finished (duplicates, retries) settle before counting. */
const settled = () => until('the simulator to finish delivering', async () => ((await sim.skyhook()).pending === 0 ? true : undefined), 20_000);

const post = (url: string, body: string, type = 'application/cloudevents+json; charset=utf-8') => fetch(url, { method: 'POST', headers: { 'content-type': type }, body });

const event = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  source: SIM_LIBRARY_ID,
  specversion: '1.0',
  type: 'Asset.KeywordsAdded',
  subject: '/library/x/assets/y',
  time: new Date().toISOString(),
  data: { LibraryId: SIM_LIBRARY_ID, AssetId: randomUUID() },
  ...overrides,
});

describe('MediaValet Events Trigger (SkyHOOK) in n8n-core', () => {
  it('subscribes on activation, emits each upload once despite duplicates, and leaves nothing after deactivation', async () => {
    const h = await host();
    expect(await h.activate()).toBe('created');
    const subscriptions = (await sim.skyhook()).subscriptions;
    expect(subscriptions.map((s) => [s.url, s.events])).toEqual([[h.webhookUrl, ['Asset.MediaFileAdded']]]);
    expect(h.state).toMatchObject({ subscriptionId: subscriptions[0].id, libraryId: SIM_LIBRARY_ID });
    // Activating again (n8n restarted, the workflow re-published) finds it: still one.
    expect(await h.activate()).toBe('existed');
    expect((await sim.skyhook()).subscriptionCount).toBe(1);

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await upload(`events-${i}`));
    await until('six events', () => (h.items().length >= 6 ? true : undefined), 40_000);
    await settled();
    const items = h.items();
    expect(items.map((i) => i.assetId).sort()).toEqual([...ids].sort());
    for (const item of items) {
      expect(item.event).toMatchObject({ type: 'Asset.MediaFileAdded', source: SIM_LIBRARY_ID });
      // Fetch Asset + Simplify: the compact record.
      expect(item.asset).toMatchObject({ id: item.assetId, title: expect.stringMatching(/^events-\d$/) });
    }
    const log = (await sim.skyhook()).deliveries.filter((d) => d.outcome === 'delivered');
    const duplicates = log.filter((d) => d.duplicate).length;
    // The strict profile sends duplicates; each event was emitted once all the same.
    expect(duplicates).toBeGreaterThan(0);
    expect(new Set(items.map((i) => (i.event as { id: string }).id)).size).toBe(items.length);
    expect((h.state.seen as string[]).length).toBe(6);
    const latency = latencySummary(h.emitted.map((e) => e.at - log.find((d) => d.eventId === (e.items[0].json.event as { id: string }).id)!.raisedAt));
    // eslint-disable-next-line no-console
    console.log(`n8n-core SkyHOOK: ${log.length} deliveries (${duplicates} duplicates), ${items.length} emitted; event->output ${JSON.stringify(latency)}`);

    expect(await h.deactivate()).toBe(true);
    expect((await sim.skyhook()).subscriptionCount).toBe(0);
    expect(h.state.subscriptionId).toBeUndefined();
  }, 90_000);

  it('answers 400 to a body that is not a CloudEvent, 413 above the limit, and drops events of another library', async () => {
    const h = await host();
    expect((await post(h.webhookUrl, 'not json')).status).toBe(400);
    expect((await post(h.webhookUrl, JSON.stringify({ hello: 'world' }))).status).toBe(400);
    expect((await post(h.webhookUrl, JSON.stringify(event({ specversion: '0.3' })))).status).toBe(400);
    expect((await post(h.webhookUrl, JSON.stringify(event({ data: { pad: 'x'.repeat(1024 * 1024 + 10) } })))).status).toBe(413);
    const foreign = event({ source: randomUUID() });
    expect((await post(h.webhookUrl, JSON.stringify(foreign))).status).toBe(200);
    expect(h.emitted).toEqual([]);
    // One of ours, twice (an Event Grid retry): one item.
    const ours = event();
    expect((await post(h.webhookUrl, JSON.stringify(ours))).status).toBe(200);
    expect((await post(h.webhookUrl, JSON.stringify(ours))).status).toBe(200);
    expect(h.items().map((i) => (i.event as { id: string }).id)).toEqual([ours.id]);
    // The asset is gone (or never was): asset null, not a failure.
    expect(h.items()[0].asset).toBeNull();
  });

  it('two copies of one event at the same moment still run the workflow once', async () => {
    const h = await host({ fetchAsset: false });
    const body = JSON.stringify(event());
    const statuses = await Promise.all([post(h.webhookUrl, body), post(h.webhookUrl, body), post(h.webhookUrl, body)]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.items()).toHaveLength(1);
  });

  it('remembers handled events across a restart (the window is in the workflow\'s static data)', async () => {
    const first = await host({ fetchAsset: false });
    const delivered = event();
    await post(first.webhookUrl, JSON.stringify(delivered));
    expect(first.items()).toHaveLength(1);
    // A new process: nothing in memory, the static data as n8n's database kept it.
    const restarted = await host({ fetchAsset: false }, { options: 'node', staticData: first.stored, webhookId: first.node.webhookId, workflowId: `${first.workflowId}-restarted` });
    expect((await post(restarted.webhookUrl, JSON.stringify(delivered))).status).toBe(200);
    expect(restarted.items()).toEqual([]);
    const next = event();
    await post(restarted.webhookUrl, JSON.stringify(next));
    expect(restarted.items().map((i) => (i.event as { id: string }).id)).toEqual([next.id]);
  });

  it('answers 500 when the asset cannot be read, so the redelivery is handled rather than dropped as a duplicate', async () => {
    const h = await host();
    const assetId = await upload('events-retry');
    const body = JSON.stringify(event({ type: 'Asset.MediaFileAdded', data: { LibraryId: SIM_LIBRARY_ID, AssetId: assetId } }));
    await sim.faults({ server: 'api', method: 'GET', path: `^/assets/${assetId}`, status: 400, body: { message: 'refused for the test' }, times: 1 });
    try {
      expect((await post(h.webhookUrl, body)).status).toBe(500);
    } finally {
      await sim.clearFaults();
    }
    expect(h.emitted).toEqual([]);
    expect((await post(h.webhookUrl, body)).status).toBe(200);
    expect(h.items().map((i) => i.assetId)).toEqual([assetId]);
  });

  it('one item per asset for Category.AssetsAssigned', async () => {
    const h = await host({ events: ['Category.AssetsAssigned'], fetchAsset: false });
    const assets = [randomUUID(), randomUUID(), randomUUID()];
    await post(h.webhookUrl, JSON.stringify(event({ type: 'Category.AssetsAssigned', data: { LibraryId: SIM_LIBRARY_ID, AssetIds: assets, CategoryId: randomUUID() } })));
    expect(h.items().map((i) => i.assetId)).toEqual(assets);
    expect(h.items()[0]).not.toHaveProperty('asset');
  });

  it('on plain n8n (OPTIONS answered with a bare 204) activation fails and says to add the proxy rule, without the URL', async () => {
    const h = await host({}, { options: 'n8n' });
    const error = await h.activate().then(
      () => undefined,
      (e: { message: string; description?: string }) => e,
    );
    expect(error?.message).toMatch(/handshake/i);
    expect(error?.description).toMatch(/reverse-proxy rule from the README/);
    expect(JSON.stringify(error)).not.toContain(h.node.webhookId!);
    expect((await sim.skyhook()).subscriptionCount).toBe(0);
  });

  it('says SkyHOOK needs the Enterprise plan and points to polling when MediaValet refuses it', async () => {
    await sim.settings({ skyhookRefusal: 403 });
    const h = await host();
    await expect(h.activate()).rejects.toMatchObject({ description: expect.stringMatching(/Enterprise plan.*polling/s) });
    // The event picker still offers the documented types.
    const list = (await loadList(credentials, 'loadOptions', 'getSkyhookEvents', { authentication: 'password' }, undefined, 'mediaValetEventsTrigger')) as Array<{ value: string }>;
    expect(list.map((o) => o.value)).toContain('Asset.MediaFileAdded');
    expect(list).toHaveLength(8);
  });

  it('subscribes the Public URL instead of the Production URL when one is set, and removes it on deactivation', async () => {
    const h = await host({ fetchAsset: false });
    // A relay's address for this node: here the same host, under a URL of its own.
    const publicUrl = `${h.webhookUrl}?via=relay`;
    h.node.parameters.options = { publicUrl };
    expect(await h.activate()).toBe('created');
    expect((await sim.skyhook()).subscriptions.map((s) => s.url)).toEqual([publicUrl]);
    const raised = await sim.raiseSkyhookEvent('Asset.MediaFileAdded', { AssetId: randomUUID() });
    await until('the event through the Public URL', () => (h.items().length ? true : undefined));
    expect((h.items()[0].event as { id: string }).id).toBe(raised.id);
    expect(await h.deactivate()).toBe(true);
    expect((await sim.skyhook()).subscriptionCount).toBe(0);
  });

  it('refuses a Public URL that is no http(s) URL, naming the field and not echoing it', async () => {
    const h = await host({ options: { publicUrl: 'ftp://user:secret-value@relay.example.com/x' } });
    const error = await h.activate().then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/Public URL/);
    expect(JSON.stringify(error)).not.toContain('secret-value');
  });

  it('lists the event types MediaValet offers', async () => {
    const list = (await loadList(credentials, 'loadOptions', 'getSkyhookEvents', { authentication: 'password' }, undefined, 'mediaValetEventsTrigger')) as Array<{ name: string; value: string; description: string }>;
    expect(list.map((o) => o.value)).toEqual(expect.arrayContaining(['Asset.MediaFileAdded', 'Category.AssetsAssigned']));
    expect(list.find((o) => o.value === 'Asset.MediaFileAdded')).toMatchObject({ name: 'Asset: Media File Added', description: expect.stringMatching(/uploaded/) });
  });
});
