// Node-RED's small API calls over Node's http (node-red/small-call.ts): what axios did for them
// before, against a real local server: compressed answers decoded, the size bound, a cut-off
// answer, an abort and a timeout, each as core's client expects it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createAxiosTransport } from '../../node-red/axios-transport';

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const json = JSON.stringify({ payload: { id: 'x', text: 'é'.repeat(2000) } });
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return res.end(zlib.gzipSync(json));
    }
    if (req.url === '/br') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
      return res.end(zlib.brotliCompressSync(json));
    }
    if (req.url === '/empty-gzip') {
      res.writeHead(204, { 'content-encoding': 'gzip' });
      return res.end();
    }
    if (req.url === '/echo') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.end(JSON.stringify({ length: req.headers['content-length'], body })));
      return;
    }
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"payload":');
      return setTimeout(() => res.socket?.destroy(), 20);
    }
    if (req.url === '/slow') return setTimeout(() => res.end('{}'), 2000);
    res.end(json);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const transport = createAxiosTransport();
const get = (path: string, extra: Record<string, unknown> = {}) => transport.request({ method: 'GET', url: `${base}${path}`, headers: {}, responseType: 'buffer', ...extra });

it.each(['/gzip', '/br'])('decodes a compressed answer (%s) and drops the encoding headers', async (path) => {
  const response = await get(path);
  expect(JSON.parse((response.body as Buffer).toString('utf8')).payload.text).toHaveLength(2000);
  expect(response.headers['content-encoding']).toBeUndefined();
});

it('an empty answer that names an encoding is an empty answer, not a corrupt one', async () => {
  const response = await get('/empty-gzip');
  expect(response.status).toBe(204);
  expect((response.body as Buffer).length).toBe(0);
});

it('sends a body with its length in bytes', async () => {
  const response = await transport.request({ method: 'POST', url: `${base}/echo`, headers: { 'Content-Type': 'application/json' }, body: '{"t":"é"}', responseType: 'buffer' });
  expect(JSON.parse((response.body as Buffer).toString('utf8'))).toEqual({ length: '10', body: '{"t":"é"}' });
});

it('refuses an answer over the size bound', async () => {
  await expect(get('/plain', { maxResponseBytes: 100 })).rejects.toMatchObject({ code: 'response_too_large' });
});

it('a cut-off answer is a network error, never a short success', async () => {
  await expect(get('/cut')).rejects.toMatchObject({ code: 'network_error', kind: 'transient', notSent: false });
});

it('an abort and a timeout end the call as core expects', async () => {
  const abort = new AbortController();
  const aborted = get('/slow', { signal: abort.signal });
  setTimeout(() => abort.abort(new Error('stopped')), 50);
  await expect(aborted).rejects.toMatchObject({ code: 'aborted', kind: 'terminal' });
  await expect(get('/slow', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'timeout', kind: 'transient' });
});

it('a refused connection is known not to have been sent', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  await expect(transport.request({ method: 'PATCH', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '[]', responseType: 'buffer' })).rejects.toMatchObject({ code: 'network_error', notSent: true });
});
