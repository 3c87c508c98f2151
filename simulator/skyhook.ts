// The simulator's SkyHOOK: subscriptions (Enterprise plan) and a deliverer that behaves like
// the Azure Event Grid MediaValet runs on. Before a subscription exists the webhook must
// consent to the CloudEvents handshake (OPTIONS with WebHook-Request-Origin; a bare 2xx is
// refusal); then every event goes out as one CloudEvent 1.0 per POST, retried on Event Grid's
// schedule (compressed by skyhookRetryScale for tests) until a 200-204, never after 400, 401
// or 413. The strict profile also sends some events twice and a burst out of order, as
// at-least-once delivery allows. Webhook URLs carry the hosts' secrets: they are never logged.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ProfileSettings } from './profiles';

/** The eight documented event types (facts sheet), with the description GET /skyhook/events gives. */
export const SKYHOOK_EVENTS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'Asset.MediaFileAdded', description: 'A file was uploaded: a new asset or a new version.' },
  { name: 'Asset.StatusUpdated', description: 'The status of an asset changed.' },
  { name: 'Asset.KeywordsAdded', description: 'Keywords were added to an asset.' },
  { name: 'Asset.KeywordRemoved', description: 'A keyword was removed from an asset.' },
  { name: 'Asset.AttributesAdded', description: 'Attribute values of an asset were set.' },
  { name: 'Asset.VideoRenditionsAdded', description: 'Video renditions of an asset are ready.' },
  { name: 'Category.AssetsAssigned', description: 'Assets were put into a category.' },
  { name: 'Category.AssetUnassigned', description: 'An asset was taken out of a category.' },
];

/** The simulated library's id: the `source` of every event. */
export const SIM_LIBRARY_ID = 'b1b1b1b1-0000-4000-8000-00000000a11b';

/** Event Grid's retry schedule in seconds (then every 12 h up to 24 h). */
const RETRY_SCHEDULE_S = [10, 30, 60, 300, 600, 1800, 3600, 10800, 21600];
const TWELVE_HOURS_S = 12 * 3600;
const DAY_S = 24 * 3600;
const HANDSHAKE_ORIGIN = 'eventgrid.azure.net';

/** The profile's SkyHOOK settings (see profiles.ts for what each means). */
export type SkyhookSettings = Pick<
  ProfileSettings,
  'skyhookRefusal' | 'skyhookCreateAnswer' | 'skyhookDuplicateEvery' | 'skyhookBatchMs' | 'skyhookReorder' | 'skyhookRetryScale' | 'skyhookTimeoutMs'
>;

export interface SkyhookSubscription {
  id: string;
  events: string[];
  url: string;
  createdAt: string;
  createdBy: string;
}

export interface CloudEventOut {
  id: string;
  source: string;
  specversion: '1.0';
  type: string;
  subject: string;
  time: string;
  dataschema: string;
  contenttype: string;
  data: Record<string, unknown>;
}

/** One try to deliver one event to one subscription. */
export interface DeliveryRecord {
  eventId: string;
  type: string;
  subscriptionId: string;
  /** 1 for the first try. */
  attempt: number;
  /** This copy is a duplicate Event Grid sent on its own (strict profile). */
  duplicate: boolean;
  /** HTTP status, or 0 when no answer came (refused, reset, timed out). */
  status: number;
  outcome: 'delivered' | 'retry' | 'dropped' | 'expired' | 'cancelled';
  error?: string;
  /** Milliseconds since the epoch (a monotonic clock, unaffected by the simulator's clock offset). */
  raisedAt: number;
  sentAt: number;
  answeredAt: number;
}

const now = (): number => performance.timeOrigin + performance.now();

export class Skyhook {
  readonly subscriptions = new Map<string, SkyhookSubscription>();
  readonly log: DeliveryRecord[] = [];
  raised = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending: Array<{ event: CloudEventOut; raisedAt: number }> = [];
  private flushTimer?: NodeJS.Timeout;
  private readonly raisedAt = new Map<string, number>();
  private stopped = false;

  constructor(
    readonly settings: SkyhookSettings,
    readonly libraryId = SIM_LIBRARY_ID,
  ) {}

  // ---------------------------------------------------------------- subscriptions

  /** Event Grid's handshake: consent is 200 with WebHook-Allowed-Origin (and WebHook-Allowed-Rate). */
  async handshake(url: string): Promise<{ ok: true } | { ok: false; why: string }> {
    try {
      const response = await fetch(url, {
        method: 'OPTIONS',
        headers: { 'WebHook-Request-Origin': HANDSHAKE_ORIGIN, 'WebHook-Request-Rate': '120' },
        redirect: 'manual',
        signal: AbortSignal.timeout(Math.min(this.settings.skyhookTimeoutMs, 10_000)),
      });
      await response.arrayBuffer().catch(() => undefined);
      const origin = response.headers.get('webhook-allowed-origin');
      const rate = response.headers.get('webhook-allowed-rate');
      if (response.status !== 200) return { ok: false, why: `Http OPTIONS request failed with response code ${response.status}` };
      if (!origin || (origin.trim() !== '*' && origin.trim().toLowerCase() !== HANDSHAKE_ORIGIN)) return { ok: false, why: 'the response to OPTIONS did not carry WebHook-Allowed-Origin' };
      if (!rate) return { ok: false, why: 'the response to OPTIONS did not carry WebHook-Allowed-Rate' };
      return { ok: true };
    } catch (error) {
      return { ok: false, why: `Http OPTIONS request failed: ${(error as Error).name === 'TimeoutError' ? 'timed out' : 'no answer'}` };
    }
  }

  add(url: string, events: string[], by: string): SkyhookSubscription {
    const subscription = { id: randomUUID(), events, url, createdAt: new Date().toISOString(), createdBy: by };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  remove(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  // ---------------------------------------------------------------- events

  /** Raises an event from a change in the library; subscribers of its type get it. */
  raise(type: string, data: Record<string, unknown>, subjectTail: string): CloudEventOut {
    const event: CloudEventOut = {
      id: randomUUID(),
      source: this.libraryId,
      specversion: '1.0',
      type,
      subject: `/library/${this.libraryId}/${subjectTail}`,
      time: new Date().toISOString(),
      dataschema: '#',
      contenttype: 'application/json',
      data: { LibraryId: this.libraryId, ...data },
    };
    this.raised++;
    const raisedAt = now();
    this.raisedAt.set(event.id, raisedAt);
    if (this.raisedAt.size > 10_000) this.raisedAt.delete(this.raisedAt.keys().next().value as string);
    this.pending.push({ event, raisedAt });
    if (this.settings.skyhookBatchMs <= 0) this.flush();
    else this.flushTimer ??= this.later(() => this.flush(), this.settings.skyhookBatchMs);
    return event;
  }

  private flush(): void {
    this.flushTimer = undefined;
    const batch = this.settings.skyhookReorder ? this.pending.reverse() : this.pending;
    this.pending = [];
    for (const { event, raisedAt } of batch) {
      const copies = this.settings.skyhookDuplicateEvery > 0 && this.raisedSequence(event) % this.settings.skyhookDuplicateEvery === 0 ? 2 : 1;
      for (const subscription of this.subscriptions.values()) {
        if (!subscription.events.some((e) => e.toLowerCase() === event.type.toLowerCase())) continue;
        for (let copy = 0; copy < copies; copy++) {
          // The copy follows shortly, as Event Grid's own duplicates do.
          if (copy === 0) void this.deliver(subscription.id, event, raisedAt, 1, false);
          else this.later(() => void this.deliver(subscription.id, event, raisedAt, 1, true), 20);
        }
      }
    }
  }

  private sequence = new Map<string, number>();
  private raisedSequence(event: CloudEventOut): number {
    let n = this.sequence.get(event.id);
    if (n === undefined) {
      n = this.sequence.size + 1;
      this.sequence.set(event.id, n);
      if (this.sequence.size > 10_000) this.sequence.delete(this.sequence.keys().next().value as string);
    }
    return n;
  }

  private async deliver(subscriptionId: string, event: CloudEventOut, raisedAt: number, attempt: number, duplicate: boolean): Promise<void> {
    const subscription = this.subscriptions.get(subscriptionId);
    const record: DeliveryRecord = { eventId: event.id, type: event.type, subscriptionId, attempt, duplicate, status: 0, outcome: 'cancelled', raisedAt, sentAt: now(), answeredAt: 0 };
    if (!subscription || this.stopped) {
      // Deleting a subscription stops what it still had to deliver.
      record.answeredAt = record.sentAt;
      return void this.record(record);
    }
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'aeg-delivery-count': String(attempt - 1),
          'aeg-event-type': 'Notification',
          'aeg-subscription-name': `SKYHOOK-${subscription.id.toUpperCase()}`,
          'aeg-metadata-version': '1',
          'aeg-data-version': '',
          origin: HANDSHAKE_ORIGIN,
        },
        body: JSON.stringify(event),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.skyhookTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
    } catch (error) {
      record.error = (error as Error).name === 'TimeoutError' ? 'timed out' : 'no answer';
    }
    record.answeredAt = now();
    if (record.status >= 200 && record.status <= 204) record.outcome = 'delivered';
    else if ([400, 401, 413].includes(record.status)) record.outcome = 'dropped';
    else {
      const delay = retryDelaySeconds(attempt);
      if (delay === undefined) record.outcome = 'expired';
      else {
        record.outcome = 'retry';
        this.later(() => void this.deliver(subscriptionId, event, raisedAt, attempt + 1, duplicate), delay * 1000 * this.settings.skyhookRetryScale);
      }
    }
    this.record(record);
  }

  private record(record: DeliveryRecord): void {
    this.log.push(record);
    if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);
  }

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  /** What the control API shows: subscriptions (with their URLs, for tests), the log, the counts. */
  describe(): Record<string, unknown> {
    return {
      libraryId: this.libraryId,
      subscriptions: [...this.subscriptions.values()],
      subscriptionCount: this.subscriptions.size,
      raised: this.raised,
      pending: this.timers.size,
      deliveries: this.log,
    };
  }

  clearLog(): void {
    this.log.length = 0;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Seconds before try `attempt + 1` after try `attempt` failed, or undefined once 24 h have passed. */
export function retryDelaySeconds(attempt: number): number | undefined {
  let elapsed = 0;
  for (let i = 0; i < attempt; i++) {
    const delay = RETRY_SCHEDULE_S[i] ?? TWELVE_HOURS_S;
    elapsed += delay;
    if (elapsed > DAY_S) return undefined;
    if (i === attempt - 1) return delay;
  }
  return undefined;
}
