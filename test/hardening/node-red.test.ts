// Issue 16 in the real Node-RED runtime: a hostile asset file name never reaches msg.filename
// as a path (download, watch, Upload From URL), and a careless msg.assetId is refused before
// any request, naming the field, in bounded words.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { safeFileName } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { hostileNameFor } from '../../simulator/hostile';
import { catchNode, collector, helper, nodes, tempUserDir } from '../helpers/node-red';
import { DEMO, Sim } from '../helpers/simulator';

const ID = SEED_IDS.firstAsset;
let sim: Sim;
let userDir: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  sim = await Sim.start();
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="../../../mv-evil-from-url.txt"' }).end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  userDir = tempUserDir();
  helper.settings({ userDir });
  await new Promise((resolve) => helper.startServer(resolve));
});
afterEach(async () => {
  await helper.unload();
  await sim.settings({ profile: 'strict' });
});
afterAll(async () => {
  await new Promise((resolve) => helper.stopServer(resolve));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sim.stop();
});

async function load(flowNodes: any[]) {
  const flow = [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true },
    ...[...flowNodes, { id: 'out', type: 'helper' }, { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }].map((n) => ({ z: 'tab', ...n })),
  ];
  const creds = { acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } };
  await helper.load([...nodes, catchNode], flow, creds);
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

describe('a hostile asset file name', () => {
  it('download: msg.filename is a safe base name; msg.asset keeps the stored name (fails before: "../../mv-evil.txt")', async () => {
    const { client } = sim.connect();
    await client.request({ method: 'PATCH', path: `/assets/${ID}`, body: [{ op: 'replace', path: '/filename', value: '../../mv-evil.txt' }] });
    const { out } = await load([{ id: 'dl', type: 'mediavalet-asset', account: 'acct', operation: 'download', wires: [['out']] }]);
    helper.getNode('dl').receive({ assetId: ID });
    const [msg] = await out.next(1, 20_000);
    expect(msg.filename).toBe('mv-evil.txt');
    expect(msg.asset.file?.fileName ?? msg.asset.File?.FileName).toBe('../../mv-evil.txt');
    await client.request({ method: 'PATCH', path: `/assets/${ID}`, body: [{ op: 'replace', path: '/filename', value: 'sunset-gradient.png' }] });
  });

  it('every name the simulator hands out (hostileFileNames) downloads as the safe name, on both record shapes', async () => {
    for (const recordShape of ['simulator', 'alternate'] as const) {
      await sim.settings({ hostileFileNames: true, recordShape } as never);
      const { out } = await load([{ id: 'dl', type: 'mediavalet-asset', account: 'acct', operation: 'download', wires: [['out']] }]);
      const ids = Array.from({ length: 8 }, (_, i) => (i === 0 ? ID : `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`));
      for (const id of ids) {
        helper.getNode('dl').receive({ assetId: id });
        const [msg] = await out.next(1, 20_000);
        expect(msg.filename).toBe(safeFileName(hostileNameFor(id), id));
        expect(msg.filename).not.toMatch(/[\\/]|^\.|[\u0000-\u001f\u202e]/);
        expect(Buffer.byteLength(msg.filename)).toBeLessThanOrEqual(200);
      }
      await helper.unload();
    }
  });

  it('a write file node set to msg.filename writes inside its folder (fails before: two folders up)', async () => {
    const { client } = sim.connect();
    await client.request({ method: 'PATCH', path: `/assets/${ID}`, body: [{ op: 'replace', path: '/filename', value: '../../mv-evil.txt' }] });
    const fileNode = require(require.resolve('@node-red/nodes/core/storage/10-file.js'));
    const folder = fs.mkdtempSync(path.join(userDir, 'downloads-'));
    const flow = [
      { id: 'tab', type: 'tab', label: 'test' },
      { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true },
      { id: 'dl', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'download', wires: [['name']] },
      { id: 'name', z: 'tab', type: 'change', rules: [{ t: 'set', p: 'filename', pt: 'msg', to: `"${folder.replace(/\\/g, '/')}/" & filename`, tot: 'jsonata' }], wires: [['write']] },
      { id: 'write', z: 'tab', type: 'file', filename: 'filename', filenameType: 'msg', appendNewline: false, createDir: true, overwriteFile: 'true', wires: [['out']] },
      { id: 'out', z: 'tab', type: 'helper' },
    ];
    const changeNode = require(require.resolve('@node-red/nodes/core/function/15-change.js'));
    const creds = { acct: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password } };
    await helper.load([...nodes, fileNode, changeNode], flow, creds);
    const out = collector(helper.getNode('out'));
    helper.getNode('dl').receive({ assetId: ID });
    await out.next(1, 20_000);
    expect(fs.readdirSync(folder)).toEqual(['mv-evil.txt']);
    expect(fs.existsSync(path.resolve(folder, '../../mv-evil.txt'))).toBe(false);
    await client.request({ method: 'PATCH', path: `/assets/${ID}`, body: [{ op: 'replace', path: '/filename', value: 'sunset-gradient.png' }] });
  });

  it('watch: msg.filename is the safe name of each new asset; msg.payload keeps the stored one', async () => {
    const { out } = await load([{ id: 'w', type: 'mediavalet-watch', account: 'acct', event: 'new', interval: 3600, wires: [['out']] }]);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const { client } = sim.connect();
    const { uploadAsset } = await import('../../core');
    await uploadAsset(client, { data: Buffer.from('x'), filename: 'x.txt' });
    await sim.settings({ hostileFileNames: true } as never);
    helper.getNode('w').receive({});
    const [msg] = await out.next(1, 20_000);
    expect(msg.filename).toBe(safeFileName(hostileNameFor(msg.assetId), msg.assetId));
    expect(msg.payload.file.fileName).toBe(hostileNameFor(msg.assetId));
  });

  it('Upload From URL: a Content-Disposition path names the asset by its base name (fails before: "../../../mv-evil-from-url.txt")', async () => {
    const { out } = await load([{ id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [['out']] }]);
    helper.getNode('up').receive({ url: `${base}/x` });
    const [msg] = await out.next(1, 20_000);
    expect(msg.payload.filename).toBe('mv-evil-from-url.txt');
  });
});

describe('a careless msg.assetId', () => {
  it('{} says the field is wrong and sends nothing (fails before: GET /assets/[object Object], "deleted")', async () => {
    const { caught } = await load([{ id: 'getter', type: 'mediavalet-asset', account: 'acct', operation: 'get', wires: [['out']] }]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sim.resetCounters();
    helper.getNode('getter').receive({ assetId: {} });
    const [msg] = await caught.next();
    expect(msg.error.message).toMatch(/^Asset ID \(msg\.assetId\) must be an ID \(text\), not an object\./);
    expect(msg.error.message).not.toMatch(/deleted/);
    expect(msg.mediavalet.error).toMatchObject({ code: 'invalid_input', field: 'Asset ID (msg.assetId)' });
    expect((await sim.state()).api.requests).toBe(0);
  });

  it('a 10 MB id: a short error, nothing sent, nothing retried (fails before: a 10 MB message)', async () => {
    const { caught } = await load([{ id: 'getter', type: 'mediavalet-asset', account: 'acct', operation: 'get', wires: [['out']] }]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sim.resetCounters();
    helper.getNode('getter').receive({ assetId: 'a'.repeat(10 * 1024 * 1024) });
    const [msg] = await caught.next();
    expect(msg.error.message.length).toBeLessThan(400);
    expect(JSON.stringify(msg.mediavalet.error).length).toBeLessThan(1000);
    expect((await sim.state()).api.requests).toBe(0);
  });
});
