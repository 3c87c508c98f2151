// Upload From URL over real HTTP: a local file server (redirects, Content-Disposition,
// no Content-Length, failures part way) → core → the simulator's Azure-like storage.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileNameFrom, uploadFromUrl } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { SEED_IDS } from '../../simulator/index';
import { caught, Sim } from '../helpers/simulator';

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const big = randomBytes(Math.round(20.5 * MiB));
const small = randomBytes(30_000);

let sim: Sim;
let server: http.Server;
let base: string;
const served: string[] = [];
beforeAll(async () => {
  sim = await Sim.start();
  server = http.createServer((req, res) => {
    served.push(req.url ?? '');
    if (req.headers.authorization || req.headers['ocp-apim-subscription-key']) {
      res.writeHead(400).end('credentials sent to a source URL');
      return;
    }
    if (req.url === '/moved') return void res.writeHead(302, { location: '/files/big' }).end();
    if (req.url === '/files/big') {
      // Chunked, no length: the uploader cannot know the size up front.
      res.writeHead(200, { 'content-type': 'image/tiff', 'content-disposition': 'attachment; filename="poster final.tif"' });
      let at = 0;
      const pump = () => {
        while (at < big.length) {
          const next = big.subarray(at, at + 256 * 1024);
          at += next.length;
          if (!res.write(next)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (req.url === '/media/small%20one.png?sig=secret') return void res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(small);
    if (req.url === '/stalls') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(big.subarray(0, 2 * MiB));
      return; // and never another byte
    }
    if (req.url === '/broken') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(big.subarray(0, 18 * MiB), () => res.destroy());
      return;
    }
    res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sim.stop();
});

describe('uploadFromUrl', () => {
  it('streams a large download into Azure blocks through a redirect, named by Content-Disposition, with metadata', async () => {
    const { client } = sim.connect();
    const result = await uploadFromUrl(client, createAxiosTransport(), {
      url: `${base}/moved`,
      title: 'Poster',
      keywords: ['from-url'],
      categories: [SEED_IDS.categories.brand],
      attributes: { Photographer: 'Ana' },
    });
    expect(result).toMatchObject({ filename: 'poster final.tif', method: 'blocks', sizeInBytes: big.length, sha256: sha(big) });
    expect(result.blocks).toBeGreaterThanOrEqual(3);
    expect(await sim.upload(result.uploadId)).toMatchObject({ size: big.length, sha256: sha(big), contentType: 'image/tiff' });
    const asset = await sim.asset(result.id);
    expect(asset).toMatchObject({ title: 'Poster', keywords: ['from-url'], categories: [SEED_IDS.categories.brand] });
    expect(asset.attributes[SEED_IDS.attributes.photographer]).toBe('Ana');
    expect(result.sourceUrl).toBe(`${base}/moved`);
  });

  it('names a small file from its path, and a given file name wins', async () => {
    const { client } = sim.connect();
    const url = `${base}/media/small%20one.png?sig=secret`;
    const named = await uploadFromUrl(client, createAxiosTransport(), { url });
    expect(named).toMatchObject({ filename: 'small one.png', method: 'single', sha256: sha(small) });
    expect(named.sourceUrl).not.toContain('sig=');
    const renamed = await uploadFromUrl(client, createAxiosTransport(), { url, filename: 'renamed.png' });
    expect(renamed.filename).toBe('renamed.png');
  });

  it('fails before creating an upload when the URL answers 404 or is not a web address', async () => {
    const { client } = sim.connect();
    await sim.resetCounters();
    const missing = await caught(() => uploadFromUrl(client, createAxiosTransport(), { url: `${base}/nothing?token=abc` }));
    expect(missing).toMatchObject({ field: 'url', status: 404, message: expect.stringContaining('answered HTTP 404') });
    expect(missing.message).not.toContain('token=abc');
    const notWeb = await caught(() => uploadFromUrl(client, createAxiosTransport(), { url: 'file:///etc/passwd' }));
    expect(notWeb).toMatchObject({ field: 'url', message: expect.stringContaining('http:// or https://') });
    expect((await sim.state()).api.byRoute?.['POST /uploads'] ?? 0).toBe(0);
  });

  it('fails cleanly, leaving no asset, when the download breaks part way', async () => {
    const { client } = sim.connect();
    const before = (await sim.state()).assets;
    const error = await caught(() => uploadFromUrl(client, createAxiosTransport(), { url: `${base}/broken`, filename: 'broken.bin' }));
    expect(error).toMatchObject({ code: 'upload_failed', message: expect.stringContaining('broken.bin') });
    expect((await sim.state()).assets).toBe(before);
  });
});

describe('uploadFromUrl timeouts', () => {
  it('fails, leaving no asset, when the source stops sending for longer than the timeout', async () => {
    const { client } = sim.connect();
    const before = (await sim.state()).assets;
    const started = Date.now();
    const error = await caught(() => uploadFromUrl(client, createAxiosTransport(), { url: `${base}/stalls`, filename: 'stalled.bin' }, { timeoutMs: 800 }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({ code: 'upload_failed', message: expect.stringMatching(/stalled.bin.*sent nothing for 1 s/) });
    expect((await sim.state()).assets).toBe(before);
  });
});

describe('fileNameFrom', () => {
  it('prefers filename*, then filename, then the last path segment', () => {
    expect(fileNameFrom('https://x/a/b.png', { 'content-disposition': "attachment; filename=\"plain.png\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.png" })).toBe('日本.png');
    expect(fileNameFrom('https://x/a/b.png', { 'content-disposition': 'inline; filename=plain.png' })).toBe('plain.png');
    expect(fileNameFrom('https://x/a/b%20c.png?x=1', {})).toBe('b c.png');
    expect(fileNameFrom('https://x/', {})).toBe('file');
  });
});
