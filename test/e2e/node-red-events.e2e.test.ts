// mv events end to end: the packed Node-RED package uploaded to the palette manager of a real
// Node-RED 4.1 (Node 20) and 5 (Node 24), each first with default settings (on 4.1 the admin
// API's CORS answers every OPTIONS there) and then restarted with httpNodeCors set. The
// simulator's SkyHOOK delivers like Event Grid (handshake, one CloudEvent per POST, every
// event twice here): an upload must come out of the flow within seconds, exactly once, and
// undeploying must leave no subscription. The event-to-output times are written to
// the e2e artifacts folder (node-red-events-<runtime>.json) (the report quotes them; nothing asserts a time
// beyond "within seconds").
import fs from 'node:fs';
import path from 'node:path';
import { uploadAsset } from '../../core';
import { gradientPng } from '../../simulator/png';
import { eventsFlow, median, newSecret, percentile, startCollector } from '../helpers/node-red-events';
import { Sim } from '../helpers/simulator';
import { ARTIFACTS, e2eEnv, freePort, launchChromium, nodeRedTarball, ROOT } from './env';
import { ADMIN, NodeRedProcess } from './node-red-runtime';

const runtimes = [
  { name: 'Node-RED 4.1 on Node 20', node: () => process.execPath, red: () => require.resolve('node-red/red.js', { paths: [ROOT] }) },
  { name: 'Node-RED 5 on Node 24', node: () => e2eEnv().NODE24, red: () => e2eEnv().NODERED5_JS },
];
const settingsVariants = [
  { name: 'default settings', extra: '' },
  { name: 'httpNodeCors set', extra: "httpNodeCors: { origin: '*', methods: 'GET,PUT,POST,DELETE' }," },
];
const EVENTS = 30;

describe.each(runtimes)('$name', (runtime) => {
  let sim: Sim;
  let red: NodeRedProcess;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  const secret = newSecret();
  const hook = () => `${red.url}/mediavalet/events/${secret}`;
  const measured: Record<string, unknown> = {};

  beforeAll(async () => {
    sim = await Sim.start();
    collector = await startCollector();
    red = new NodeRedProcess(runtime.node(), runtime.red(), NodeRedProcess.prepare(), await freePort());
    await red.start();
    await red.installFromPalette(nodeRedTarball());
  });
  afterAll(async () => {
    await red?.stop();
    expect(red.log).not.toContain(secret);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, `node-red-events-${runtime.name.replace(/\W+/g, '-')}.json`), JSON.stringify(measured, null, 2));
    await collector?.close();
    await sim?.stop();
  });

  describe.each(settingsVariants)('$name', ({ name, extra }) => {
    beforeAll(async () => {
      if (!extra) return;
      // The same user directory (the package stays installed), restarted with the setting.
      await red.stop();
      const file = path.join(red.userDir, 'settings.js');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('telemetry:', `${extra}\n  telemetry:`));
      await red.start();
    });

    it('passes the handshake, sends each upload within seconds exactly once despite duplicate deliveries, and leaves no subscription after undeploy', async () => {
      collector.clear();
      await sim.settings({ skyhookDuplicateEvery: 1 } as never);
      await sim.clearSkyhookLog();
      await red.deploy(eventsFlow(sim, collector.url, { publicUrl: red.url, fetchAsset: true }, secret));
      const end = Date.now() + 30_000;
      while (Date.now() < end && !(await sim.skyhook()).subscriptions.some((s) => s.url === hook())) await new Promise((r) => setTimeout(r, 200));
      const subs = (await sim.skyhook()).subscriptions;
      expect(subs.map((s) => [s.url === hook(), s.events])).toEqual([[true, ['Asset.MediaFileAdded']]]);
      // What the simulator's Event Grid saw: consent.
      const handshake = await fetch(hook(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
      expect([handshake.status, handshake.headers.get('webhook-allowed-origin'), handshake.headers.get('webhook-allowed-rate')]).toEqual([200, 'eventgrid.azure.net', '*']);

      // A real upload through the API: finalising it raises Asset.MediaFileAdded.
      const { client } = sim.connect();
      const uploaded = await uploadAsset(client, { data: gradientPng(16, 16, [4, 5, 6]), filename: 'e2e-live.png' });
      const uploadedAt = Date.now();
      const assetId = uploaded.id;
      await collector.until('the upload event', (got) => got.some((c) => c.msg.assetId === assetId), 10_000);
      const first = collector.messages().find((c) => c.msg.assetId === assetId)!;
      expect(first.msg).toMatchObject({ topic: 'Asset.MediaFileAdded', payload: { id: assetId } });

      // More events, each delivered twice: each out once; the delivery log gives the times.
      for (let i = 0; i < EVENTS; i++) await sim.raiseSkyhookEvent('Asset.MediaFileAdded', { AssetId: assetId, FileName: `burst-${i}.png` });
      await collector.until(`${EVENTS + 1} messages`, (got) => got.filter((c) => c.kind === 'message').length >= EVENTS + 1, 20_000);
      const settle = Date.now() + 10_000;
      while (Date.now() < settle && (await sim.skyhook()).deliveries.filter((d) => d.outcome === 'delivered').length < 2 * (EVENTS + 1)) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 500));
      const { deliveries } = await sim.skyhook();
      const delivered = deliveries.filter((d) => d.outcome === 'delivered');
      const messages = collector.messages();
      const ids = messages.map((c) => c.msg.event.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(EVENTS + 1);
      expect(collector.errors()).toEqual([]);
      // Event raised (simulator) to message out of the flow (collector), in ms.
      const raisedAt = new Map(deliveries.map((d) => [d.eventId, d.raisedAt]));
      const latencies = messages.map((c) => c.at - (raisedAt.get(c.msg.event.id) ?? NaN)).filter(Number.isFinite);
      measured[name] = {
        handshake: { status: handshake.status, allowedOrigin: handshake.headers.get('webhook-allowed-origin') },
        uploadToOutputMs: first.at - uploadedAt,
        eventToOutputMs: { n: latencies.length, median: median(latencies), p99: percentile(latencies, 99), max: Math.max(...latencies) },
        deliveredCopies: delivered.length,
        duplicatesDelivered: delivered.filter((d) => d.duplicate).length,
        emitted: messages.length,
      };
      expect(delivered.filter((d) => d.duplicate).length).toBe(EVENTS + 1);
      // "Within seconds": the slowest of the burst, not a benchmark.
      expect(Math.max(...latencies)).toBeLessThan(10_000);

      // Undeployed: the node unsubscribes.
      await red.deploy([{ id: 'tab', type: 'tab', label: 'empty' }]);
      const gone = Date.now() + 20_000;
      while (Date.now() < gone && (await sim.skyhook()).subscriptions.length) await new Promise((r) => setTimeout(r, 200));
      expect((await sim.skyhook()).subscriptions).toEqual([]);
      measured[name] = { ...(measured[name] as object), subscriptionsAfterUndeploy: 0 };
      await sim.settings({ profile: 'strict' } as never);
    });
  });

  it('the editor dialog: a secret made on add and never shown, event types ticked, Public URL previewed; deploying from the editor subscribes', async () => {
    await red.deploy(eventsFlow(sim, collector.url, { publicUrl: red.url, events: ['Asset.KeywordsAdded'] }, secret).filter((n) => n.type !== 'mediavalet-events'));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
      await page.goto(red.url);
      await page.fill('#node-dialog-login-username', ADMIN.username);
      await page.fill('#node-dialog-login-password', ADMIN.password);
      await page.click('#node-dialog-login-submit');
      await page.waitForFunction(() => (window as any).RED?.nodes?.node('acct'), null, { timeout: 60_000 });
      await page.click('text=No, do not enable notifications', { timeout: 2000 }).catch(() => undefined);
      // Added from the palette as a user does (the editor's defaults), then opened.
      await page.evaluate(() => (window as any).RED.view.importNodes([{ id: 'fresh', z: 'tab', type: 'mediavalet-events', x: 300, y: 400, wires: [[]] }]));
      await page.evaluate(() => (window as any).RED.editor.edit((window as any).RED.nodes.node('fresh')));
      await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
      await page.waitForTimeout(500);
      expect(await page.locator('#mv-events-types input[type=checkbox]').count()).toBe(8);
      expect(await page.isChecked('#mv-event-Asset-MediaFileAdded')).toBe(true);
      await page.check('#mv-event-Asset-KeywordsAdded');
      await page.selectOption('#node-input-account', 'acct');
      await page.fill('#node-input-publicUrl', `${red.url}/`);
      expect(await page.textContent('#mv-events-url')).toBe(`${red.url}/mediavalet/events/••••••`);
      const made = await page.inputValue('#node-input-secret');
      expect(made).toMatch(/^[0-9a-f]{64}$/);
      await page.screenshot({ path: path.join(ARTIFACTS, `node-red-events-dialog-${runtime.name.replace(/\W+/g, '-')}.png`) });
      await page.click('#node-dialog-ok');
      await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
      await page.click('#red-ui-header-button-deploy');
      await page.waitForFunction(() => !(window as any).RED.nodes.dirty(), null, { timeout: 30_000 });
      const end = Date.now() + 30_000;
      while (Date.now() < end && !(await sim.skyhook()).subscriptions.length) await new Promise((r) => setTimeout(r, 200));
      const subs = (await sim.skyhook()).subscriptions;
      // The secret the dialog made is the one in the subscribed URL (public URL's trailing slash folded).
      expect(subs.map((s) => [s.url, [...s.events].sort()])).toEqual([[`${red.url}/mediavalet/events/${made}`, ['Asset.KeywordsAdded', 'Asset.MediaFileAdded']]]);
      // Opened again: the secret is kept and not sent back to the editor.
      await page.evaluate(() => (window as any).RED.editor.edit((window as any).RED.nodes.node('fresh')));
      await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
      await page.waitForTimeout(500);
      expect(await page.inputValue('#node-input-secret')).not.toBe(made);
      expect(await page.content()).not.toContain(made);
      await page.click('#node-dialog-cancel');
    } finally {
      await browser.close();
    }
    await red.deploy([{ id: 'tab', type: 'tab', label: 'empty' }]);
    const gone = Date.now() + 20_000;
    while (Date.now() < gone && (await sim.skyhook()).subscriptions.length) await new Promise((r) => setTimeout(r, 200));
    expect((await sim.skyhook()).subscriptions).toEqual([]);
  });
});
