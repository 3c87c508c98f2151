// core's HttpTransport over n8n's own request helpers, so n8n's proxy settings, SSRF rules,
// execution cancellation and credential handling apply. n8n renews OAuth2 tokens only when a
// request *throws* on 401: calls go out with every status returned, and after a 401 one call
// per credential at a time takes the throwing (renewing) path, the others then send again.
import type { IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { AuthenticationError, hostOf, type HttpRequest, type HttpResponse, type HttpTransport, type MediaValetError, NetworkError, normalizeHeaders, type Readable } from '../../../core';
import { mediaValetErrorIn } from './sign-in-error';

type Send = (options: IHttpRequestOptions) => Promise<unknown>;

interface AxiosLike {
  code?: string;
  message?: string;
  httpCode?: string;
  description?: string;
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
  cause?: unknown;
  /** n8n's own failures say what kind they are: 'credential-invalid' when a refresh was refused. */
  failure?: { cause?: string };
}

function findResponse(error: unknown): AxiosLike['response'] | undefined {
  let current = error as AxiosLike | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current.response?.status) return current.response;
    current = current.cause as AxiosLike | undefined;
  }
  return undefined;
}

function findCode(error: unknown): string {
  let current = error as AxiosLike | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current.code === 'string' && current.code) return current.code;
    current = current.cause as AxiosLike | undefined;
  }
  return '';
}

function bodyOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (typeof data === 'string') return Buffer.from(data);
  if (data === undefined || data === null) return Buffer.alloc(0);
  return Buffer.from(JSON.stringify(data));
}

/**
 * OAuth2 renewals under way, by credential: n8n's OAuth2 helper refreshes on every 401 it sees,
 * and refreshes in parallel replay a rotated refresh token, which revokes the grant. So calls
 * go out with every status returned, and after a 401 one call at a time is sent through n8n's
 * refreshing path; the others wait for it and then send again with the token it saved.
 */
const renewals = new Map<string, Promise<HttpResponse>>();

export function n8nTransport(send: Send, authenticated: boolean, renewalKey?: string): HttpTransport {
  const exchange = async (request: HttpRequest, refresh: boolean): Promise<HttpResponse> => {
    const options: IHttpRequestOptions = {
      method: request.method === 'OPTIONS' ? 'GET' : request.method,
      url: request.url,
      headers: request.headers,
      body: request.body as IHttpRequestOptions['body'],
      encoding: request.responseType === 'stream' ? 'stream' : 'arraybuffer',
      returnFullResponse: true,
      json: false,
      timeout: request.timeoutMs,
      ignoreHttpStatusErrors: refresh ? { ignore: true, except: [401] } : true,
      abortSignal: request.signal,
    };
    try {
      const response = (await send(options)) as IN8nHttpFullResponse;
      return {
        status: response.statusCode,
        headers: normalizeHeaders(response.headers as Record<string, unknown>),
        body: request.responseType === 'stream' ? (response.body as unknown as Readable) : bodyOf(response.body),
      };
    } catch (error) {
      // n8n already renewed the token and tried again: hand the 401 to core, which says what to fix.
      const response = mediaValetErrorIn(error) ? undefined : findResponse(error);
      if (response?.status) return { status: response.status, headers: normalizeHeaders(response.headers), body: bodyOf(response.data) };
      // n8n-workflow before 2.13 drops the cause of its NodeApiError, and MediaValet's answer with
      // it: the status is all that is left. Still a 401, so core says what a 401 means.
      if (authenticated && (error as AxiosLike)?.httpCode === '401') return { status: 401, headers: {}, body: Buffer.alloc(0) };
      throw failureOf(error, request);
    }
  };
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      if (!authenticated) return exchange(request, false);
      if (!renewalKey) return exchange(request, true);
      const first = await exchange(request, false);
      if (first.status !== 401) return first;
      const running = renewals.get(renewalKey);
      // A failed renewal (the grant revoked) fails the waiters with the same error: asked once.
      if (running) {
        await running;
        return exchange(request, false);
      }
      const renewal = exchange(request, true);
      renewals.set(renewalKey, renewal);
      try {
        return await renewal;
      } finally {
        if (renewals.get(renewalKey) === renewal) renewals.delete(renewalKey);
      }
    },
  };
}

/**
 * What a request that got no usable answer from n8n's helper means, as core's error: returned,
 * not thrown, so the one throw site above stays the transport's (n8n's lint wants nodes to
 * throw NodeApiError; core's errors become those in the router).
 */
function failureOf(error: unknown, request: HttpRequest): MediaValetError {
  // A sign-in that failed in the credential (wrong password, client secret): core's own
  // error, which names the field and says it is terminal, not a network failure.
  const ours = mediaValetErrorIn(error);
  if (ours) return ours;
  const text = `${(error as AxiosLike)?.message ?? ''} ${(error as AxiosLike)?.description ?? ''}`;
  // n8n's OAuth2 helper turns a refused refresh (invalid_grant) into "The credential … needs to be
  // reconnected"; older n8n versions pass on its OAuth client's RFC 6749 text for invalid_grant.
  if (/invalid_grant|needs to be reconnected|refresh token is invalid, expired, revoked/i.test(text) || (error as AxiosLike)?.failure?.cause === 'credential-invalid') {
    return new AuthenticationError('The MediaValet sign-in has expired or was revoked (refresh token rejected).', {
      code: 'reconnect_required',
      kind: 'terminal',
      hint: 'Open the MediaValet credential and press "Connect my account" again.',
    });
  }
  // The OAuth client's RFC 6749 text for invalid_client: the identity server refused the client.
  if (/^Client authentication failed/i.test(String((error as AxiosLike)?.message ?? ''))) {
    return new AuthenticationError('MediaValet refused the client while renewing the sign-in (invalid_client).', {
      code: 'invalid_client',
      kind: 'terminal',
      field: 'clientAuth',
      hint: 'Check the Client ID and Client Secret fields; if they are right, switch Client Authentication (a secret holding + : or % needs "In the Request Body"), then press "Connect my account" again.',
    });
  }
  const code = findCode(error);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text)) {
    return new NetworkError(`${hostOf(request.url)} did not answer within ${request.timeoutMs} ms.`, { code: 'timeout', kind: 'transient', hint: 'MediaValet may be slow or unreachable; try again.' });
  }
  if (code === 'ERR_CANCELED' || request.signal?.aborted) return new NetworkError('The request was cancelled.', { code: 'aborted', kind: 'terminal' });
  // No socket error code: n8n itself failed the request (e.g. signing in again); say what it said.
  if (!code && (error as AxiosLike)?.message) {
    return new NetworkError(`The request to ${hostOf(request.url)} failed: ${(error as AxiosLike).message}`, { code: 'network_error', kind: 'transient', hint: 'Check the MediaValet credential; the request may be retried.' });
  }
  return new NetworkError(`Could not reach ${hostOf(request.url)} (${code || 'network error'}).`, {
    code: 'network_error',
    kind: 'transient',
    notSent: code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN',
    hint: 'Check the URLs in the MediaValet credential and the network.',
  });
}
