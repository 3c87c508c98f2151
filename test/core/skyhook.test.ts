// SkyHOOK's receiving rules, shared by n8n's trigger and Node-RED's events node: the
// CloudEvents handshake, reading a delivery (400/413 for what is not one), de-duplicating on
// the event id across a restart, the library check and the asset ids an event names.
import { assetIdsOf, type CloudEvent, EventIdWindow, fromLibrary, handshakeAnswer, readDelivery, SKYHOOK_EVENT_TYPES, SKYHOOK_MAX_BODY_BYTES, SkyhookDeliveryError } from '../../core';

const LIB = '5b3c9a4e-1f2d-4c6b-9e8a-7d6c5b4a3f21';
const ASSET = '10000000-0000-4000-8000-000000000001';

const event = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'e7d3c1a0-0000-4000-8000-000000000001',
  source: LIB,
  type: 'Asset.MediaFileAdded',
  subject: `/library/${LIB}/assets/${ASSET}/MediaFile.FromUploadProcess`,
  time: '2026-12-05T01:00:00.000Z',
  specversion: '1.0',
  dataschema: '#',
  contenttype: 'application/json',
  data: { LibraryId: LIB, AssetId: ASSET, Version: 1, FileName: 'a.png', FileSize: 10, Reason: 'FromUploadProcess' },
  ...over,
});

function refusal(fn: () => unknown): SkyhookDeliveryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SkyhookDeliveryError) return error;
    throw error;
  }
  throw new Error('no refusal');
}

describe('handshakeAnswer', () => {
  it('consents to the abuse-protection handshake with the origin and any rate', () => {
    expect(handshakeAnswer({ 'webhook-request-origin': 'eventgrid.azure.net', 'webhook-request-rate': '120' })).toEqual({
      status: 200,
      headers: { 'WebHook-Allowed-Origin': 'eventgrid.azure.net', 'WebHook-Allowed-Rate': '*' },
    });
  });

  it('reads the header whatever its case and takes the first of repeated values', () => {
    expect(handshakeAnswer({ 'WebHook-Request-Origin': ['eventgrid.azure.net', 'other'] })?.headers['WebHook-Allowed-Origin']).toBe('eventgrid.azure.net');
  });

  it('is no handshake without WebHook-Request-Origin (a CORS preflight, a bare OPTIONS)', () => {
    expect(handshakeAnswer({ origin: 'https://example.com', 'access-control-request-method': 'POST' })).toBeUndefined();
    expect(handshakeAnswer({ 'webhook-request-origin': '  ' })).toBeUndefined();
    expect(handshakeAnswer({})).toBeUndefined();
  });

  it('never echoes a value that could split a response header', () => {
    expect(handshakeAnswer({ 'webhook-request-origin': 'evil\r\nSet-Cookie: a=b' })?.headers['WebHook-Allowed-Origin']).toBe('*');
  });
});

describe('readDelivery', () => {
  it('reads one CloudEvent from bytes, text or a parsed body', () => {
    const raw = JSON.stringify(event());
    for (const body of [Buffer.from(raw), raw, JSON.parse(raw)]) {
      const [e] = readDelivery(body, 'application/cloudevents+json; charset=utf-8');
      expect(e).toEqual({
        id: 'e7d3c1a0-0000-4000-8000-000000000001',
        source: LIB,
        type: 'Asset.MediaFileAdded',
        specversion: '1.0',
        subject: `/library/${LIB}/assets/${ASSET}/MediaFile.FromUploadProcess`,
        time: '2026-12-05T01:00:00.000Z',
        data: expect.objectContaining({ AssetId: ASSET, LibraryId: LIB }),
      });
    }
  });

  it('reads a batch (application/cloudevents-batch+json) in order', () => {
    const events = readDelivery(JSON.stringify([event({ id: 'a' }), event({ id: 'b' })]), 'application/cloudevents-batch+json');
    expect(events.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it.each([
    ['bad JSON', '{"id":', /not JSON/],
    ['an empty body', '', /empty/],
    ['no id', JSON.stringify(event({ id: undefined })), /has no "id"/],
    ['no source', JSON.stringify(event({ source: undefined })), /has no "source"/],
    ['no type', JSON.stringify(event({ type: '' })), /"type"/],
    ['no specversion', JSON.stringify(event({ specversion: undefined })), /"specversion"/],
    ['CloudEvents 0.3', JSON.stringify(event({ specversion: '0.3' })), /not 1\.0/],
    ['Event Grid schema', JSON.stringify([{ id: 'x', eventType: 'Asset.MediaFileAdded', subject: 's', eventTime: 't', dataVersion: '1' }]), /has no "source"|specversion/],
    ['a JSON string', '"hello"', /not a JSON object/],
    ['an empty batch', '[]', /empty/],
    ['a batch type with one object', JSON.stringify(event()), /must be a JSON array/],
  ])('answers 400 to %s', (_what, body, message) => {
    const type = _what === 'a batch type with one object' ? 'application/cloudevents-batch+json' : 'application/cloudevents+json';
    const error = refusal(() => readDelivery(body, type));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(200);
  });

  it('answers 400 to no body at all and to an id too long to remember', () => {
    expect(refusal(() => readDelivery(undefined, undefined)).status).toBe(400);
    expect(refusal(() => readDelivery(event({ id: 'x'.repeat(300) }), 'application/json')).status).toBe(400);
  });

  it('answers 413 above the size limit, as bytes, text or parsed', () => {
    const big = JSON.stringify(event({ data: { AssetId: ASSET, Pad: 'x'.repeat(SKYHOOK_MAX_BODY_BYTES) } }));
    expect(refusal(() => readDelivery(Buffer.from(big), undefined)).status).toBe(413);
    expect(refusal(() => readDelivery(big, undefined)).status).toBe(413);
    expect(refusal(() => readDelivery(JSON.parse(big), undefined)).status).toBe(413);
    // Just under the limit is fine.
    const fits = JSON.stringify(event({ data: { AssetId: ASSET, Pad: 'x'.repeat(SKYHOOK_MAX_BODY_BYTES - 600) } }));
    expect(readDelivery(fits, undefined)).toHaveLength(1);
  });

  it('reads data sent as a JSON string, and leaves out data that is no object', () => {
    expect(readDelivery(event({ data: JSON.stringify({ AssetId: ASSET }) }), undefined)[0].data).toEqual({ AssetId: ASSET });
    expect(readDelivery(event({ data: 'plain text' }), undefined)[0].data).toBeUndefined();
    expect(readDelivery(event({ data: [1, 2] }), undefined)[0].data).toBeUndefined();
  });
});

describe('EventIdWindow', () => {
  it('says first time once per id', () => {
    const window = new EventIdWindow();
    expect(window.firstTime('a')).toBe(true);
    expect(window.firstTime('a')).toBe(false);
    expect(window.firstTime('b')).toBe(true);
  });

  it('forgets the oldest ids past its capacity', () => {
    const window = new EventIdWindow(undefined, 3);
    for (const id of ['a', 'b', 'c', 'd']) window.firstTime(id);
    expect(window.toJSON()).toEqual(['b', 'c', 'd']);
    expect(window.firstTime('a')).toBe(true);
    expect(window.firstTime('d')).toBe(false);
    expect(window.size).toBe(3);
  });

  it('survives a restart through toJSON, as an array or as its JSON text', () => {
    const window = new EventIdWindow(undefined, 10);
    window.firstTime('a');
    window.firstTime('b');
    for (const saved of [window.toJSON(), JSON.stringify(window)]) {
      const again = new EventIdWindow(saved, 10);
      expect(again.firstTime('a')).toBe(false);
      expect(again.firstTime('b')).toBe(false);
      expect(again.firstTime('c')).toBe(true);
    }
  });

  it('keeps only the newest ids of a saved list larger than its capacity, and ignores what is not an id', () => {
    const again = new EventIdWindow(['a', 7, null, 'b', 'c', '', 'x'.repeat(1000)], 2);
    expect(again.toJSON()).toEqual(['b', 'c']);
    expect(new EventIdWindow('not json').size).toBe(0);
    expect(new EventIdWindow({ a: 1 }).size).toBe(0);
  });

  it('handles an id again once forgotten', () => {
    const window = new EventIdWindow();
    window.firstTime('a');
    window.forget('a');
    expect(window.firstTime('a')).toBe(true);
  });
});

describe('fromLibrary and assetIdsOf', () => {
  const e = (over: Record<string, unknown> = {}) => readDelivery(event(over), undefined)[0];

  it('keeps events from the library, GUIDs compared without case or braces', () => {
    expect(fromLibrary(e(), LIB)).toBe(true);
    expect(fromLibrary(e({ source: LIB.toUpperCase() }), `{${LIB}}`)).toBe(true);
  });

  it('drops events from another library, by source or by data.LibraryId', () => {
    const other = '00000000-0000-4000-8000-00000000dead';
    expect(fromLibrary(e({ source: other }), LIB)).toBe(false);
    expect(fromLibrary(e({ data: { libraryid: other, AssetId: ASSET } }), LIB)).toBe(false);
  });

  it('keeps every event when the library id is not known', () => {
    expect(fromLibrary(e({ source: 'anything' }), undefined)).toBe(true);
  });

  it('names the asset of an asset event and every asset of a category assignment', () => {
    expect(assetIdsOf(e())).toEqual([ASSET]);
    const assigned: CloudEvent = e({ type: 'Category.AssetsAssigned', data: { assetIds: ['a', 'b', 'a', 3, ''], CategoryId: 'c', LibraryId: LIB } });
    expect(assetIdsOf(assigned)).toEqual(['a', 'b']);
    expect(assetIdsOf(e({ data: undefined }))).toEqual([]);
  });

  it('lists the eight documented event types', () => {
    expect(SKYHOOK_EVENT_TYPES).toHaveLength(8);
    expect(SKYHOOK_EVENT_TYPES).toContain('Category.AssetUnassigned');
  });
});

describe('latency figures (bench/skyhook.ts, for the closing notes)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { eventLatencies, latencySummary } = require('../helpers/skyhook') as typeof import('../helpers/skyhook');

  it('gives the median, the 99th percentile by nearest rank and the maximum', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 1..200, shuffled order
    expect(latencySummary(samples)).toEqual({ count: 200, medianMs: 100, p99Ms: 198, maxMs: 200 });
    expect(latencySummary([]).count).toBe(0);
  });

  it('pairs outputs with the time the simulator raised their event, and falls back to its first 2xx', () => {
    const d = (eventId: string, raisedAt: number, answeredAt: number, outcome: 'delivered' | 'retry') => ({ eventId, type: 't', subscriptionId: 's', attempt: 1, duplicate: false, status: 200, outcome, raisedAt, sentAt: raisedAt, answeredAt });
    const state = { libraryId: '', subscriptions: [], subscriptionCount: 0, raised: 2, pending: 0, deliveries: [d('a', 1000, 1005, 'retry'), d('a', 1000, 1100, 'delivered'), d('b', 2000, 2010, 'delivered'), d('b', 2000, 2050, 'delivered')] };
    expect(eventLatencies(state, [{ eventId: 'a', at: 1030 }, { eventId: 'b', at: 2020 }, { eventId: 'unknown', at: 5 }])).toMatchObject({ count: 2, medianMs: 20, maxMs: 30 });
    expect(eventLatencies(state)).toMatchObject({ count: 2, medianMs: 10, maxMs: 100 });
  });
});
