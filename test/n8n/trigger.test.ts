// The MediaValet Trigger's poll, run by n8n-core's PollContext as an active workflow runs it,
// against the strict simulator; the position lives in the workflow's static data.
import type { Sim } from '../helpers/simulator';
import type { TestCredentialsHelper } from './credentials-helper';
import { passwordCredentials } from './credentials';
import { runNode, trigger } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';
import { SEED_IDS } from '../../simulator/index';

let sim: Sim;
let credentials: TestCredentialsHelper;

beforeAll(async () => {
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
});
afterAll(() => sim?.stop());

async function uploadNew(name: string): Promise<string> {
  const bytes = Buffer.from(`file ${name}`);
  const { items, error } = await runNode(
    credentials,
    { authentication: 'password', resource: 'upload', operation: 'uploadFile', binaryPropertyName: 'data', options: { title: name } },
    { input: [{ json: {}, binary: { data: { data: bytes.toString('base64'), mimeType: 'text/plain', fileName: `${name}.txt` } } }] },
  );
  if (error) throw error;
  return items[0].json.id as string;
}

describe('MediaValet Trigger', () => {
  it('starts from now, then emits each new asset once', async () => {
    const watcher = trigger(credentials, { authentication: 'password', event: 'new', options: {} });
    expect(await watcher.poll()).toBeNull();
    expect(watcher.staticData['node:MediaValet Trigger']).toMatchObject({ position: expect.anything() });
    const first = await uploadNew('trigger-first');
    const second = await uploadNew('trigger-second');
    const out = await watcher.poll();
    expect(out?.[0].map((i) => [i.json.id, i.json.event])).toEqual(
      expect.arrayContaining([
        [first, 'new'],
        [second, 'new'],
      ]),
    );
    expect(out?.[0]).toHaveLength(2);
    expect(await watcher.poll()).toBeNull();
  });

  it('emits an updated asset as "updated" when watching updates', async () => {
    const watcher = trigger(credentials, { authentication: 'password', event: 'updated', options: {} });
    expect(await watcher.poll()).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const changed = await runNode(credentials, { authentication: 'password', resource: 'asset', operation: 'update', assetId: SEED_IDS.firstAsset, updateFields: { title: 'Changed for the trigger' }, attributes: {} });
    expect(changed.error).toBeUndefined();
    const out = await watcher.poll();
    expect(out?.[0].map((i) => [i.json.id, i.json.event])).toEqual([[SEED_IDS.firstAsset, 'updated']]);
  });

  it('"Fetch Test Event" (manual mode) returns the latest matching asset without moving the position', async () => {
    const watcher = trigger(credentials, { authentication: 'password', event: 'new', options: {} });
    const sample = await watcher.poll('manual');
    expect(sample?.[0]).toHaveLength(1);
    expect(sample?.[0][0].json).toMatchObject({ id: expect.any(String), event: 'new' });
    expect(watcher.staticData['node:MediaValet Trigger']).toBeUndefined();
  });

  it('fails the poll with MediaValet\'s answer when the subscription key is wrong', async () => {
    const watcher = trigger(passwordCredentials(sim, { subscriptionKey: 'not-the-key' }), { authentication: 'password', event: 'new', options: {} });
    // The field is named in the description whichever n8n-workflow (see sign-in.test.ts).
    await expect(watcher.poll('manual')).rejects.toMatchObject({ description: expect.stringMatching(/Subscription Key field/) });
  });
});
