// Every MediaValet API call goes through MediaValetClient.request(): it adds the bearer
// token, the subscription key and the pinned API version, renews the token once on
// 401, waits out throttling, retries what is safe to retry, reads the envelope and
// turns every failure into a MediaValetError that says what to fix.
import { baseUrl, DEFAULT_API_URL, DEFAULT_API_VERSION, DEFAULT_TIMEOUT_SECONDS, requireValue, secureUrl } from './config';
import { type Envelope, itemsOf, readEnvelope, rejectedFields, serverMessageOf, warningMessages } from './envelope';
import { ApiError, AuthenticationError, bounded, ConfigurationError, type ErrorCode, isMediaValetError, MAX_QUOTED, MediaValetError, NetworkError, scrubError } from './errors';
import { checkCount, TEXT_LIMITS } from './inputs';
import { parseRetryAfter, summarizeText } from './oauth';
import { redact } from './redact';
import { backoffDelay, DEFAULT_RETRY, retryableNetworkError, retryableStatus, type RetryPolicy, type Sleep } from './retry';
import type { AccessTokenSource } from './token-manager';
import { AdaptiveLimit, type Slot } from './limiter';
import { type HttpMethod, type HttpRequest, type HttpResponse, type HttpTransport, IDEMPOTENT_METHODS, type Readable, responseTooLarge } from './transport';

export type QueryValue = string | number | boolean | undefined | null;

export interface ApiRequest {
  method: HttpMethod;
  /** Path under the API base URL, e.g. `/assets/{id}`. */
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** 'buffer': a successful answer is returned as raw bytes in `payload` (files, non-JSON endpoints). */
  responseType?: 'json' | 'buffer';
  /**
   * A read sent as POST (POST /assets/search): repeating it cannot do anything twice, so it
   * is retried on 500, 502, 504 and network failures like a GET. Only core's own search
   * calls set it; a POST is otherwise a write and never repeated once it may have arrived.
   */
  idempotent?: boolean;
}

export interface ApiResponse<T = unknown> extends Envelope<T> {
  status: number;
  headers: Record<string, string>;
  /** The decoded body as MediaValet sent it. */
  body: unknown;
  /**
   * What MediaValet warned about (Meta.Warnings: an unneeded field ignored, a parameter it
   * does not support) as "field: message" lines. The call succeeded; hosts show these
   * beside the result, never as an error.
   */
  warningMessages: string[];
}

export interface Page<T> {
  items: T[];
  offset: number;
  totalRecordsFound?: number;
  warningMessages: string[];
}

export interface PageRequest extends Omit<ApiRequest, 'body'> {
  /** For POST searches: the body, to which offset and count are added. */
  body?: Record<string, unknown>;
  /**
   * Records per request: leave it out unless the user chose it. Left out, the pager asks
   * for a large page (LARGE_PAGE_SIZE) and learns MediaValet's cap from its 400 or from a
   * short page while more remain; a size the user chose is asked for as it is (still
   * clipped to a cap learned before).
   */
  pageSize?: number;
  /** Stop after this many records in all. */
  limit?: number;
  offset?: number;
}

export interface MediaValetClientOptions {
  /** Sends API calls. */
  transport: HttpTransport;
  /** Sends requests to signed storage URLs (no MediaValet credentials); defaults to `transport`. */
  storageTransport?: HttpTransport;
  /**
   * Where bearer tokens come from. Leave it out when the transport authenticates each
   * call itself (n8n's httpRequestWithAuthentication adds the token and renews it on 401).
   */
  tokens?: AccessTokenSource;
  subscriptionKey: string;
  apiUrl?: string;
  apiVersion?: string;
  allowInsecure?: boolean;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Largest JSON answer accepted (default 32 MiB). */
  maxResponseBytes?: number;
  /** The host's wait between retries (tests pass one that records instead of waiting). */
  sleep: Sleep;
  /**
   * API calls in flight at once, adapting to MediaValet's throttling (core/limiter.ts). Pass a
   * number for a limit of this client's own, or one AdaptiveLimit shared by clients of one account.
   */
  inFlight?: number | AdaptiveLimit;
  /**
   * Called when MediaValet answered a call with warnings (Meta.Warnings): the call succeeded,
   * so hosts show them as warnings (Node-RED node.warn, n8n's logger), never as an error.
   */
  onWarnings?: (warnings: string[], what: string) => void;
  /**
   * Where page caps learned from MediaValet are kept beyond this client, by API URL: a host
   * that builds a client per run (n8n) passes one map for the process, so the 400 that
   * teaches the cap is met once, not once per execution.
   */
  pageCaps?: Map<string, number>;
}

const SUBSCRIPTION_KEY_HEADER = 'Ocp-Apim-Subscription-Key';
/** MediaValet's documented default page size (facts sheet); no maximum is documented. */
export const DEFAULT_PAGE_SIZE = 50;
/** Bounds a user's page size and limit are checked against (public tools page with up to 9,999). */
export const MAX_PAGE_SIZE = 10_000;
export const MAX_LIMIT = 10_000_000;
/**
 * What the pager asks for when the caller chose no page size: public tools page with 1,000
 * through MediaValet's gateway (facts sheet). A lower cap is learned from the answer.
 */
export const LARGE_PAGE_SIZE = 1000;
const JSON_PATCH = 'application/json-patch+json';
/** A call renews the token at most this often, and answers at most this many 401s by trying again. */
const MAX_RENEWALS = 3;
const MAX_FOLLOWS = 6;
export class MediaValetClient {
  readonly apiUrl: string;
  readonly apiVersion: string;
  readonly retry: RetryPolicy;
  readonly transport: HttpTransport;
  readonly storageTransport: HttpTransport;
  private readonly subscriptionKey: string;
  private readonly tokens?: AccessTokenSource;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  /** The host's timer (n8n-workflow's in n8n, Node's elsewhere): core has none of its own. */
  readonly sleep: Sleep;
  private readonly onWarnings?: (warnings: string[], what: string) => void;
  /** The largest page this MediaValet accepts, once a 400 about the count or a short page has told us. */
  private learnedPageCap?: number;
  private readonly pageCaps?: Map<string, number>;
  /** Every API call waits here for its turn; storage transfers do not (they are not MediaValet's gateway). */
  readonly limit: AdaptiveLimit;

  constructor(options: MediaValetClientOptions) {
    this.apiUrl = baseUrl(secureUrl(options.apiUrl ?? DEFAULT_API_URL, 'apiUrl', options.allowInsecure));
    this.subscriptionKey = requireValue(options.subscriptionKey, 'subscriptionKey', 'Subscription Key');
    this.apiVersion = options.apiVersion || DEFAULT_API_VERSION;
    this.transport = options.transport;
    this.storageTransport = options.storageTransport ?? options.transport;
    this.tokens = options.tokens;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
    this.maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep;
    this.onWarnings = options.onWarnings;
    this.pageCaps = options.pageCaps;
    this.learnedPageCap = this.pageCaps?.get(this.apiUrl);
    this.limit = options.inFlight instanceof AdaptiveLimit ? options.inFlight : new AdaptiveLimit({ max: options.inFlight, sleep: options.sleep, maxPauseMs: this.retry.maxDelayMs });
  }

  /** Fresh headers for a call made outside this client (n8n's Get Token, Node-RED's token node). */
  async authHeaders(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { [SUBSCRIPTION_KEY_HEADER]: this.subscriptionKey, 'x-mv-api-version': this.apiVersion };
    if (this.tokens) headers.Authorization = `Bearer ${await this.tokens.getAccessToken()}`;
    return headers;
  }

  /** Scrubs every secret this client knows from a text. */
  redact(text: string): string {
    return redact(text, [this.subscriptionKey, ...(this.tokens?.secrets() ?? [])]);
  }

  url(path: string, query?: ApiRequest['query']): string {
    const url = new URL(`${this.apiUrl}${path.startsWith('/') ? path : `/${path}`}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== null && v !== '') url.searchParams.append(key, String(v));
    }
    return url.toString();
  }

  async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
    try {
      return await this.send<T>(request);
    } catch (error) {
      throw this.scrub(error);
    }
  }

  private async send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    // The request as errors name it: a path quoted whole could be megabytes.
    const what = `${request.method} ${bounded(request.path, MAX_QUOTED)}`;
    const url = this.url(request.path, request.query);
    // Our own oversized input fails here, once: sent, a proxy resets it and the reset reads as a network fault.
    if (url.length > TEXT_LIMITS.url) {
      throw new ConfigurationError(`The request ${what} is ${url.length} characters long: at most ${TEXT_LIMITS.url} are sent.`, {
        code: 'invalid_input',
        kind: 'request',
        field: 'path',
        hint: 'An ID, path or query parameter is far too long; check the values the node was given (long values belong in the body).',
      });
    }
    let rereadIncomplete = false;
    // How this call followed the token: renewals it asked for, 401s it answered by trying again,
    // and whether the token it sends was obtained after a refusal (then a 401 means it).
    let renewals = 0;
    let followed = 0;
    let refusedAt: number | undefined;
    let freshRefusals = 0;
    // The end of the limit's pause this call has already slept through (its own backoff).
    let waitedUntil = 0;
    // A throttled call waits out the limit's pause in its line, at the front.
    let retryingThrottled = false;
    for (let attempt = 0; ; attempt++) {
      let token: string | undefined;
      try {
        token = this.tokens ? await this.tokens.getAccessToken() : undefined;
      } catch (error) {
        // The identity server throttled, failed or sent garbage: as retryable as the API call itself.
        if (isMediaValetError(error) && error.kind === 'transient' && attempt < this.retry.maxRetries) {
          await this.sleep(this.retryDelay(attempt, error.retryAfterSeconds) ?? backoffDelay(this.retry, attempt), request.signal);
          continue;
        }
        throw error;
      }
      // Canonical header names: a host that adds the same headers (n8n's credential
      // authenticate) then overwrites ours instead of sending them twice.
      const httpRequest: HttpRequest = {
        method: request.method,
        url,
        headers: {
          Accept: 'application/json',
          ...request.headers,
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          [SUBSCRIPTION_KEY_HEADER]: this.subscriptionKey,
          'x-mv-api-version': this.apiVersion,
        },
        responseType: 'buffer',
        timeoutMs: request.timeoutMs ?? this.timeoutMs,
        maxResponseBytes: this.maxResponseBytes,
        signal: request.signal,
      };
      if (request.body !== undefined) {
        // Every MediaValet PATCH takes JSON Patch, and a strict server answers 415 to plain JSON.
        if (request.method === 'PATCH') for (const name of Object.keys(httpRequest.headers)) if (name.toLowerCase() === 'content-type') delete httpRequest.headers[name];
        httpRequest.headers['Content-Type'] = request.method === 'PATCH' ? JSON_PATCH : 'application/json';
        httpRequest.body = JSON.stringify(request.body);
      }
      const idempotent = request.idempotent === true || IDEMPOTENT_METHODS.has(request.method);

      const slot = await this.limit.acquire(request.signal, waitedUntil, retryingThrottled);
      retryingThrottled = false;
      let response: HttpResponse | undefined;
      try {
        response = await this.attempt(this.transport, httpRequest, what, attempt, idempotent, slot);
      } finally {
        slot.release();
      }
      if (!response) continue;
      // Some host transports (n8n's request helpers) cannot stop reading at a limit; hold the line here.
      if ((response.body as Buffer).length > this.maxResponseBytes) throw responseTooLarge(httpRequest.url, this.maxResponseBytes);

      const text = (response.body as Buffer).toString('utf8');
      const body = decodeBody(text, response.headers['content-type']);

      if (response.status === 401) {
        const message = serverMessageOf(body.json) ?? '';
        if (/subscription key/i.test(message)) throw subscriptionKeyError(message);
        if (this.tokens && token !== undefined) {
          let follow = this.followToken(token, refusedAt);
          // A fresh token can be revoked with every other one (a revocation, a password change)
          // between its issue and its use: renew once more for that. A second fresh token
          // refused is MediaValet's refusal, not timing.
          if (follow === 'refused' && freshRefusals++ === 0) follow = 'renew';
          refusedAt = Date.now();
          if (follow !== 'refused') {
            if (follow === 'renew') {
              renewals++;
              this.tokens.invalidate(token);
            }
            if (renewals <= MAX_RENEWALS && ++followed <= MAX_FOLLOWS) {
              attempt--;
              continue;
            }
            throw new AuthenticationError(`MediaValet refused ${followed} access tokens in a row for ${what}: each had expired or been replaced before it arrived.`, {
              code: 'unauthorized',
              kind: 'transient',
              status: 401,
              serverMessage: message || undefined,
              hint: 'The machine or the network is slow for the access token\'s lifetime: run fewer items or executions at once, or try again.',
            });
          }
        }
        if (!this.tokens) {
          // The host authenticates each call (n8n): it has already signed in again or refreshed
          // after the first 401 and sent the call once more, and MediaValet refused that too. The
          // sign-in itself worked, so this is no reason to stop the other items.
          throw new AuthenticationError(`MediaValet answered 401 to ${what} twice: the access token was renewed after the first answer and the retry was refused too.`, {
            code: 'unauthorized',
            kind: 'transient',
            status: 401,
            serverMessage: message || undefined,
            hint: 'With short-lived access tokens on a busy machine the renewed token can expire before the retry arrives: run it again, or set the node\'s Retry On Fail. If every call fails this way, check the Subscription Key field of the MediaValet credential, and that the API URL and the Identity Server URL belong to the same MediaValet region.',
          });
        }
        throw new AuthenticationError(`MediaValet rejected a freshly issued access token for ${what}.`, {
          code: 'reconnect_required',
          kind: 'terminal',
          status: 401,
          serverMessage: message || undefined,
          hint: 'Reconnect the MediaValet account; if it persists, check that the API URL and identity server URL belong to the same MediaValet region.',
        });
      }

      if (response.status >= 400) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        const delay = this.retryDelay(attempt, retryAfter);
        if (response.status === 429 && attempt < this.retry.maxRetries && delay !== undefined) {
          // The limit has begun its pause (Retry-After, or the backoff): wait it out in the line,
          // ahead of calls never sent. A timer of its own would lose the next rate window to
          // them now and then, and an unlucky item of a long run would run out of retries.
          retryingThrottled = true;
          continue;
        }
        if (retryableStatus(response.status, request.method, idempotent) && attempt < this.retry.maxRetries && delay !== undefined) {
          waitedUntil = this.limit.pausedUntilMs;
          await this.sleep(delay, request.signal);
          continue;
        }
        throw apiError(response.status, what, body, retryAfter);
      }

      if (request.responseType === 'buffer') {
        const raw = response.body as Buffer;
        return { payload: raw as unknown as T, status: response.status, headers: response.headers, body: raw, warningMessages: [] };
      }
      if (body.json === undefined && body.incomplete) {
        // A 200 cut short (a dropped connection, a proxy's limit): the setting is fine. A read
        // is asked once more; a write may have been done, so it is never repeated.
        if (idempotent && !rereadIncomplete) {
          rereadIncomplete = true;
          attempt--;
          continue;
        }
        throw new ApiError(`MediaValet's answer to ${what} was incomplete: the JSON ends part way (${text.length} characters received)${idempotent ? ', twice' : ''}.`, {
          code: 'invalid_response',
          kind: 'transient',
          status: response.status,
          hint: idempotent
            ? 'The connection or a proxy cut the answer short; try again later.'
            : 'The connection or a proxy cut the answer short, so it is unknown whether MediaValet made the change: check the record before trying again.',
        });
      }
      if (body.json === undefined && text.trim() !== '') {
        throw new ApiError(`MediaValet answered ${what} with something that is not JSON${body.html ? ' (an HTML page)' : ''}: ${summarizeText(text)}`, {
          code: 'invalid_response',
          kind: 'transient',
          status: response.status,
          hint: 'Check the API URL setting; a proxy or gateway may be answering instead of MediaValet.',
          field: 'apiUrl',
        });
      }
      const envelope = readEnvelope<T>(body.json ?? null);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const rejected = rejectedFields(envelope);
        if (rejected.length) {
          throw new ApiError(
            `MediaValet rejected ${rejected.length === 1 ? 'a field' : `${rejected.length} fields`} of ${what}: ${rejected.map((r) => (r.field ? `${r.field} (${r.message})` : r.message)).join('; ')}.`,
            {
              code: 'rejected_fields',
              kind: 'request',
              status: response.status,
              rejectedFields: rejected.map((r) => r.field).filter(Boolean),
              hint: 'Correct or remove the fields named; the others were saved.',
            },
          );
        }
      }
      const warnings = warningMessages(envelope);
      if (warnings.length) this.onWarnings?.(warnings.map((w) => this.redact(w)), what);
      return { ...envelope, status: response.status, headers: response.headers, body: body.json, warningMessages: warnings };
    }
  }

  /**
   * What a 401 for `token` asks for. A token older than the one held now: send again with that
   * one (the 401 of a call that was under way while another renewed). The token held: renew it,
   * unless it was obtained after this call's last refusal and was still valid when refused,
   * which is a refusal of a fresh token, the only 401 that is an error.
   */
  private followToken(token: string, refusedAt: number | undefined): 'current' | 'renew' | 'refused' {
    const held = this.tokens?.current;
    if (held && held.accessToken !== token) return 'current';
    if (refusedAt === undefined || !held) return 'renew';
    const obtainedSince = (held.issuedAt ?? 0) >= refusedAt;
    return obtainedSince && held.expiresAt > Date.now() ? 'refused' : 'renew';
  }

  /** The page cap learned from MediaValet (a 400 about the count, or a short page while more remain). */
  get pageCap(): number | undefined {
    return this.learnedPageCap;
  }

  private learnPageCap(cap: number): void {
    this.learnedPageCap = cap;
    if (!this.pageCaps) return;
    // Bounded: one entry per MediaValet API URL a process talks to.
    if (!this.pageCaps.has(this.apiUrl) && this.pageCaps.size >= 64) this.pageCaps.delete(this.pageCaps.keys().next().value as string);
    this.pageCaps.set(this.apiUrl, cap);
  }

  /**
   * Pages of a list or search, one request each, until MediaValet has no more. The one
   * paging rule for every caller: as large a page as MediaValet gives (LARGE_PAGE_SIZE
   * unless the caller chose a size), its cap learned for this client from a 400 about the
   * count (the same page then asked again) or from a page shorter than asked while the
   * total says more remain.
   */
  async *pages<T = unknown>(request: PageRequest): AsyncGenerator<Page<T>> {
    const pageSize = checkCount(request.pageSize, 'Page size', { max: MAX_PAGE_SIZE }) ?? LARGE_PAGE_SIZE;
    let remaining = checkCount(request.limit, 'Limit', { max: MAX_LIMIT }) ?? Number.POSITIVE_INFINITY;
    let offset = request.offset ?? 0;
    while (remaining > 0) {
      const count = Math.min(pageSize, this.learnedPageCap ?? Number.POSITIVE_INFINITY, remaining);
      const paging = { offset, count };
      let response: ApiResponse<unknown>;
      try {
        response = await this.request<unknown>(
          request.body !== undefined
            ? { ...request, body: { ...request.body, ...paging } }
            : { ...request, body: undefined, query: { ...request.query, ...paging, includeTotalCount: true } },
        );
      } catch (error) {
        const cap = capFromRefusal(error, count);
        if (cap === undefined) throw error;
        this.learnPageCap(cap);
        continue;
      }
      const items = itemsOf<T>(response.payload).slice(0, count);
      const total = response.recordCount?.totalRecordsFound;
      yield { items, offset, totalRecordsFound: total, warningMessages: response.warningMessages };
      offset += items.length;
      remaining -= items.length;
      // With a total, trust it: MediaValet may cap pages below the count asked for (a short
      // page while more remain: that is its cap). Without one, a short page is the end.
      if (items.length === 0 || (total !== undefined ? offset >= total : items.length < count)) return;
      if (total !== undefined && items.length < count && (this.learnedPageCap === undefined || items.length < this.learnedPageCap)) this.learnPageCap(items.length);
    }
  }

  /** Every record of a list or search, one at a time; memory holds one page. */
  async *paginate<T = unknown>(request: PageRequest): AsyncGenerator<T> {
    for await (const page of this.pages<T>(request)) yield* page.items;
  }

  /** Sends a request to a signed storage URL (Azure SAS): no bearer token, no subscription key. */
  async storageRequest(request: Omit<HttpRequest, 'timeoutMs'> & { timeoutMs?: number }, what: string): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const idempotent = IDEMPOTENT_METHODS.has(request.method);
      const response = await this.attempt(this.storageTransport, { timeoutMs: this.timeoutMs, ...request }, what, attempt, idempotent);
      if (!response) continue;
      if (response.status >= 400 && retryableStatus(response.status, request.method, idempotent) && attempt < this.retry.maxRetries) {
        await drain(response.body);
        // Storage has no "fail at once" answer for a long Retry-After: back off instead.
        await this.sleep(this.retryDelay(attempt, parseRetryAfter(response.headers['retry-after'])) ?? backoffDelay(this.retry, attempt), request.signal);
        continue;
      }
      return response;
    }
  }

  /** One send; on a network failure that is safe to retry, waits and returns undefined. */
  private async attempt(transport: HttpTransport, request: HttpRequest, what: string, attempt: number, idempotent: boolean, slot?: Slot): Promise<HttpResponse | undefined> {
    try {
      const response = await transport.request(request);
      slot?.release({ status: response.status, retryAfterSeconds: parseRetryAfter(response.headers['retry-after']) });
      return response;
    } catch (error) {
      // The place is given back before any wait: a call backing off holds no one else up.
      slot?.release();
      const err = isMediaValetError(error) ? error : new NetworkError(`${what} failed: ${(error as Error)?.message}`, { code: 'network_error', kind: 'transient', cause: error });
      if (attempt < this.retry.maxRetries && retryableNetworkError(err, request.method, idempotent)) {
        await this.sleep(backoffDelay(this.retry, attempt), request.signal);
        return undefined;
      }
      throw this.scrub(err);
    }
  }

  /**
   * How long to wait before the next try: MediaValet's Retry-After (with a little jitter so a
   * crowd does not return at once) when it is within the cap, undefined when it is longer,
   * and exponential backoff when there is none.
   */
  private retryDelay(attempt: number, retryAfterSeconds: number | undefined): number | undefined {
    if (retryAfterSeconds === undefined) return backoffDelay(this.retry, attempt);
    return retryAfterSeconds <= this.retry.maxRetryAfterSeconds ? retryAfterSeconds * 1000 + Math.random() * 100 : undefined;
  }

  scrub<E>(error: E): E {
    if (error instanceof MediaValetError) return scrubError(error, (text) => this.redact(text));
    if (error instanceof Error) {
      return new NetworkError(this.redact(error.message), { code: 'network_error', kind: 'transient' }) as unknown as E;
    }
    return error;
  }
}

/**
 * The smaller page to ask for when MediaValet refused `count` with a 400 about the count,
 * or undefined when the 400 was about something else. Its own number when the message
 * names one ("count must be between 1 and 50 (was 100)"), else the documented default,
 * else half: always smaller than the count refused, so the retries end.
 */
export function capFromRefusal(error: unknown, count: number): number | undefined {
  if (!(error instanceof MediaValetError) || error.status !== 400 || count <= 1) return undefined;
  const text = `${error.serverMessage ?? ''} ${error.message}`;
  if (!/\bcount\b|page ?size/i.test(text)) return undefined;
  const named =
    /between\s+\d+\s+and\s+(\d+)/i.exec(text)?.[1] ??
    /(?:at most|maximum(?: of| is)?|max(?:imum)?\s*[:=]?|no more than|up to|not exceed|<=)\s*(\d+)/i.exec(text)?.[1] ??
    /(\d+)\s+or\s+(?:less|fewer)/i.exec(text)?.[1];
  const cap = named === undefined ? undefined : Number(named);
  if (cap !== undefined && cap >= 1 && cap < count) return cap;
  return count > DEFAULT_PAGE_SIZE ? DEFAULT_PAGE_SIZE : Math.floor(count / 2);
}

function decodeBody(text: string, contentType = ''): { json?: unknown; html: boolean; incomplete?: boolean } {
  const html = /html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(text);
  if (html || text.trim() === '') return { html };
  try {
    return { json: JSON.parse(text), html: false };
  } catch {
    return { html: false, incomplete: cutShort(text) };
  }
}

/**
 * True when the text is the start of a JSON object or array that stops part way: every
 * bracket and string opened is still open at the end. Garbage that is not JSON at all (a
 * gateway's plain-text page) is not "incomplete": that one points at the API URL setting.
 */
export function cutShort(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') open.push(c);
    else if (c === '}' || c === ']') {
      const last = open.pop();
      if (!last || (c === '}') !== (last === '{')) return false;
      if (!open.length && i < trimmed.length - 1) return false;
    }
  }
  return open.length > 0 || inString;
}

function subscriptionKeyError(message: string): ApiError {
  return new ApiError(`MediaValet rejected the subscription key: ${message}`, {
    code: 'invalid_subscription_key',
    kind: 'terminal',
    status: 401,
    serverMessage: message,
    field: 'subscriptionKey',
    hint: 'Check the Subscription Key field of the MediaValet credentials (from the MediaValet developer portal).',
  });
}

const STATUS_CODES: Record<number, { code: ErrorCode; hint: string }> = {
  400: { code: 'bad_request', hint: 'Check the values sent; MediaValet\'s message says which.' },
  403: { code: 'forbidden', hint: 'The MediaValet user lacks the permission for this; ask a MediaValet administrator.' },
  404: { code: 'not_found', hint: 'Check the id: the record may have been deleted or never existed.' },
  409: { code: 'conflict', hint: 'The record changed meanwhile; read it again and retry.' },
  429: { code: 'throttled', hint: 'MediaValet is throttling requests; run fewer at once or wait.' },
};

function apiError(status: number, what: string, body: { json?: unknown; html: boolean }, retryAfter?: number): ApiError {
  const serverMessage = serverMessageOf(body.json);
  const known = STATUS_CODES[status];
  const transient = status === 429 || status >= 500;
  const code: ErrorCode = known?.code ?? (status >= 500 ? 'server_error' : 'bad_request');
  const said = serverMessage ? `: ${serverMessage}` : body.html ? ' (an HTML error page)' : '.';
  const hint =
    status === 429 && retryAfter !== undefined
      ? `MediaValet asked to wait ${Math.ceil(retryAfter)} s before retrying.`
      : known?.hint ?? (transient ? 'MediaValet had a problem; try again later.' : 'Check the request.');
  return new ApiError(`MediaValet answered ${status} to ${what}${said}`, {
    code,
    kind: transient ? 'transient' : 'request',
    status,
    serverMessage,
    retryAfterSeconds: retryAfter,
    hint,
  });
}

/** Reads and discards a streamed body so the socket can be reused. */
export async function drain(body: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < 64 * 1024) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks);
}

