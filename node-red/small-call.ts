// One small API call (a JSON or short body in, the whole answer read into memory) over Node's
// own http and the account's keep-alive pool. Most of a Node-RED account's calls are these,
// and axios's per-request set-up (merging configs, adapters, interceptors) cost more CPU than
// our own code for each of them (bench H4's profile). Streams still go through axios.
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import type { HttpRequest, HttpResponse } from '../core/transport';
import { normalizeHeaders } from '../core/transport';

/** Why a small call ended without an answer, in the words toNetworkError reads (axios's codes). */
export class SmallCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Answers larger than this are refused before they are held in memory. */
export class TooLargeError extends Error {}

export function isSmallCall(request: HttpRequest): boolean {
  return request.responseType !== 'stream' && (request.body === undefined || typeof request.body === 'string' || Buffer.isBuffer(request.body));
}

export function smallCall(request: HttpRequest, agents: { http: http.Agent; https: https.Agent }, maxResponseBytes: number): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (request.signal?.aborted) return reject(new SmallCallError('canceled', 'ERR_CANCELED', request.signal.reason));
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string | number> = { 'Accept-Encoding': 'gzip, deflate, br', ...request.headers };
    const body = request.body as string | Buffer | undefined;
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) headers['Content-Length'] = Buffer.byteLength(body);
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      request.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(error);
    };
    const onAbort = () => fail(new SmallCallError('canceled', 'ERR_CANCELED', request.signal?.reason));
    const req = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? agents.https : agents.http });
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.timeoutMs) req.setTimeout(request.timeoutMs, () => fail(new SmallCallError(`timeout of ${request.timeoutMs}ms exceeded`, 'ECONNABORTED')));
    req.on('error', (error: NodeJS.ErrnoException) => fail(new SmallCallError(error.message, error.code ?? '', error)));
    req.on('response', (res) => {
      // No body to decode after a HEAD, a 204 or a 304, or when it is empty (gunzip would call that corrupt).
      const bodyless = request.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304 || res.headers['content-length'] === '0';
      const encoding = bodyless ? '' : String(res.headers['content-encoding'] ?? '').toLowerCase();
      const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
      const stream: Readable = decoder ? res.pipe(decoder) : res;
      if (decoder) decoder.on('error', (error: NodeJS.ErrnoException) => fail(new SmallCallError(error.message, error.code ?? 'ERR_BAD_RESPONSE', error)));
      res.on('error', (error: NodeJS.ErrnoException) => fail(new SmallCallError(error.message, error.code ?? '', error)));
      res.on('aborted', () => fail(new SmallCallError('The answer was cut off', 'ECONNRESET')));
      res.on('close', () => {
        if (!res.complete) fail(new SmallCallError('The answer was cut off', 'ECONNRESET'));
      });
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) return fail(new TooLargeError(`maxContentLength size of ${maxResponseBytes} exceeded`));
        chunks.push(chunk);
      });
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        request.signal?.removeEventListener('abort', onAbort);
        const headers = { ...res.headers };
        // The body handed on is decoded: its length and encoding no longer describe it.
        if (decoder) {
          delete headers['content-encoding'];
          delete headers['content-length'];
        }
        resolve({ status: res.statusCode ?? 0, headers: normalizeHeaders(headers as Record<string, unknown>), body: Buffer.concat(chunks, size) });
      });
    });
    req.end(body);
  });
}
