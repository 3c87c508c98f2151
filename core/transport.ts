// The one thing core needs from its host: send an HTTP request, hand back the answer.
// n8n passes an adapter over its own request helper (so proxies and n8n's settings
// apply); Node-RED, the demo and the tests use the axios adapter (node-red/axios-transport).
import { NetworkError } from './errors';

/**
 * Node's stream type, named once for core and the n8n nodes. A type only: nothing is
 * loaded at run time, which is why it is not an import declaration (n8n Cloud's
 * no-restricted-imports rule reads those whether or not they are type-only).
 */
export type Readable = import('node:stream').Readable;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL, query string included. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer | Readable;
  /** 'buffer' reads the whole body (bounded by maxResponseBytes); 'stream' hands it over unread. */
  responseType: 'buffer' | 'stream';
  timeoutMs?: number;
  /** Larger bodies fail with a NetworkError (code response_too_large). */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse<B = Buffer | Readable> {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: B;
}

/**
 * Must resolve for every HTTP status, including 4xx and 5xx: status handling is core's job.
 * Must reject only when there is no answer, with a NetworkError (see errors.ts).
 */
export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
}

export const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Header names in lower case, multi-valued headers joined: what HttpResponse.headers holds. */
export function normalizeHeaders(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) if (value !== undefined && value !== null) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}

/** Host only, for messages: paths and query strings can carry SAS signatures. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

export function responseTooLarge(url: string, limit: number): NetworkError {
  return new NetworkError(`${hostOf(url)} sent a response larger than the ${limit} bytes allowed.`, {
    code: 'response_too_large',
    kind: 'terminal',
    hint: 'Ask for fewer records per page.',
  });
}
