// SkyHOOK subscriptions and event outputs from core, against the simulator on both profiles:
// the create answer's id read when there is one and found in the list when not (strict: empty
// text/plain), clear errors for an account without SkyHOOK and for a URL that fails the
// handshake (never naming the URL and its secret), and what a trigger emits per event.
import { accountLibraryId, createSubscription, deleteSubscription, EventIdWindow, eventOutputs, findSubscriptions, fromLibrary, listSkyhookEventTypes, listSubscriptions, readDelivery, SKYHOOK_EVENT_TYPES, uploadAsset } from '../../core';
import { SEED_IDS, SIM_LIBRARY_ID } from '../../simulator/index';
import { caught, PROFILE_NAMES, type Sim, simulatorOn } from '../helpers/simulator';
import { eventLatencies, type Receiver, startReceiver } from '../helpers/skyhook';

describe.each(PROFILE_NAMES)('SkyHOOK subscriptions on the %s profile', (profile) => {
  let sim!: Sim;
  let receiver: Receiver | undefined;
  simulatorOn(profile, {}, (s) => (sim = s));
  beforeEach(async () => {
    await sim.settings({ skyhookRetryScale: 0.01 });
    await sim.clearSkyhookSubscriptions();
  });
  afterEach(() => receiver?.close());

  it('lists the event types MediaValet offers', async () => {
    const { client } = await sim.connect();
    const types = await listSkyhookEventTypes(client);
    expect(types.map((t) => t.name).sort()).toEqual([...SKYHOOK_EVENT_TYPES].sort());
    expect(types[0].description).toEqual(expect.any(String));
  });

  it('creates, finds and deletes a subscription; deleting it twice is fine', async () => {
    receiver = await startReceiver();
    const { client } = await sim.connect();
    const { id } = await createSubscription(client, receiver.url, ['Asset.MediaFileAdded', 'Asset.KeywordsAdded', 'Asset.MediaFileAdded']);
    const [listed] = (await sim.skyhook()).subscriptions;
    expect(id).toBe(listed.id);
    expect(listed.events).toEqual(['Asset.MediaFileAdded', 'Asset.KeywordsAdded']);
    expect(await findSubscriptions(client, receiver.url)).toEqual([{ id, url: receiver.url, events: ['Asset.MediaFileAdded', 'Asset.KeywordsAdded'] }]);
    expect(await findSubscriptions(client, `${receiver.url}x`)).toEqual([]);
    await deleteSubscription(client, id);
    expect((await sim.state()).skyhook.subscriptions).toBe(0);
    await deleteSubscription(client, id);
    expect(await listSubscriptions(client)).toEqual([]);
  });

  it('returns the new subscription when others already deliver to the same URL', async () => {
    receiver = await startReceiver();
    const { client } = await sim.connect();
    const first = await createSubscription(client, receiver.url, ['Asset.MediaFileAdded']);
    const second = await createSubscription(client, receiver.url, ['Asset.StatusUpdated']);
    expect(second.id).not.toBe(first.id);
    expect((await findSubscriptions(client, receiver.url)).find((s) => s.id === second.id)?.events).toEqual(['Asset.StatusUpdated']);
  });

  it.each(['bare204', 'bare200'] as const)('says the URL must answer the handshake when it gets a %s, without naming the URL', async (handshake) => {
    receiver = await startReceiver({ handshake });
    const { client } = await sim.connect();
    const error = await caught(() => createSubscription(client, receiver!.url, ['Asset.MediaFileAdded']));
    expect(error).toMatchObject({ code: 'handshake_failed', kind: 'terminal', status: 400 });
    expect(error.describe()).toMatch(/CloudEvents handshake/);
    expect(error.describe()).toMatch(/WebHook-Allowed-Origin/);
    expect(error.describe()).toMatch(/reverse-proxy rule/);
    const secret = new URL(receiver.url).pathname.split('/').pop()!;
    for (const text of [error.message, error.serverMessage, error.hint, error.stack, JSON.stringify(error)]) expect(String(text)).not.toContain(secret);
    expect((await sim.state()).skyhook.subscriptions).toBe(0);
  });

  it.each([401, 403, 404])('says SkyHOOK needs the Enterprise plan when /skyhook answers %s, and points to polling', async (status) => {
    await sim.settings({ skyhookRefusal: status });
    receiver = await startReceiver();
    const { client } = await sim.connect();
    for (const call of [() => listSkyhookEventTypes(client), () => createSubscription(client, receiver!.url, ['Asset.MediaFileAdded']), () => listSubscriptions(client)]) {
      const error = await caught(call);
      expect(error).toMatchObject({ code: 'skyhook_unavailable', kind: 'terminal', status });
      expect(error.describe()).toMatch(/Enterprise plan/);
      expect(error.describe()).toMatch(/polling mode/);
      expect(error.describe()).toMatch(/not enabled for this account/);
    }
    expect(receiver.handshakes).toBe(0);
  });

  it('refuses an empty event list before calling MediaValet', async () => {
    const { client } = await sim.connect();
    expect(await caught(() => createSubscription(client, 'http://127.0.0.1:9/x', [' ']))).toMatchObject({ code: 'bad_request', field: 'events' });
    expect((await sim.state()).api.byRoute['POST /skyhook/subscriptions']).toBeUndefined();
  });

  it('learns the library id from the current user', async () => {
    const { client } = await sim.connect();
    expect(await accountLibraryId(client)).toBe(SIM_LIBRARY_ID);
  });
});

describe('eventOutputs', () => {
  let sim!: Sim;
  simulatorOn('strict', {}, (s) => (sim = s));
  const event = (type: string, data: Record<string, unknown>) => readDelivery({ id: `e-${Math.random()}`, source: SIM_LIBRARY_ID, type, specversion: '1.0', time: '2026-12-05T01:00:00Z', data: { LibraryId: SIM_LIBRARY_ID, ...data } }, undefined)[0];

  it('emits the event alone unless the asset is asked for', async () => {
    const { client } = await sim.connect();
    const e = event('Asset.KeywordsAdded', { AssetId: SEED_IDS.firstAsset, Keywords: ['a'] });
    expect(await eventOutputs(client, e, { fetchAsset: false, simplify: true })).toEqual([
      { event: { id: e.id, type: 'Asset.KeywordsAdded', time: '2026-12-05T01:00:00Z', subject: null, source: SIM_LIBRARY_ID }, assetId: SEED_IDS.firstAsset, data: e.data },
    ]);
    expect((await sim.state()).api.byRoute[`GET /assets/:id`]).toBeUndefined();
  });

  it('adds the compact asset with Simplify, the whole record without', async () => {
    const { client } = await sim.connect();
    const e = event('Asset.MediaFileAdded', { AssetId: SEED_IDS.firstAsset });
    const [compact] = await eventOutputs(client, e, { fetchAsset: true, simplify: true });
    expect(compact.asset).toMatchObject({ id: SEED_IDS.firstAsset, fileName: expect.any(String), keywords: expect.any(Array), linksExpireAt: expect.any(String) });
    expect(compact.asset).not.toHaveProperty('record');
    const [whole] = await eventOutputs(client, e, { fetchAsset: true, simplify: false });
    expect(whole.asset).toMatchObject({ id: SEED_IDS.firstAsset, record: expect.any(Object), media: expect.any(Object) });
  });

  it('emits one record per asset of a category assignment; a deleted asset gives asset null', async () => {
    const { client } = await sim.connect();
    const gone = '10000000-0000-4000-8000-00000000dead';
    const e = event('Category.AssetsAssigned', { AssetIds: [SEED_IDS.firstAsset, gone], CategoryId: SEED_IDS.categories.brand });
    const out = await eventOutputs(client, e, { fetchAsset: true, simplify: true });
    expect(out.map((o) => o.assetId)).toEqual([SEED_IDS.firstAsset, gone]);
    expect(out[0].asset).toMatchObject({ id: SEED_IDS.firstAsset });
    expect(out[1].asset).toBeNull();
  });

  it('emits one record without an asset for an event that names none', async () => {
    const { client } = await sim.connect();
    const out = await eventOutputs(client, event('Asset.StatusUpdated', {}), { fetchAsset: true, simplify: true });
    expect(out).toEqual([expect.objectContaining({ assetId: null, data: { LibraryId: SIM_LIBRARY_ID } })]);
    expect(out[0]).not.toHaveProperty('asset');
  });
});

describe('SkyHOOK end to end through core (strict: duplicates, reordering)', () => {
  let sim!: Sim;
  let receiver: Receiver | undefined;
  simulatorOn('strict', {}, (s) => (sim = s));
  afterAll(() => receiver?.close());

  it('emits every upload exactly once despite duplicate deliveries, from the library only', async () => {
    receiver = await startReceiver();
    const { client } = await sim.connect();
    const library = await accountLibraryId(client);
    const { id } = await createSubscription(client, receiver.url, ['Asset.MediaFileAdded']);
    const window = new EventIdWindow(undefined, 100);
    const uploads = 6;
    const uploaded: string[] = [];
    for (let i = 0; i < uploads; i++) uploaded.push((await uploadAsset(client, { filename: `e2e-${i}.png`, data: Buffer.from(`file ${i}`) })).id);
    // Every 3rd event comes twice on strict.
    await receiver.waitFor(uploads + 1);
    await new Promise((r) => setTimeout(r, 300));
    const duplicates = (await sim.skyhook()).deliveries.filter((d) => d.duplicate && d.outcome === 'delivered').length;
    const emitted: string[] = [];
    for (const delivery of receiver.received) {
      for (const e of readDelivery(Buffer.from(delivery.body), delivery.headers['content-type'])) {
        if (!fromLibrary(e, library) || !window.firstTime(e.id)) continue;
        for (const out of await eventOutputs(client, e, { fetchAsset: false, simplify: true })) emitted.push(String(out.assetId));
      }
    }
    expect(duplicates).toBeGreaterThan(0);
    expect(receiver.received).toHaveLength(uploads + duplicates);
    expect(emitted.sort()).toEqual([...uploaded].sort());
    // Raised -> delivered, as the simulator measured it (figures for the notes come from the e2e).
    const latency = eventLatencies(await sim.skyhook());
    expect(latency.count).toBe(uploads);
    expect(latency.medianMs).toBeGreaterThanOrEqual(0);
    await deleteSubscription(client, id);
    expect((await sim.state()).skyhook.subscriptions).toBe(0);
  });
});
