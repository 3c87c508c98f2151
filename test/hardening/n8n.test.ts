// Issue 16 through n8n-core: binary data leaves the node under a safe file name whatever the
// asset is called, Simplify reads the other record shape, and a wrong Asset field (an object
// from an expression, a 10 MB id) fails before any request, naming the field.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeFileName } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { hostileNameFor } from '../../simulator/hostile';
import type { Sim } from '../helpers/simulator';
import type { TestCredentialsHelper } from '../n8n/credentials-helper';
import { passwordCredentials } from '../n8n/credentials';
import { runNode } from '../n8n/run-workflow';
import { startStrictSimulator } from '../n8n/strict-simulator';

const A = SEED_IDS.firstAsset;
let sim: Sim;
let credentials: TestCredentialsHelper;
const run = (parameters: Record<string, unknown>, options?: Parameters<typeof runNode>[2]) => runNode(credentials, { authentication: 'password', ...parameters } as never, options);

beforeAll(async () => {
  sim = await startStrictSimulator();
  credentials = passwordCredentials(sim);
});
afterEach(() => sim.settings({ profile: 'strict' }));
afterAll(() => sim?.stop());

describe('binary data leaves the node under a safe name', () => {
  it('Download: a path in the asset\'s name does not reach binary fileName (fails before: "../../mv-evil.txt")', async () => {
    const { client } = sim.connect();
    await client.request({ method: 'PATCH', path: `/assets/${A}`, body: [{ op: 'replace', path: '/filename', value: '../../mv-evil.txt' }] });
    try {
      const { items, error } = await run({ resource: 'asset', operation: 'download', assetId: A, rendition: 'original', binaryPropertyName: 'data' });
      expect(error).toBeUndefined();
      expect(items[0].binary?.data.fileName).toBe('mv-evil.txt');
      expect(items[0].json.file).toMatchObject({ fileName: '../../mv-evil.txt' });
    } finally {
      await client.request({ method: 'PATCH', path: `/assets/${A}`, body: [{ op: 'replace', path: '/filename', value: 'coral-gradient.png' }] });
    }
  });

  it('Download: every hostile name the simulator hands out, on both record shapes', async () => {
    for (const recordShape of ['simulator', 'alternate']) {
      await sim.settings({ hostileFileNames: true, recordShape } as never);
      for (let i = 1; i <= 8; i++) {
        const id = i === 1 ? A : `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const { items, error } = await run({ resource: 'asset', operation: 'download', assetId: id, rendition: 'original', binaryPropertyName: 'data' });
        expect(error).toBeUndefined();
        expect(items[0].binary?.data.fileName).toBe(safeFileName(hostileNameFor(id), id));
      }
    }
  });

  it('API Request as a file: the path\'s last part is a safe name', async () => {
    const { items, error } = await run({ resource: 'apiRequest', operation: 'send', method: 'GET', path: `/assets/${A}`, responseFormat: 'binary', binaryPropertyName: 'data' });
    expect(error).toBeUndefined();
    expect(items[0].binary?.data.fileName).toBe(A);
  });
});

describe('Upload From URL through a redirect', () => {
  it('follows it in core, sends no MediaValet credential to the source, names the asset by a safe base name', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, ...req.headers });
      if (req.url === '/moved') return void res.writeHead(302, { location: '/file' }).end();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="..\\..\\mv-evil.txt"' }).end('hello');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/moved`;
      const { items, error } = await run({ resource: 'upload', operation: 'uploadFromUrl', url, options: {} });
      expect(error).toBeUndefined();
      expect(items[0].json.filename).toBe('mv-evil.txt');
      expect(seen.map((h) => h.url)).toEqual(['/moved', '/file']);
      for (const headers of seen) {
        expect(headers.authorization).toBeUndefined();
        expect(headers['ocp-apim-subscription-key']).toBeUndefined();
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('Simplify on the docs\' record shape', () => {
  it('type, content type and link expiry come from AssetType, file.mimeType and media.sasExpiry (fails before: "", null, null)', async () => {
    await sim.settings({ recordShape: 'alternate' } as never);
    const typeVersion2 = { resource: 'asset', operation: 'get', assetId: A, simplify: true };
    // runNode runs version 1, which has no Simplify: read the compact form through core, as version 2 does.
    const { items } = await run(typeVersion2);
    const { compactAsset } = await import('../../core');
    const compact = compactAsset(items[0].json);
    expect(compact.type).toBe('Image');
    expect(compact.contentType).toBe('image/png');
    expect(compact.linksExpireAt).toMatch(/^\d{4}-/);
    expect(compact.fileName).toBe('coral-gradient.png');
  });
});

describe('a careless Asset field', () => {
  it('an object from an expression names the field and sends nothing (fails before: GET /assets/[object Object])', async () => {
    await sim.resetCounters();
    const { items } = await run({ resource: 'asset', operation: 'get', assetId: '={{ $json.id }}' }, { input: [{ json: { id: {} } }], continueOnFail: true });
    expect(items[0].json.error).toBe('Asset must be an ID or a link (text), not an object.');
    expect(items[0].json).toMatchObject({ code: 'invalid_input', field: 'Asset' });
    expect((await sim.state()).api.requests).toBe(0);
  });

  it('a 10 MB id: a short error and nothing sent', async () => {
    await sim.resetCounters();
    const { items } = await run({ resource: 'asset', operation: 'get', assetId: '={{ $json.id }}' }, { input: [{ json: { id: 'a'.repeat(10 * 1024 * 1024) } }], continueOnFail: true });
    expect(String(items[0].json.error).length).toBeLessThan(300);
    expect((await sim.state()).api.requests).toBe(0);
  });
});
