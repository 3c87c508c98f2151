// SkyHOOK, MediaValet's real-time events (Enterprise plan): the rules both hosts share for
// receiving them (the CloudEvents handshake, reading a delivery, de-duplicating, checking the
// source) and for subscribing. Deliveries come through Azure Event Grid: at least once, in any
// order, unsigned; so the webhook URL carries the host's secret, and nothing here ever puts
// that URL into an error, a log line or an output.
import type { MediaValetClient } from './client';
import { compactAsset, getAssetById } from './assets';
import { itemsOf, member, readEnvelope } from './envelope';
import { ApiError, isMediaValetError, MediaValetError, scrubError } from './errors';

/** The event types MediaValet documents; the pickers fall back to them when GET /skyhook/events fails. */
export const SKYHOOK_EVENT_TYPES: readonly string[] = Object.freeze([
  'Asset.MediaFileAdded',
  'Asset.StatusUpdated',
  'Asset.KeywordsAdded',
  'Asset.KeywordRemoved',
  'Asset.AttributesAdded',
  'Asset.VideoRenditionsAdded',
  'Category.AssetsAssigned',
  'Category.AssetUnassigned',
]);

export interface CloudEvent {
  id: string;
  source: string;
  type: string;
  specversion: string;
  subject?: string;
  time?: string;
  data?: Record<string, unknown>;
}

/** Event Grid's own limit for one event is 1 MB: anything larger is not a SkyHOOK delivery. */
export const SKYHOOK_MAX_BODY_BYTES = 1024 * 1024;

/** Ids are GUIDs in practice; a longer one is refused so the de-duplication window stays small. */
const MAX_ID_LENGTH = 256;
/** Events one batch delivery may carry (Event Grid sends one at a time; a batch is at most a few). */
const MAX_BATCH = 1000;

const header = (headers: Record<string, unknown>, name: string): string | undefined => {
  const value = member(headers, name);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() ? first.trim() : undefined;
};

/**
 * The answer to the CloudEvents abuse-protection handshake (an OPTIONS carrying
 * WebHook-Request-Origin), which Event Grid sends before it creates the subscription and
 * without which it refuses to deliver. A bare 200 or 204 is a refusal, hence the headers.
 * Undefined when the request is no handshake (an ordinary CORS preflight, for instance).
 */
export function handshakeAnswer(headers: Record<string, unknown>): { status: 200; headers: Record<string, string> } | undefined {
  const origin = header(headers ?? {}, 'webhook-request-origin');
  if (!origin) return undefined;
  // Echo the origin only when it is a plain token: anything else must not reach a response header.
  const allowed = /^[\x21-\x7e]{1,253}$/.test(origin) ? origin : '*';
  return { status: 200, headers: { 'WebHook-Allowed-Origin': allowed, 'WebHook-Allowed-Rate': '*' } };
}

/** A delivery refused: the status is what the webhook must answer (Event Grid does not retry 400 and 413). */
export class SkyhookDeliveryError extends Error {
  readonly status: 400 | 413;
  constructor(status: 400 | 413, message: string) {
    super(message);
    this.name = 'SkyhookDeliveryError';
    this.status = status;
  }
}

const notCloudEvent = (why: string) => new SkyhookDeliveryError(400, `The request is not a CloudEvents 1.0 delivery: ${why}.`);

function sizeOf(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8');
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

/**
 * The events a delivery carries: one CloudEvent (application/cloudevents+json, Event Grid's
 * way) or an array (application/cloudevents-batch+json). The body may be the raw bytes, the
 * text, or what the host's body parser made of it. Throws SkyhookDeliveryError 413 above
 * SKYHOOK_MAX_BODY_BYTES and 400 for anything that is not CloudEvents 1.0.
 */
export function readDelivery(body: unknown, contentType: string | undefined): CloudEvent[] {
  let value = body;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    if (sizeOf(value) > SKYHOOK_MAX_BODY_BYTES) throw new SkyhookDeliveryError(413, `The delivery is larger than ${SKYHOOK_MAX_BODY_BYTES} bytes.`);
    const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
    if (!text.trim()) throw notCloudEvent('the body is empty');
    try {
      value = JSON.parse(text);
    } catch {
      throw notCloudEvent('the body is not JSON');
    }
  } else if (value && typeof value === 'object') {
    // Parsed by the host already: measure it as it would have arrived.
    let length = 0;
    try {
      length = Buffer.byteLength(JSON.stringify(value), 'utf8');
    } catch {
      throw notCloudEvent('the body cannot be read as JSON');
    }
    if (length > SKYHOOK_MAX_BODY_BYTES) throw new SkyhookDeliveryError(413, `The delivery is larger than ${SKYHOOK_MAX_BODY_BYTES} bytes.`);
  } else {
    throw notCloudEvent('the body is empty');
  }
  const batch = /cloudevents-batch\+json/i.test(contentType ?? '');
  if (Array.isArray(value)) {
    if (!value.length) throw notCloudEvent('the batch is empty');
    if (value.length > MAX_BATCH) throw new SkyhookDeliveryError(413, `The batch has more than ${MAX_BATCH} events.`);
    return value.map((entry, i) => cloudEventOf(entry, `event ${i + 1} of the batch`));
  }
  if (batch) throw notCloudEvent('a batch (application/cloudevents-batch+json) must be a JSON array');
  return [cloudEventOf(value, 'the event')];
}

function cloudEventOf(value: unknown, what: string): CloudEvent {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw notCloudEvent(`${what} is not a JSON object`);
  const text = (name: string, required: boolean): string | undefined => {
    const v = (value as Record<string, unknown>)[name];
    if (v === undefined || v === null) {
      if (required) throw notCloudEvent(`${what} has no "${name}"`);
      return undefined;
    }
    if (typeof v !== 'string' || (required && !v.trim())) throw notCloudEvent(`"${name}" of ${what} is not a non-empty string`);
    return v;
  };
  const specversion = text('specversion', true)!;
  if (!/^1(\.\d+)?$/.test(specversion)) throw notCloudEvent(`${what} is CloudEvents "${specversion.slice(0, 20)}", not 1.0`);
  const id = text('id', true)!;
  if (id.length > MAX_ID_LENGTH) throw notCloudEvent(`the id of ${what} is longer than ${MAX_ID_LENGTH} characters`);
  const event: CloudEvent = { id, source: text('source', true)!, type: text('type', true)!, specversion };
  const subject = text('subject', false);
  const time = text('time', false);
  if (subject !== undefined) event.subject = subject;
  if (time !== undefined) event.time = time;
  const data = (value as Record<string, unknown>).data;
  if (data && typeof data === 'object' && !Array.isArray(data)) event.data = data as Record<string, unknown>;
  else if (typeof data === 'string') {
    // Some producers send JSON data as a string; read it when it is an object.
    try {
      const parsed = JSON.parse(data) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) event.data = parsed as Record<string, unknown>;
    } catch {
      /* not JSON: no data to read */
    }
  }
  return event;
}

/**
 * The CloudEvent ids already handled, for de-duplicating at-least-once deliveries. Bounded:
 * past `capacity` the oldest are forgotten. `toJSON()` is what a host stores (n8n: the
 * workflow's static data; Node-RED: the node's context) and hands back to the constructor.
 */
export class EventIdWindow {
  static readonly DEFAULT_CAPACITY = 1000;
  readonly capacity: number;
  private readonly ids = new Set<string>();

  constructor(saved?: unknown, capacity = EventIdWindow.DEFAULT_CAPACITY) {
    this.capacity = Number.isInteger(capacity) && capacity > 0 ? capacity : EventIdWindow.DEFAULT_CAPACITY;
    let list = saved;
    if (typeof list === 'string') {
      try {
        list = JSON.parse(list);
      } catch {
        list = undefined;
      }
    }
    if (Array.isArray(list)) for (const id of list) if (typeof id === 'string' && id && id.length <= MAX_ID_LENGTH) this.remember(id);
  }

  /** True the first time an id is seen (and remembers it); false for a duplicate. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.remember(id);
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Forgets an id, so a redelivery is handled again (when handling it failed). */
  forget(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Oldest first. */
  toJSON(): string[] {
    return [...this.ids];
  }

  private remember(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    while (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
}

const guid = (value: unknown): string => String(value ?? '').trim().replace(/^\{|\}$/g, '').toLowerCase();

/**
 * True when the event comes from the account's library: its `source` (and `data.LibraryId`,
 * when present) is the library id. Without a known library id there is nothing to compare
 * and the event is kept (the secret in the webhook URL still guards it).
 */
export function fromLibrary(event: CloudEvent, libraryId: string | undefined): boolean {
  const library = guid(libraryId);
  if (!library) return true;
  if (guid(event.source) !== library) return false;
  const dataLibrary = member(event.data, 'LibraryId');
  return dataLibrary === undefined || dataLibrary === null || guid(dataLibrary) === library;
}

/**
 * The account's library id, to check the `source` of deliveries: read from GET /users/current
 * (libraryId, or library.id). Undefined when MediaValet does not say.
 */
export async function accountLibraryId(client: MediaValetClient): Promise<string | undefined> {
  const user = (await client.request({ method: 'GET', path: '/users/current' })).payload;
  const id = member(user, 'libraryId') ?? member(member(user, 'library'), 'id');
  return typeof id === 'string' && id.trim() ? id.trim() : undefined;
}

/** The assets an event is about: data.AssetId, or data.AssetIds[] (Category.AssetsAssigned). */
export function assetIdsOf(event: CloudEvent): string[] {
  const ids: string[] = [];
  const one = member(event.data, 'AssetId');
  if (typeof one === 'string' && one.trim()) ids.push(one.trim());
  const many = member(event.data, 'AssetIds');
  if (Array.isArray(many)) for (const id of many) if (typeof id === 'string' && id.trim()) ids.push(id.trim());
  return [...new Set(ids)];
}

export interface EventOutputOptions {
  /** Read each asset the event names and add it to the record. */
  fetchAsset: boolean;
  /** With fetchAsset: the compact record (compactAsset) instead of the whole asset. */
  simplify: boolean;
  signal?: AbortSignal;
}

/**
 * What a trigger emits for one event: one record per asset it names (one record for an event
 * without an asset), `{ event, assetId, data }`, plus `asset` when asked for. An asset deleted
 * since the event gives `asset: null`, not a failure.
 */
export async function eventOutputs(client: MediaValetClient, event: CloudEvent, options: EventOutputOptions): Promise<Array<Record<string, unknown>>> {
  const head = { id: event.id, type: event.type, time: event.time ?? null, subject: event.subject ?? null, source: event.source };
  const ids = assetIdsOf(event);
  const out: Array<Record<string, unknown>> = [];
  for (const assetId of ids.length ? ids : [null]) {
    const record: Record<string, unknown> = { event: head, assetId, data: event.data ?? {} };
    if (options.fetchAsset && assetId) {
      try {
        const asset = await getAssetById(client, assetId, options.signal);
        record.asset = options.simplify ? compactAsset(asset) : asset;
      } catch (error) {
        if (!(isMediaValetError(error) && error.status === 404)) throw error;
        record.asset = null;
      }
    }
    out.push(record);
  }
  return out;
}

// ---------------------------------------------------------------- subscriptions

export interface SkyhookSubscription {
  id: string;
  /** The webhook URL MediaValet delivers to (it carries the host's secret: never show it). */
  url: string;
  events: string[];
}

const SUBSCRIPTIONS = '/skyhook/subscriptions';
const NO_ENTERPRISE_HINT =
  'SkyHOOK (real-time events) needs MediaValet\'s Enterprise plan with SkyHOOK enabled for the API subscription; ask MediaValet support to enable it, or use the polling mode instead.';

/**
 * MediaValet answers 401, 403 or 404 on /skyhook when the account has no SkyHOOK: say that,
 * with MediaValet's words, rather than "not found" or "reconnect".
 */
function skyhookRefused(error: unknown, what: string): unknown {
  if (!isMediaValetError(error) || error.code === 'invalid_subscription_key') return error;
  const refused = error.status === 403 || error.status === 404 || (error.status === 401 && (error.code === 'reconnect_required' || error.code === 'unauthorized'));
  if (!refused) return error;
  return new ApiError(`MediaValet refused ${what} (${error.status}${error.serverMessage ? `: ${error.serverMessage}` : ''}).`, {
    code: 'skyhook_unavailable',
    kind: 'terminal',
    status: error.status,
    serverMessage: error.serverMessage,
    hint: NO_ENTERPRISE_HINT,
    cause: error,
  });
}

async function skyhookCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw skyhookRefused(error, what);
  }
}

/** GET /skyhook/events: the event types the account may subscribe to. */
export async function listSkyhookEventTypes(client: MediaValetClient): Promise<Array<{ name: string; description?: string }>> {
  const payload = await skyhookCall('the SkyHOOK event list', async () => (await client.request({ method: 'GET', path: '/skyhook/events' })).payload);
  const out: Array<{ name: string; description?: string }> = [];
  for (const entry of itemsOf(payload)) {
    const name = typeof entry === 'string' ? entry : member(entry, 'name') ?? member(entry, 'eventName') ?? member(entry, 'type');
    if (typeof name !== 'string' || !name.trim()) continue;
    const description = typeof entry === 'string' ? undefined : member(entry, 'description');
    out.push({ name: name.trim(), ...(typeof description === 'string' && description.trim() ? { description: description.trim() } : {}) });
  }
  return out;
}

function subscriptionOf(entry: unknown): SkyhookSubscription | undefined {
  const id = member(entry, 'id') ?? member(entry, 'subscriptionId');
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') return undefined;
  const url = member(member(entry, 'data'), 'webhook') ?? member(entry, 'webhook') ?? member(entry, 'url') ?? member(entry, 'endpoint');
  const events = member(entry, 'events');
  return {
    id: String(id).trim(),
    url: typeof url === 'string' ? url : '',
    events: Array.isArray(events) ? events.map((e) => (typeof e === 'string' ? e : member(e, 'name'))).filter((e): e is string => typeof e === 'string') : [],
  };
}

const sameUrl = (a: string, b: string): boolean => {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

/** GET /skyhook/subscriptions/list: every subscription of the account. */
export async function listSubscriptions(client: MediaValetClient): Promise<SkyhookSubscription[]> {
  const payload = await skyhookCall('the SkyHOOK subscription list', async () => (await client.request({ method: 'GET', path: `${SUBSCRIPTIONS}/list` })).payload);
  return itemsOf(payload).map(subscriptionOf).filter((s): s is SkyhookSubscription => !!s);
}

/** The subscriptions that deliver to this webhook URL. */
export async function findSubscriptions(client: MediaValetClient, url: string): Promise<SkyhookSubscription[]> {
  return (await listSubscriptions(client)).filter((s) => sameUrl(s.url, url));
}

/** An id in the create answer, if MediaValet sent one: JSON ({id}, {subscriptionId}, the envelope's payload) or a bare id as text. */
function idInAnswer(raw: Buffer): string | undefined {
  const text = raw.toString('utf8').trim();
  if (!text) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return /^[A-Za-z0-9._:-]{1,200}$/.test(text) ? text : undefined;
  }
  const payload = readEnvelope(json).payload;
  for (const candidate of [payload, json]) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
    const id = member(candidate, 'subscriptionId') ?? member(candidate, 'id');
    if ((typeof id === 'string' && id.trim()) || typeof id === 'number') return String(id).trim();
  }
  return undefined;
}

/** Texts MediaValet (Event Grid behind it) uses when the webhook did not consent. */
const HANDSHAKE_FAILED = /handshake|validat|abuse|webhook.*(refus|fail|reject|consent)|allowed-origin/i;

/** The URL, its path and query in any server text, so the secret it carries never reaches an error. */
function hideUrl(url: string): (text: string) => string {
  const forms = new Set<string>([url]);
  try {
    const parsed = new URL(url);
    forms.add(parsed.href);
    forms.add(`${parsed.pathname}${parsed.search}`);
    forms.add(parsed.pathname);
    for (const segment of parsed.pathname.split('/')) if (segment.length >= 16) forms.add(segment);
    for (const value of parsed.searchParams.values()) if (value.length >= 16) forms.add(value);
  } catch {
    /* not a URL: only the text itself */
  }
  const ordered = [...forms].filter((f) => f && f !== '/').sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((t, form) => t.split(form).join('[webhook URL]'), text);
}

/**
 * POST /skyhook/subscriptions for these event types. MediaValet's answer may carry the id
 * (read case-insensitively) or be empty (the published examples): the new subscription is
 * then the one for this URL that was not there before. The POST is never repeated.
 */
export async function createSubscription(client: MediaValetClient, url: string, events: string[]): Promise<{ id: string }> {
  const hide = hideUrl(url);
  const wanted = [...new Set(events.map((e) => String(e).trim()).filter(Boolean))];
  if (!wanted.length) throw new ApiError('Choose at least one SkyHOOK event type.', { code: 'bad_request', kind: 'request', field: 'events' });
  try {
    const before = new Set((await findSubscriptions(client, url)).map((s) => s.id));
    const answer = await skyhookCall('a SkyHOOK subscription', () =>
      client.request<Buffer>({ method: 'POST', path: SUBSCRIPTIONS, body: { Events: wanted.map((Name) => ({ Name })), Type: 'webhook', Data: { webhook: url } }, responseType: 'buffer' }),
    );
    const id = idInAnswer(answer.payload);
    if (id) return { id };
    // The list may lag the create by a moment.
    for (let attempt = 0; attempt < 4; attempt++) {
      const made = (await findSubscriptions(client, url)).filter((s) => !before.has(s.id));
      if (made.length) return { id: made[made.length - 1].id };
      await client.sleep(500 * (attempt + 1));
    }
    throw new ApiError('MediaValet accepted the SkyHOOK subscription but neither answered its id nor listed it.', {
      code: 'invalid_response',
      kind: 'transient',
      hint: 'Try activating again in a minute; if it persists, ask MediaValet support to check the subscriptions of the account.',
    });
  } catch (error) {
    throw handshakeOrScrubbed(error, hide);
  }
}

function handshakeOrScrubbed(error: unknown, hide: (text: string) => string): unknown {
  if (!isMediaValetError(error)) return error;
  scrubError(error, hide);
  if (error.status !== undefined && error.status >= 400 && error.status < 500 && error.code !== 'skyhook_unavailable' && HANDSHAKE_FAILED.test(`${error.serverMessage ?? ''}`)) {
    return new ApiError(`MediaValet could not create the SkyHOOK subscription: the webhook URL did not pass the CloudEvents handshake (${error.status}${error.serverMessage ? `: ${error.serverMessage}` : ''}).`, {
      code: 'handshake_failed',
      kind: 'terminal',
      status: error.status,
      serverMessage: error.serverMessage,
      hint:
        'The URL must be reachable from the internet and answer an OPTIONS request carrying WebHook-Request-Origin with 200 and the headers WebHook-Allowed-Origin and WebHook-Allowed-Rate. n8n answers every OPTIONS itself with a bare 204: put the reverse-proxy rule from the README in front of n8n, or set Public URL to a proxy or relay that answers it.',
      cause: error,
    });
  }
  return error;
}

/** DELETE /skyhook/subscriptions/{id}; a subscription already gone (404) is not an error. */
export async function deleteSubscription(client: MediaValetClient, id: string): Promise<void> {
  try {
    await client.request({ method: 'DELETE', path: `${SUBSCRIPTIONS}/${encodeURIComponent(id)}` });
  } catch (error) {
    if (error instanceof MediaValetError && error.status === 404) return;
    throw skyhookRefused(error, 'removing a SkyHOOK subscription');
  }
}
