// The simulator's SkyHOOK behaves like MediaValet over Azure Event Grid: the handshake before a
// subscription exists (a bare 2xx refuses), one CloudEvent per POST, retries on the (compressed)
// schedule, no retry after 400/401/413, duplicates and reordering on the strict profile, and
// events raised by the library's own changes. Real HTTP both ways.
import { readDelivery } from '../core';
import { SEED_IDS, SIM_LIBRARY_ID } from '../simulator/index';
import { caught, Sim, simulatorOn } from './helpers/simulator';
import { type Receiver, startReceiver } from './helpers/skyhook';

const SCALE = 0.01; // 10 s -> 100 ms, 30 s -> 300 ms
const subscribe = (url: string, events: string[]) => ({ Events: events.map((Name) => ({ Name })), Type: 'webhook', Data: { webhook: url } });

describe('SkyHOOK on the strict simulator', () => {
  let sim!: Sim;
  let receiver: Receiver | undefined;
  simulatorOn('strict', { skyhookRetryScale: SCALE }, (s) => (sim = s));
  beforeEach(async () => {
    await sim.settings({ skyhookRetryScale: SCALE });
    await sim.clearSkyhookSubscriptions();
    await sim.clearSkyhookLog();
  });
  afterEach(() => receiver?.close());

  async function subscribed(events: string[], statuses?: number[]) {
    receiver = await startReceiver({ statuses });
    const { client } = await sim.connect();
    const answer = await client.request({ method: 'POST', path: '/skyhook/subscriptions', body: subscribe(receiver.url, events), responseType: 'buffer' });
    return { client, answer };
  }

  it('lists the eight event types in PascalCase', async () => {
    const { client } = await sim.connect();
    const { payload } = await client.request<Array<Record<string, string>>>({ method: 'GET', path: '/skyhook/events' });
    expect(payload.map((e) => e.Name)).toEqual(expect.arrayContaining(['Asset.MediaFileAdded', 'Category.AssetsAssigned', 'Asset.VideoRenditionsAdded']));
    expect(payload).toHaveLength(8);
  });

  it('answers a create with an empty text/plain 200, after the handshake; the list has it', async () => {
    const { client, answer } = await subscribed(['Asset.MediaFileAdded']);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect((answer.payload as unknown as Buffer).length).toBe(0);
    expect(receiver!.handshakes).toBe(1);
    const { payload } = await client.request<Array<Record<string, any>>>({ method: 'GET', path: '/skyhook/subscriptions/list' });
    expect(payload).toEqual([expect.objectContaining({ Id: expect.any(String), Type: 'webhook', Events: [{ Name: 'Asset.MediaFileAdded' }], Data: { webhook: receiver!.url } })]);
    expect((await sim.state()).skyhook.subscriptions).toBe(1);
  });

  it.each(['bare204', 'bare200'] as const)('refuses the subscription when the handshake gets a %s', async (handshake) => {
    receiver = await startReceiver({ handshake });
    const { client } = await sim.connect();
    const error = await caught(() => client.request({ method: 'POST', path: '/skyhook/subscriptions', body: subscribe(receiver!.url, ['Asset.MediaFileAdded']) }));
    expect(error).toMatchObject({ status: 400, serverMessage: expect.stringMatching(/Webhook validation handshake failed/) });
    expect(receiver.handshakes).toBe(1);
    expect((await sim.skyhook()).subscriptionCount).toBe(0);
  });

  it('refuses unknown event types and a body without Type webhook', async () => {
    receiver = await startReceiver();
    const { client } = await sim.connect();
    expect(await caught(() => client.request({ method: 'POST', path: '/skyhook/subscriptions', body: subscribe(receiver!.url, ['Asset.Teleported']) }))).toMatchObject({ status: 400, serverMessage: expect.stringMatching(/unknown event type/) });
    expect(await caught(() => client.request({ method: 'POST', path: '/skyhook/subscriptions', body: { ...subscribe(receiver!.url, ['Asset.MediaFileAdded']), Type: 'queue' } }))).toMatchObject({ status: 400 });
    expect(receiver.handshakes).toBe(0);
  });

  it('delivers an upload as one CloudEvent 1.0 per POST, with Event Grid headers', async () => {
    await subscribed(['Asset.MediaFileAdded']);
    const { client } = await sim.connect();
    const { uploadAsset } = await import('../core');
    const uploaded = await uploadAsset(client, { filename: 'sky.png', data: Buffer.from('not really a png'), title: 'Sky' });
    const [delivery] = await receiver!.waitFor(1);
    expect(delivery.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(delivery.headers['aeg-delivery-count']).toBe('0');
    expect(delivery.headers.origin).toBe('eventgrid.azure.net');
    const [event] = readDelivery(delivery.body, delivery.headers['content-type']);
    expect(event).toMatchObject({ type: 'Asset.MediaFileAdded', source: SIM_LIBRARY_ID, specversion: '1.0', data: { AssetId: uploaded.id, LibraryId: SIM_LIBRARY_ID, FileName: 'sky.png', Reason: 'FromUploadProcess' } });
    expect(event.subject).toBe(`/library/${SIM_LIBRARY_ID}/assets/${uploaded.id}/MediaFile.FromUploadProcess`);
    expect(Array.isArray(JSON.parse(delivery.body))).toBe(false);
  });

  it('raises keyword, attribute and category events from the library\'s own changes, only of the types subscribed', async () => {
    await subscribed(['Asset.KeywordsAdded', 'Asset.KeywordRemoved', 'Asset.AttributesAdded', 'Category.AssetsAssigned', 'Category.AssetUnassigned']);
    const { client } = await sim.connect();
    const { addKeywords, removeKeywords, addCategories, removeCategories, updateAsset } = await import('../core');
    const id = SEED_IDS.firstAsset;
    await addKeywords(client, id, ['skyhook-test']);
    await removeKeywords(client, id, ['skyhook-test']);
    await updateAsset(client, id, { attributes: { [SEED_IDS.attributes.sku]: 'SKU-1' }, title: 'no event for a title' });
    await addCategories(client, id, [SEED_IDS.categories.brand]);
    await removeCategories(client, id, [SEED_IDS.categories.brand]);
    const got = await receiver!.waitFor(5);
    await new Promise((r) => setTimeout(r, 300));
    const events = receiver!.received.map((r) => readDelivery(r.body, undefined)[0]);
    const byType = new Map(events.map((e) => [e.type, e]));
    expect([...byType.keys()].sort()).toEqual(['Asset.AttributesAdded', 'Asset.KeywordRemoved', 'Asset.KeywordsAdded', 'Category.AssetUnassigned', 'Category.AssetsAssigned']);
    expect(byType.get('Category.AssetsAssigned')!.data).toMatchObject({ AssetIds: [id], CategoryId: SEED_IDS.categories.brand, LibraryId: SIM_LIBRARY_ID });
    expect(byType.get('Category.AssetUnassigned')!.data).toMatchObject({ AssetId: id, CategoryId: SEED_IDS.categories.brand });
    expect(byType.get('Asset.KeywordsAdded')!.data).toMatchObject({ AssetId: id, Keywords: ['skyhook-test'] });
    expect(got.length).toBeGreaterThanOrEqual(5);
  });

  it('sends every third event twice and a burst in reverse order', async () => {
    await subscribed(['Asset.StatusUpdated']);
    const before = (await sim.skyhook()).raised;
    const raised = await sim.raiseSkyhookEvents(Array.from({ length: 6 }, (_, i) => ({ type: 'Asset.StatusUpdated', data: { AssetId: `a${i}`, Status: 'Approved' } })));
    const duplicates = raised.filter((_, i) => (before + i + 1) % 3 === 0).length;
    await receiver!.waitFor(6 + duplicates);
    await new Promise((r) => setTimeout(r, 200));
    const ids = receiver!.received.map((r) => JSON.parse(r.body).id as string);
    expect(ids).toHaveLength(6 + duplicates);
    expect(new Set(ids).size).toBe(6);
    expect(ids.slice(0, 6)).toEqual(raised.map((e) => e.id).reverse());
    const log = (await sim.skyhook()).deliveries;
    expect(log.filter((d) => d.duplicate)).toHaveLength(duplicates);
  });

  it('retries on the scaled schedule until delivered, counting tries in aeg-delivery-count', async () => {
    await subscribed(['Asset.StatusUpdated'], [503, 500, 200]);
    await sim.settings({ skyhookDuplicateEvery: 0 });
    const event = await sim.raiseSkyhookEvent('Asset.StatusUpdated', { AssetId: 'x', Status: 'Approved' });
    const got = await receiver!.waitFor(3);
    expect(got.map((r) => r.headers['aeg-delivery-count'])).toEqual(['0', '1', '2']);
    // 10 s and 30 s, scaled by 0.01 (timers may run late, never early).
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(95);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(295);
    const log = (await sim.skyhook()).deliveries.filter((d) => d.eventId === event.id);
    expect(log.map((d) => [d.attempt, d.status, d.outcome])).toEqual([
      [1, 503, 'retry'],
      [2, 500, 'retry'],
      [3, 200, 'delivered'],
    ]);
  });

  it.each([400, 401, 413])('does not retry a %s', async (status) => {
    await subscribed(['Asset.StatusUpdated'], [status, 200]);
    await sim.settings({ skyhookDuplicateEvery: 0 });
    const event = await sim.raiseSkyhookEvent('Asset.StatusUpdated', { AssetId: 'x' });
    await receiver!.waitFor(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver!.received).toHaveLength(1);
    expect((await sim.skyhook()).deliveries.filter((d) => d.eventId === event.id).map((d) => d.outcome)).toEqual(['dropped']);
  });

  it('stops delivering once the subscription is deleted; a second delete is 404', async () => {
    const { client } = await subscribed(['Asset.StatusUpdated'], [503]);
    await sim.settings({ skyhookDuplicateEvery: 0 });
    await sim.raiseSkyhookEvent('Asset.StatusUpdated', { AssetId: 'x' });
    await receiver!.waitFor(1);
    const [s] = (await sim.skyhook()).subscriptions;
    await client.request({ method: 'DELETE', path: `/skyhook/subscriptions/${s.id}` });
    expect((await sim.state()).skyhook.subscriptions).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver!.received).toHaveLength(1);
    expect((await sim.skyhook()).deliveries.map((d) => d.outcome)).toEqual(['retry', 'cancelled']);
    expect(await caught(() => client.request({ method: 'DELETE', path: `/skyhook/subscriptions/${s.id}` }))).toMatchObject({ status: 404 });
  });

  it.each([403, 404])('answers %s on /skyhook for an account without SkyHOOK', async (status) => {
    await sim.settings({ skyhookRefusal: status });
    const { client } = await sim.connect();
    expect(await caught(() => client.request({ method: 'GET', path: '/skyhook/events' }))).toMatchObject({ status, serverMessage: expect.stringMatching(/Enterprise/) });
  });
});

describe('SkyHOOK on the lenient simulator', () => {
  let sim!: Sim;
  let receiver: Receiver | undefined;
  simulatorOn('lenient', {}, (s) => (sim = s));
  afterEach(() => receiver?.close());

  it('answers a create with the subscription id, lists camelCase, updates with PUT', async () => {
    receiver = await startReceiver();
    const { client } = await sim.connect();
    const created = await client.request<{ SubscriptionId: string }>({ method: 'POST', path: '/skyhook/subscriptions', body: subscribe(receiver.url, ['Asset.MediaFileAdded']) });
    const id = created.payload.SubscriptionId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await client.request({ method: 'PUT', path: `/skyhook/subscriptions/${id}`, body: subscribe(receiver.url, ['Asset.StatusUpdated', 'Asset.KeywordsAdded']) });
    const { payload } = await client.request<Array<Record<string, any>>>({ method: 'GET', path: '/skyhook/subscriptions/list' });
    expect(payload).toEqual([expect.objectContaining({ id, events: [{ name: 'Asset.StatusUpdated' }, { name: 'Asset.KeywordsAdded' }], data: { webhook: receiver.url } })]);
    // In order and once each.
    const raised = await sim.raiseSkyhookEvents([1, 2, 3].map((n) => ({ type: 'Asset.KeywordsAdded', data: { AssetId: `a${n}` } })));
    await receiver.waitFor(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received.map((r) => JSON.parse(r.body).id)).toEqual(raised.map((e) => e.id));
    await client.request({ method: 'DELETE', path: `/skyhook/subscriptions/${id}` });
  });
});
