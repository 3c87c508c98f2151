// The HttpTransport of Node-RED (also used by the demo, tests and benchmarks). It lives
// with its host, not in core/, because n8n code must never load axios or node:http.
import axios, { AxiosError, type AxiosInstance } from 'axios';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { NetworkError } from '../core/errors';
import { DEFAULT_IN_FLIGHT } from '../core/limiter';
import { hostOf, type HttpRequest, type HttpResponse, type HttpTransport, normalizeHeaders, responseTooLarge } from '../core/transport';
import { isSmallCall, smallCall, TooLargeError } from './small-call';

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface AxiosTransportOptions {
  /** Sockets kept open per host; keep-alive matters for many small API calls. */
  maxSockets?: number;
  instance?: AxiosInstance;
}

export function createAxiosTransport(options: AxiosTransportOptions = {}): HttpTransport {
  // As many as the account lets calls be in flight (core's limiter decides how many go at once).
  const maxSockets = options.maxSockets ?? DEFAULT_IN_FLIGHT;
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets }), https: new https.Agent({ keepAlive: true, maxSockets }) };
  const instance =
    options.instance ??
    axios.create({
      httpAgent: agents.http,
      httpsAgent: agents.https,
      // Core decides what a status means; redirects are not part of MediaValet's API.
      validateStatus: () => true,
      maxRedirects: 0,
      // Core encodes and decodes bodies itself, so axios must not touch them.
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      proxy: false,
    });

  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      try {
        // Small calls over Node's http on the same pool; streams (uploads, downloads) through axios.
        if (!options.instance && isSmallCall(request)) return await smallCall(request, agents, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
        const response = await instance.request({
          method: request.method,
          url: request.url,
          headers: request.headers,
          data: request.body,
          responseType: request.responseType === 'stream' ? 'stream' : 'arraybuffer',
          timeout: request.timeoutMs ?? 0,
          maxContentLength: request.responseType === 'stream' ? -1 : request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
          maxBodyLength: Infinity,
          signal: request.signal,
        });
        const headers = normalizeHeaders(response.headers as Record<string, unknown>);
        const body = request.responseType === 'stream' ? (response.data as Readable) : Buffer.from(response.data as ArrayBuffer);
        return { status: response.status, headers, body };
      } catch (error) {
        throw toNetworkError(error, request);
      }
    },
  };
}

function toNetworkError(error: unknown, request: HttpRequest): NetworkError {
  const host = hostOf(request.url);
  const err = error as AxiosError & { code?: string };
  const code = err?.code ?? '';
  if (error instanceof TooLargeError) return responseTooLarge(request.url, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  if (axios.isCancel(error) || code === 'ERR_CANCELED') {
    return new NetworkError(`The request to ${host} was cancelled.`, { code: 'aborted', kind: 'terminal', cause: error });
  }
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(err?.message ?? '')) {
    return new NetworkError(`${host} did not answer within ${request.timeoutMs} ms.`, {
      code: 'timeout',
      kind: 'transient',
      hint: 'MediaValet may be slow or unreachable; try again, or raise the timeout.',
      cause: error,
    });
  }
  if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/i.test(err?.message ?? '')) return responseTooLarge(request.url, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  return new NetworkError(`Could not reach ${host} (${code || err?.message || 'network error'}).`, {
    code: 'network_error',
    kind: 'transient',
    hint: 'Check the host setting and the network; the request may be retried.',
    notSent: code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN',
    cause: error,
  });
}
