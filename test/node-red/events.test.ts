// mv events in a real Node-RED 4.1 started from its CLI (the dev dependency), with the node
// loaded from dist/, against the simulator's SkyHOOK (strict profile): subscriptions,
// the CloudEvents handshake despite Node-RED's own OPTIONS handling (default settings, where
// the admin API's CORS answers every OPTIONS, and with httpNodeCors), deliveries, duplicates,
// restarts and undeploy. Messages leave Node-RED over HTTP to a collector in the test.
import fs from 'node:fs';
import path from 'node:path';
import { SEED_IDS, SIM_LIBRARY_ID } from '../../simulator/index';
import { freePort, ROOT } from '../e2e/env';
import { NodeRedProcess } from '../e2e/node-red-runtime';
import { CE_TYPE, cloudEvent, eventsFlow, newSecret, startCollector } from '../helpers/node-red-events';
import { Sim } from '../helpers/simulator';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

jest.setTimeout(90_000);

const variants = [
  { name: 'default settings (admin and node roots both /)', extra: undefined },
  { name: 'httpNodeCors set', extra: "httpNodeCors: { origin: '*', methods: 'GET,PUT,POST,DELETE' }" },
];

describe.each(variants)('mv events on Node-RED 4.1, $name', ({ extra }) => {
  let sim: Sim;
  let red: NodeRedProcess;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  const secret = newSecret();
  const hook = () => `${red.url}/mediavalet/events/${secret}`;
  const deploy = (events: Record<string, unknown> = {}) => red.deploy(eventsFlow(sim, collector.url, { publicUrl: red.url, ...events }, secret));
  const subscriptions = async () => (await sim.skyhook()).subscriptions;
  /** Waits for the one subscription of the node's URL to `events`, and for the node's route to answer. */
  const subscribed = async (events = ['Asset.MediaFileAdded']) => {
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const subs = await subscriptions();
      if (subs.length === 1 && subs[0].url === hook() && JSON.stringify(subs[0].events) === JSON.stringify(events)) {
        const handshake = await fetch(hook(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
        if (handshake.headers.get('webhook-allowed-origin')) return subs;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`expected one subscription to ${events} for the node's URL, have ${JSON.stringify((await subscriptions()).map((s) => s.events))}\n${red.log.slice(-3000)}`);
  };

  beforeAll(async () => {
    sim = await Sim.start();
    collector = await startCollector();
    const userDir = NodeRedProcess.prepare({ extra, nodesDir: path.join(ROOT, 'dist/node-red') });
    red = new NodeRedProcess(process.execPath, require.resolve('node-red/red.js', { paths: [ROOT] }), userDir, await freePort());
    await red.start();
  });
  afterAll(async () => {
    await red?.stop();
    // The secret is in the webhook URL: it must not be in Node-RED's log.
    expect(red.log).not.toContain(secret);
    record('node-red log', red.log);
    await collector?.close();
    await sim?.stop();
  });
  beforeEach(() => collector.clear());

  it("Node-RED's own OPTIONS handling refuses the handshake on any other path (the trap the node gets round)", async () => {
    const response = await fetch(`${red.url}/some-http-in-path`, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net', Origin: 'https://x.example' } });
    expect(response.headers.get('webhook-allowed-origin')).toBeNull();
    // Node-RED 4.1 answers it itself (admin CORS, or httpNodeCors): a bare 204, which Event Grid takes as refusal.
    expect(response.status).toBe(204);
  });

  it('subscribes on deploy, passing the handshake, and sends one message per upload event', async () => {
    await deploy();
    const [sub] = await subscribed();
    expect(sub.events).toEqual(['Asset.MediaFileAdded']);
    const handshake = await fetch(hook(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net', 'WebHook-Request-Rate': '120' } });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    expect(handshake.headers.get('webhook-allowed-rate')).toBe('*');

    const raised = await sim.raiseSkyhookEvent('Asset.MediaFileAdded', { AssetId: SEED_IDS.firstAsset, FileName: 'first.png' });
    await collector.until('the event', (got) => got.some((c) => c.msg.event?.id === raised.id));
    const [msg] = collector.messages().map((c) => c.msg);
    expect(msg).toMatchObject({ topic: 'Asset.MediaFileAdded', assetId: SEED_IDS.firstAsset, event: { id: raised.id, type: 'Asset.MediaFileAdded', source: SIM_LIBRARY_ID } });
    expect(msg.payload).toMatchObject({ AssetId: SEED_IDS.firstAsset, FileName: 'first.png' });
    // An event type not subscribed to is not delivered at all.
    await sim.raiseSkyhookEvent('Asset.KeywordsAdded', { AssetId: SEED_IDS.firstAsset });
    const after = await sim.raiseSkyhookEvent('Asset.MediaFileAdded', { AssetId: SEED_IDS.firstAsset });
    await collector.until('the second event', (got) => got.some((c) => c.msg.event?.id === after.id));
    expect(collector.messages().map((c) => c.msg.topic)).toEqual(['Asset.MediaFileAdded', 'Asset.MediaFileAdded']);
  });

  it('sends an event delivered twice once, also when both copies arrive together', async () => {
    await sim.settings({ skyhookDuplicateEvery: 1 } as never);
    try {
      await sim.clearSkyhookLog();
      const raised = await sim.raiseSkyhookEvent('Asset.MediaFileAdded', { AssetId: SEED_IDS.firstAsset });
      await collector.until('the event', (got) => got.some((c) => c.msg.event?.id === raised.id));
      // Both copies answered 200 (delivered), one message.
      const end = Date.now() + 10_000;
      while ((await sim.skyhook()).deliveries.filter((d) => d.eventId === raised.id && d.outcome === 'delivered').length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect((await sim.skyhook()).deliveries.filter((d) => d.eventId === raised.id).map((d) => [d.status, d.outcome])).toEqual([
        [200, 'delivered'],
        [200, 'delivered'],
      ]);
      // Two copies posted at once by hand: one message.
      const event = cloudEvent(SIM_LIBRARY_ID);
      const answers = await Promise.all([1, 2].map(() => fetch(hook(), { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(event) })));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      await collector.until('the hand-made event', (got) => got.some((c) => c.msg.event?.id === event.id));
      await new Promise((r) => setTimeout(r, 500));
      expect(collector.messages().filter((c) => c.msg.event.id === raised.id)).toHaveLength(1);
      expect(collector.messages().filter((c) => c.msg.event.id === event.id)).toHaveLength(1);
    } finally {
      await sim.settings({ profile: 'strict' } as never);
    }
  });

  it('answers 400 to a body that is no CloudEvent, 413 above the limit, 404 to a wrong secret, and ignores another library', async () => {
    const notEvent = await fetch(hook(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'world' }) });
    expect(notEvent.status).toBe(400);
    expect(await notEvent.text()).toMatch(/not a CloudEvents 1\.0 delivery/);
    const big = await fetch(hook(), { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(cloudEvent(SIM_LIBRARY_ID, { data: { pad: 'x'.repeat(1024 * 1024 + 10) } })) });
    expect(big.status).toBe(413);
    const wrong = await fetch(`${red.url}/mediavalet/events/${newSecret()}`, { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(cloudEvent(SIM_LIBRARY_ID)) });
    expect(wrong.status).toBe(404);
    const wrongHandshake = await fetch(`${red.url}/mediavalet/events/${newSecret()}`, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect(wrongHandshake.headers.get('webhook-allowed-origin')).toBeNull();
    const foreign = cloudEvent('99999999-0000-4000-8000-000000000000');
    expect((await fetch(hook(), { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(foreign) })).status).toBe(200);
    const ours = cloudEvent(SIM_LIBRARY_ID);
    expect((await fetch(hook(), { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(ours) })).status).toBe(200);
    await collector.until('our event', (got) => got.some((c) => c.msg.event?.id === ours.id));
    expect(collector.messages().map((c) => c.msg.event.id)).toEqual([ours.id]);
  });

  it('one message per asset of Category.AssetsAssigned, each with its compact asset read', async () => {
    await deploy({ events: ['Category.AssetsAssigned'], fetchAsset: true });
    await subscribed(['Category.AssetsAssigned']);
    const ids = [SEED_IDS.firstAsset, SEED_IDS.firstAsset.replace(/1$/, '2')];
    const raised = await sim.raiseSkyhookEvent('Category.AssetsAssigned', { AssetIds: ids, CategoryId: SEED_IDS.categories.brand, Name: 'Brand' });
    await collector.until('two messages', (got) => got.filter((c) => c.msg.event?.id === raised.id).length === 2);
    const messages = collector.messages().map((c) => c.msg);
    expect(messages.map((m) => m.assetId)).toEqual(ids);
    expect(messages.map((m) => m.payload.id)).toEqual(ids);
    // The compact record (core's compactAsset), not MediaValet's whole one.
    expect(Object.keys(messages[0].payload)).toEqual(expect.arrayContaining(['id', 'title']));
    expect(messages[0].payload.Payload ?? messages[0].payload.payload).toBeUndefined();
  });

  it('a restart keeps the one subscription and the ids already sent; removing the node unsubscribes', async () => {
    await deploy();
    const [before] = await subscribed();
    const event = cloudEvent(SIM_LIBRARY_ID);
    expect((await fetch(hook(), { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(event) })).status).toBe(200);
    await collector.until('the event', (got) => got.some((c) => c.msg.event?.id === event.id));
    // A redeploy of the same flow and a restart: still one subscription, the same one.
    await deploy();
    expect((await subscribed())[0].id).toBe(before.id);
    await red.stop();
    await red.start();
    const [after] = await subscribed();
    expect(after.id).toBe(before.id);
    // Event Grid delivering the event again after the restart: not sent again.
    expect((await fetch(hook(), { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(event) })).status).toBe(200);
    const next = cloudEvent(SIM_LIBRARY_ID);
    await fetch(hook(), { method: 'POST', headers: { 'content-type': CE_TYPE }, body: JSON.stringify(next) });
    await collector.until('the next event', (got) => got.some((c) => c.msg.event?.id === next.id));
    expect(collector.messages().map((c) => c.msg.event.id)).toEqual([event.id, next.id]);
    const stateFile = path.join(red.userDir, '.mediavalet', 'events-ev.json');
    expect(fs.readFileSync(stateFile, 'utf8')).not.toContain(secret);

    // Undeployed: no subscription left, no route left, no state file left.
    await red.deploy([{ id: 'tab', type: 'tab', label: 'events' }]);
    const end = Date.now() + 10_000;
    while ((await subscriptions()).length && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await subscriptions()).toEqual([]);
    expect((await fetch(hook(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } })).headers.get('webhook-allowed-origin')).toBeNull();
    expect(fs.existsSync(stateFile)).toBe(false);
  });

  it('says what to fix: a missing Public URL names the field; an account without SkyHOOK is told to use mv watch', async () => {
    await deploy({ publicUrl: '' });
    await collector.until('the error', (got) => got.some((c) => c.kind === 'error'));
    expect(collector.errors()[0].msg.error).toMatch(/^Public URL is missing\. Enter the address at which MediaValet reaches/);
    expect(collector.errors()[0].msg.mediavalet.error).toMatchObject({ field: 'publicUrl' });
    collector.clear();
    await sim.settings({ skyhookRefusal: 403 } as never);
    try {
      await deploy();
      await collector.until('the error', (got) => got.some((c) => c.kind === 'error'));
      expect(collector.errors()[0].msg.error).toMatch(/Enterprise plan/);
      expect(JSON.stringify(collector.errors())).not.toContain(secret);
    } finally {
      await sim.settings({ profile: 'strict' } as never);
    }
    expect(await subscriptions()).toEqual([]);
  });

  it('a changed Public URL replaces the subscription rather than adding one; a refused handshake is a clear error', async () => {
    await deploy();
    await subscribed();
    // A Public URL whose host answers nothing: MediaValet's handshake fails, the old subscription goes.
    await deploy({ publicUrl: `http://127.0.0.1:${await freePort()}` });
    await collector.until('the error', (got) => got.some((c) => c.kind === 'error'));
    const [error] = collector.errors().map((c) => c.msg);
    expect(error.error).toMatch(/handshake/);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(await subscriptions()).toEqual([]);
    await red.deploy([{ id: 'tab', type: 'tab', label: 'events' }]);
  });
});
