// What Node-RED users read: output messages, Catch messages, the node status, and the
// names and types of uploaded files, in the real runtime against the simulator.
import fs from 'node:fs';
import path from 'node:path';
import { contentTypeOf, FIELD_LABELS } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { gradientPng } from '../../simulator/png';
import { catchNode, collector, helper, nodes } from '../helpers/node-red';
import { DEMO } from '../helpers/simulator';
import { goodCredentials, statusesOf, useRuntime } from './runtime';

const fileNode = require(require.resolve('@node-red/nodes/core/storage/10-file.js'));
const runtime = useRuntime();
const creds = (user = DEMO.users[0]) => ({ acct: goodCredentials(user) });

async function load(flowNodes: any[], credentials: any = creds(), account: Record<string, unknown> = {}) {
  const onTab = [...flowNodes, { id: 'out', type: 'helper' }, { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }].map((n) => ({ z: 'tab', ...n }));
  const flow = [{ id: 'tab', type: 'tab', label: 'test' }, { id: 'acct', type: 'mediavalet-config', authMode: 'password', identityUrl: runtime.sim.identityUrl, apiUrl: runtime.sim.apiUrl, allowInsecure: true, ...account }, ...onTab];
  await helper.load([...nodes, catchNode, fileNode], flow, credentials);
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

const lastStatus = (id: string) => statusesOf(id).at(-1);

it('output messages carry no AbortSignal (or any other internal property)', async () => {
  const { out } = await load([
    { id: 'getter', type: 'mediavalet-asset', account: 'acct', operation: 'get', wires: [['out']] },
    { id: 'req', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/categories', returnAll: 'items', wires: [['out']] },
  ]);
  helper.getNode('getter').receive({ assetId: SEED_IDS.firstAsset });
  const [got] = await out.next();
  expect(got.payload.id).toBe(SEED_IDS.firstAsset);
  helper.getNode('req').receive({});
  const [item] = await out.next();
  for (const msg of [got, item]) {
    expect(Object.keys(msg)).not.toContain('_abort');
    expect(Object.values(msg).some((v) => v instanceof AbortSignal)).toBe(false);
  }
});

it('a refused write reaches Catch as sentences without a class name, and the status leads with the cause', async () => {
  const { caught } = await load([{ id: 'updater', type: 'mediavalet-asset', account: 'acct', operation: 'update', assetId: SEED_IDS.firstAsset, wires: [['out']] }], creds(DEMO.users[1]));
  helper.getNode('updater').receive({ payload: { title: 'Not allowed' } });
  const [msg] = await caught.next();
  expect(msg.error.message).toMatch(/^MediaValet answered 403 to PATCH \/assets\//);
  expect(msg.error.message).not.toMatch(/^\w*Error: /);
  // Message and hint are two sentences.
  expect(msg.error.message).toMatch(/[.!?] The MediaValet user lacks the permission/);
  expect(msg.mediavalet.error).toMatchObject({ name: 'ApiError', code: 'forbidden', status: 403 });
  const status = lastStatus('updater');
  expect(status.fill).toBe('red');
  expect(status.text).toMatch(/^403 forbidden/);
  expect(status.text.length).toBeLessThanOrEqual(60);
});

it('a setting error names the field by the label the config dialog shows', async () => {
  const { caught } = await load([{ id: 'getter', type: 'mediavalet-asset', account: 'acct', operation: 'get', assetId: SEED_IDS.firstAsset, wires: [['out']] }], creds(), { identityUrl: 'http://login.example.com' });
  helper.getNode('getter').receive({});
  const [msg] = await caught.next();
  expect(msg.error.message).toMatch(/^The Identity Server URL setting must use https:\/\//);
  expect(msg.error.message).not.toMatch(/identityUrl/);
  expect(lastStatus('getter').text).toMatch(/^The Identity Server URL setting must use https/);
});

it('the config dialog labels the account settings with the same words as core (and n8n)', () => {
  const locale = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../node-red/locales/en-US/mediavalet-config.json'), 'utf8'))['mediavalet-config'].label;
  const html = fs.readFileSync(path.resolve(__dirname, '../../node-red/mediavalet-config.html'), 'utf8');
  // The dialog's field id → the locale key its label uses.
  const pairs = [...html.matchAll(/<label for="node-config-input-(\w+)"[^>]*>.*?data-i18n="mediavalet-config\.label\.(\w+)"/g)].map((m) => [m[1], m[2]]);
  const checked = pairs.filter(([field]) => FIELD_LABELS[field]);
  expect(checked.length).toBeGreaterThanOrEqual(12);
  for (const [field, key] of checked) expect(`${field}: ${locale[key]}`).toBe(`${field}: ${FIELD_LABELS[field]}`);
});

it('uploads after a file-in node under the base name, with the type guessed from the extension', async () => {
  const file = path.join(runtime.userDir, 'photos', 'harbour view.png');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const png = gradientPng(16, 8, [10, 20, 30]);
  fs.writeFileSync(file, png);
  const { out, caught } = await load([
    { id: 'read', type: 'file in', filename: file, filenameType: 'str', format: '', encoding: 'none', allProps: false, wires: [['up']] },
    { id: 'up', type: 'mediavalet-upload', account: 'acct', wires: [['out']] },
    { id: 'byPath', type: 'mediavalet-upload', account: 'acct', wires: [['out']] },
  ]);
  helper.getNode('read').receive({});
  const [msg] = await out.next();
  expect(caught.messages).toHaveLength(0);
  expect(msg.payload.filename).toBe('harbour view.png');
  const asset = await runtime.sim.asset(msg.payload.asset.id);
  expect(asset.file.fileName).toBe('harbour view.png');
  expect(asset.file.contentType).toBe('image/png');

  fs.writeFileSync(path.join(runtime.userDir, 'notes.PDF'), '%PDF-1.4 not really');
  helper.getNode('byPath').receive({ payload: path.join(runtime.userDir, 'notes.PDF') });
  const [pdf] = await out.next();
  expect((await runtime.sim.asset(pdf.payload.asset.id)).file.contentType).toBe('application/pdf');
});

it('guesses common types and keeps unknown ones binary', () => {
  expect(contentTypeOf('a/b/C.JPG')).toBe('image/jpeg');
  expect(contentTypeOf('clip.mov')).toBe('video/quicktime');
  expect(contentTypeOf('no-extension')).toBe('application/octet-stream');
  expect(contentTypeOf('archive.weird')).toBe('application/octet-stream');
});
