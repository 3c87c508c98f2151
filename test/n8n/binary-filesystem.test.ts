// Binary data in n8n's filesystem mode (n8n's default since 1.x; in-memory is the other
// tests' mode): Download writes the stream to n8n's binary store, Upload reads it back as a
// stream by id, as in a real n8n.
import './n8n-home';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import { createHash } from 'node:crypto';
import { SEED_IDS } from '../../simulator/index';
import type { Sim } from '../helpers/simulator';
import type { TestCredentialsHelper } from './credentials-helper';
import { passwordCredentials } from './credentials';
import { runNode } from './run-workflow';
import { startStrictSimulator } from './strict-simulator';

let sim: Sim;
let credentials: TestCredentialsHelper;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
  await Container.get(BinaryDataService).init();
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
});
afterAll(() => sim?.stop());

it('Download stores the file by id; Upload File streams it from the store to MediaValet', async () => {
  const down = await runNode(credentials, { authentication: 'password', resource: 'asset', operation: 'download', assetId: SEED_IDS.firstAsset, rendition: 'original', binaryPropertyName: 'data' });
  expect(down.error).toBeUndefined();
  const binary = down.items[0].binary!.data;
  expect(binary.id).toMatch(/^filesystem(-v2)?:/);
  const bytes = await Container.get(BinaryDataService).getAsBuffer(binary);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');

  const up = await runNode(credentials, { authentication: 'password', resource: 'upload', operation: 'uploadFile', binaryPropertyName: 'data', options: { title: 'Round trip through the binary store' } }, { input: down.items });
  expect(up.error).toBeUndefined();
  expect(up.items[0].json).toMatchObject({ sizeInBytes: bytes.length, sha256: sha256(bytes) });
  expect(up.items[0].pairedItem).toEqual({ item: 0 });
});
