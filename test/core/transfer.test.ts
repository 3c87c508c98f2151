import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { downloadAsset, downloadToBuffer, uploadAsset } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { caught, PROFILE_NAMES, Sim, simulatorOn } from '../helpers/simulator';

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A stream that yields `data` in uneven chunks, as files and sockets do. */
function chunked(data: Buffer, chunk = 300_000): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) return this.push(null);
      const size = Math.min(chunk + (offset % 7919), data.length - offset);
      this.push(data.subarray(offset, offset + size));
      offset += size;
    },
  });
}

// Both sides of the upload answer (201 uploadFileName that must come back / 200 UploadFilename)
// and of the signed-link lifetime (50 s / an hour).
describe.each(PROFILE_NAMES)('on the %s profile', (profile) => {
  let sim: Sim;
  simulatorOn(profile, {}, (started) => (sim = started));

  describe('upload', () => {
    it('sends a small file in one PUT and creates the asset with its metadata', async () => {
      const { client } = sim.connect();
      const data = randomBytes(40_000);
      const result = await uploadAsset(client, {
        data,
        filename: 'small.bin',
        title: 'Small file',
        description: 'One PUT',
        categories: [SEED_IDS.categories.brand],
        keywords: ['upload-test', 'small'],
        attributes: { [SEED_IDS.attributes.sku]: 'SKU-1' },
      });
      expect(result).toMatchObject({ method: 'single', blocks: 0, sizeInBytes: data.length, sha256: sha(data) });
      expect(await sim.upload(result.uploadId)).toMatchObject({ size: data.length, sha256: sha(data) });
      const asset = await sim.asset(result.id);
      expect(asset).toMatchObject({ title: 'Small file', description: 'One PUT', categories: [SEED_IDS.categories.brand], keywords: ['upload-test', 'small'] });
      expect(asset.attributes[SEED_IDS.attributes.sku]).toBe('SKU-1');
      const state = await sim.state();
      expect(state.storage).toMatchObject({ singlePuts: 1, blocks: 0, rejectedAuthHeaders: 0 });
      // The asset keeps the local name whatever the server called the stored file; our requests need no warnings.
      expect(asset.file.fileName).toBe('small.bin');
      expect(result.warnings).toEqual([]);
    });

    it('sends a large stream in Azure blocks, byte-identical, with bounded parallelism', async () => {
      const { client } = sim.connect();
      const data = randomBytes(Math.round(5.5 * MiB));
      const progress: number[] = [];
      const result = await uploadAsset(
        client,
        { data: chunked(data), filename: 'large.bin', onProgress: (n) => progress.push(n) },
        { blockSize: MiB, singlePutThreshold: 2 * MiB, parallelism: 3 },
      );
      expect(result).toMatchObject({ method: 'blocks', blocks: 6, sizeInBytes: data.length, sha256: sha(data) });
      expect(await sim.upload(result.uploadId)).toMatchObject({ size: data.length, sha256: sha(data), parts: 6 });
      const state = await sim.state();
      expect(state.storage.blocks).toBe(6);
      expect(state.storage.blockLists).toBe(1);
      expect(state.storage.maxConcurrentBlocks).toBeLessThanOrEqual(3);
      expect(state.storage.rejectedAuthHeaders).toBe(0);
      expect(progress.at(-1)).toBe(data.length);
    });

    it('uploads a large Buffer in blocks too', async () => {
      const { client } = sim.connect();
      const data = randomBytes(3 * MiB + 17);
      const result = await uploadAsset(client, { data, filename: 'buffer.bin' }, { blockSize: MiB, singlePutThreshold: MiB });
      expect(result.blocks).toBe(4);
      expect((await sim.upload(result.uploadId))?.sha256).toBe(sha(data));
    });

    it('survives a connection reset mid-block: the block is sent again (PUT is idempotent)', async () => {
      const { client } = sim.connect();
      const data = randomBytes(4 * MiB);
      await client.authHeaders();
      await sim.faults({ server: 'storage', method: 'PUT', path: '^/uploads/', skip: 1, reset: true, afterBytes: 200_000 });
      const result = await uploadAsset(client, { data: chunked(data), filename: 'reset.bin' }, { blockSize: MiB, singlePutThreshold: MiB, parallelism: 2 });
      expect((await sim.upload(result.uploadId))?.sha256).toBe(sha(data));
      expect((await sim.state()).faultsFired).toBe(1);
    });

    it('fails cleanly, naming the step, and creates no asset when storage keeps failing', async () => {
      const { client } = sim.connect({}, { client: { retry: { maxRetries: 1, baseDelayMs: 1 } } });
      const before = (await sim.state()).assets;
      await sim.faults({ server: 'storage', method: 'PUT', status: 500, times: 0 });
      const error = await caught(() => uploadAsset(client, { data: randomBytes(3 * MiB), filename: 'doomed.bin' }, { blockSize: MiB, singlePutThreshold: MiB }));
      expect(error.message).toMatch(/^Upload of "doomed.bin" failed while sending the file to storage: Storage answered 500 while sending block \d/);
      expect(error.code).toBe('upload_failed');
      expect((await sim.state()).assets).toBe(before);
      expect((await sim.state()).api.byRoute['PATCH /uploads/:id']).toBeUndefined();
    });

    it('stops reading the source when the upload fails part way', async () => {
      const { client } = sim.connect({}, { client: { retry: { maxRetries: 0 } } });
      await sim.faults({ server: 'storage', method: 'PUT', status: 403, times: 0 });
      const source = chunked(randomBytes(6 * MiB));
      await caught(() => uploadAsset(client, { data: source, filename: 'stop.bin' }, { blockSize: MiB, singlePutThreshold: MiB, parallelism: 2 }));
      expect(source.destroyed).toBe(true);
    });

    it('fails cleanly, saying to start again, when the signed upload URL expires before the bytes arrive', async () => {
      // How long MediaValet's upload URLs live is unknown: here 1 s, and storage answers after 1.5 s.
      await sim.settings({ uploadSasTTLSeconds: 1 });
      const { client } = sim.connect();
      await client.authHeaders();
      const before = (await sim.state()).assets;
      await sim.faults({ server: 'storage', method: 'PUT', delayMs: 1500 });
      const error = await caught(() => uploadAsset(client, { data: randomBytes(1000), filename: 'late.bin' }));
      expect(error.message).toMatch(/^Upload of "late.bin" failed while sending the file to storage: Storage answered 403 while sending the file \(AuthenticationFailed/);
      expect(error.hint).toBe('The upload URL expired; start the upload again.');
      expect((await sim.state()).assets).toBe(before);
    });

    it('does not retry creating an upload that may have been created', async () => {
      const { client } = sim.connect();
      await client.authHeaders();
      await sim.faults({ server: 'api', method: 'POST', path: '^/uploads$', status: 502 });
      const error = await caught(() => uploadAsset(client, { data: Buffer.from('x'), filename: 'x.txt' }));
      expect(error.message).toMatch(/failed while creating the upload: MediaValet answered 502/);
      expect((await sim.state()).faultsFired).toBe(1);
    });

    it('uploads a new version of an existing asset', async () => {
      const { client } = sim.connect();
      const data = randomBytes(1000);
      const result = await uploadAsset(client, { data, filename: 'v2.bin', assetId: SEED_IDS.firstAsset });
      expect(result.id).toBe(SEED_IDS.firstAsset);
      const asset = await sim.asset(SEED_IDS.firstAsset);
      expect(asset.version).toBe(2);
      const downloaded = await downloadToBuffer(client, SEED_IDS.firstAsset);
      expect(sha(downloaded.data)).toBe(sha(data));
    });

    it('names a rejected attribute on the upload', async () => {
      const { client } = sim.connect();
      const error = await caught(() => uploadAsset(client, { data: Buffer.from('abc'), filename: 'a.txt', attributes: { 'no-such-attribute': 'x' } }));
      expect(error.code).toBe('rejected_fields');
      expect(error.message).toMatch(/while adding attributes: .*\/attributes\/no-such-attribute/);
    });
  });

  describe('download', () => {
    const id = `10000000-0000-4000-8000-000000000003`;

    it('streams the original as stored', async () => {
      const { client } = sim.connect();
      const result = await downloadToBuffer(client, id);
      expect(result.filename).toBe('forest-gradient.png');
      expect(result.contentType).toBe('image/png');
      expect(result.data.subarray(1, 4).toString()).toBe('PNG');
      expect(result.data.length).toBe(result.contentLength);
    });

    it('reads the asset again when storage says the signed link expired', async () => {
      const { client } = sim.connect();
      await sim.faults({ server: 'storage', method: 'GET', path: '^/blobs/', status: 403, body: '<Error><Code>AuthenticationFailed</Code></Error>' });
      const result = await downloadToBuffer(client, id);
      expect(result.data.length).toBeGreaterThan(100);
      expect((await sim.state()).api.byRoute['GET /assets/:id']).toBe(2);
    });

    it('reads the asset again before using a link about to expire', async () => {
      await sim.settings({ sasTTLSeconds: 5 });
      const { client } = sim.connect();
      await downloadToBuffer(client, id);
      expect((await sim.state()).api.byRoute['GET /assets/:id']).toBe(2);
    });

    it('downloads a rendition, and names the ones that exist when asked for another', async () => {
      const { client } = sim.connect();
      const thumb = await downloadToBuffer(client, id, { rendition: 'thumb' });
      const original = await downloadToBuffer(client, id);
      expect(thumb.data.length).toBeLessThan(original.data.length);
      const error = await caught(() => downloadAsset(client, id, { rendition: 'poster' }));
      expect(error.message).toMatch(/has no "poster" file; it has: thumb, small, medium, large, original, download/);
    });

    it('says when the asset does not exist', async () => {
      const { client } = sim.connect();
      const error = await caught(() => downloadAsset(client, '99999999-0000-4000-8000-000000000000'));
      expect(error.status).toBe(404);
      expect(error.code).toBe('not_found');
    });
  });
});
