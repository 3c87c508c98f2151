// mediavalet-events: MediaValet's real-time events (SkyHOOK, Enterprise plan). On deploy it
// serves a webhook whose path carries this node's secret, subscribes that URL (behind the
// user's Public URL) to the chosen event types, and sends one message per event and asset.
// Removing or disabling the node unsubscribes; a redeploy or restart keeps the subscription
// (found again by its URL, never made twice), so MediaValet's retries bring what arrived
// while the node was down, and the ids already sent keep them from being sent twice.
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  accountLibraryId,
  type CloudEvent,
  ConfigurationError,
  createSubscription,
  deleteSubscription,
  eventOutputs,
  findSubscriptions,
  fromLibrary,
  handshakeAnswer,
  type MediaValetClient,
  readDelivery,
  SKYHOOK_MAX_BODY_BYTES,
  SkyhookDeliveryError,
} from '../core';
import { configNode, errorDetails, statusText, toNodeError } from './adapter';
import { storeDir } from './account';
import { EventState, urlHash } from './event-state';
import type { Node, NodeMessage, RED } from './red';
import { storeSecret } from './token-store';
import { answer, mountAhead, nodeRoot, readBody, secretPathMatcher } from './webhook-route';

interface EventsConfig {
  account: string;
  events?: string[] | string;
  publicUrl?: string;
  fetchAsset?: boolean | string;
  assetFormat?: 'compact' | 'full';
}

export const WEBHOOK_PATH = 'mediavalet/events/';

/** The event types as the dialog stores them (an array; a comma-separated text is read too). */
export function eventTypesOf(value: unknown): string[] {
  // Imported without the property: the dialog's default (a new upload or version).
  if (value === undefined || value === null) return ['Asset.MediaFileAdded'];
  const list = Array.isArray(value) ? value : String(value ?? '').split(',');
  return [...new Set(list.map((e) => String(e).trim()).filter(Boolean))];
}

/** Public URL + the webhook path; a ConfigurationError naming the field when it is not usable. */
export function webhookUrl(publicUrl: string | undefined, secret: string): string {
  const base = String(publicUrl ?? '').trim();
  const problem = (why: string) =>
    new ConfigurationError(`Public URL ${why}.`, {
      code: 'invalid_config',
      kind: 'request',
      field: 'publicUrl',
      hint: 'Enter the address at which MediaValet reaches this Node-RED\'s HTTP endpoints from the internet, e.g. https://nodered.example.com (with httpNodeRoot, if you set one).',
    });
  if (!base) throw problem('is missing');
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw problem('is not a URL');
  }
  if (!/^https?:$/.test(parsed.protocol)) throw problem('must start with https:// (or http://)');
  if (parsed.username || parsed.password || parsed.search || parsed.hash) throw problem('must be a plain address, without user name, ?query or #fragment');
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}/${WEBHOOK_PATH}${secret}`;
}

const sameEvents = (a: string[], b: string[]) => a.length === b.length && a.every((e) => b.some((f) => f.toLowerCase() === e.toLowerCase()));

module.exports = function register(RED: RED) {
  function MediaValetEventsNode(this: Node, config: EventsConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const wanted = eventTypesOf(config.events);
    const fetchAsset = config.fetchAsset === true || config.fetchAsset === 'true';
    const simplify = config.assetFormat !== 'full';
    const dir = storeDir(RED);
    const state = EventState.forNode(dir, node.id);
    // The editor makes the secret when the node is added; a node deployed without one (an
    // imported flow never opened) gets one derived from Node-RED's credential secret, just as
    // stable and as hard to guess.
    const secret = node.credentials?.secret || createHmac('sha256', storeSecret(RED.settings, dir)).update(`mediavalet-events:${node.id}`).digest('base64url');
    const matches = secretPathMatcher(`${nodeRoot(RED)}${WEBHOOK_PATH}`, secret);
    const abort = new AbortController();
    const inFlight = new Map<string, Promise<boolean>>();
    let stopped = false;
    let sent = 0;
    let url: string | undefined;
    let client: MediaValetClient | undefined;
    let libraryReady: (id: string | undefined) => void = () => undefined;
    const library = new Promise<string | undefined>((resolve) => (libraryReady = resolve));

    const unmount = mountAhead(RED, (req, res, next) => {
      if (!matches(req.url)) return next();
      serve(req, res).catch(() => answer(res, 500, 'The event could not be handled.'));
    });

    async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (req.method === 'OPTIONS') {
        const consent = handshakeAnswer(req.headers);
        // Not a handshake (an ordinary preflight): say what the route takes, consent to nothing.
        if (!consent) return answer(res, 204, '', { Allow: 'OPTIONS, POST' });
        return answer(res, consent.status, '', consent.headers);
      }
      if (req.method !== 'POST') return answer(res, 405, 'Only CloudEvents deliveries (POST) are taken here.', { Allow: 'OPTIONS, POST' });
      const body = await readBody(req, SKYHOOK_MAX_BODY_BYTES);
      if (!body) return answer(res, 413, `The delivery is larger than ${SKYHOOK_MAX_BODY_BYTES} bytes.`, {}, true);
      let events: CloudEvent[];
      try {
        events = readDelivery(body, req.headers['content-type']);
      } catch (error) {
        if (error instanceof SkyhookDeliveryError) return answer(res, error.status, error.message);
        throw error;
      }
      const libraryId = await library;
      let handled = true;
      for (const event of events) handled = (await receive(event, libraryId)) && handled;
      // 503 when the node stopped mid-way: MediaValet delivers again, to the next deploy.
      answer(res, handled ? 200 : 503, handled ? 'ok' : 'The node is stopping; deliver again later.');
    }

    /** One event: false when it could not be handled (the node stopped) and must come again. */
    function receive(event: CloudEvent, libraryId: string | undefined): Promise<boolean> {
      if (stopped) return Promise.resolve(false);
      if (!fromLibrary(event, libraryId)) {
        // The source is the sender's text: printable characters only into the log.
        node.warn(`Ignored a SkyHOOK event from another library (source ${String(event.source).slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}).`);
        return Promise.resolve(true);
      }
      // A duplicate arriving while the first is still being handled waits for it.
      const pending = inFlight.get(event.id);
      if (pending) return pending;
      if (state.window.has(event.id)) return Promise.resolve(true);
      const run = emit(event).finally(() => inFlight.delete(event.id));
      inFlight.set(event.id, run);
      return run;
    }

    async function emit(event: CloudEvent): Promise<boolean> {
      const head = { id: event.id, type: event.type, time: event.time ?? null, subject: event.subject ?? null, source: event.source };
      let outputs: Array<Record<string, unknown>> | undefined;
      try {
        if (!client) throw new Error('The node is not connected to MediaValet: see the error it reported at deploy.');
        outputs = await eventOutputs(client, event, { fetchAsset, simplify, signal: abort.signal });
      } catch (error) {
        if (stopped) return false;
        // The event still reaches Catch nodes, with what failed: it is not lost, and not retried.
        node.status({ fill: 'red', shape: 'ring', text: statusText(error) });
        node.error(toNodeError(error), { topic: event.type, payload: event.data ?? {}, event: head, mediavalet: { error: errorDetails(error) } });
      }
      if (stopped) return false;
      state.window.firstTime(event.id);
      for (const output of outputs ?? []) {
        const message: NodeMessage = { topic: event.type, payload: 'asset' in output ? output.asset : output.data, event: output.event, assetId: output.assetId, data: output.data };
        node.send(message);
        sent++;
      }
      // Saved after sending: a crash in between sends again (at least once), never skips.
      state.save().catch((error) => node.warn(`Could not save the ids of the events sent: ${String((error as Error).message)}`));
      if (outputs) node.status({ fill: 'green', shape: 'dot', text: `${sent} message(s), last at ${new Date().toLocaleTimeString()}` });
      return true;
    }

    /** Once every node of the deploy runs: an error at deploy must find the Catch nodes started. */
    let releaseStart: () => void = () => undefined;
    const flowsStarted = () =>
      new Promise<void>((resolve) => {
        const done = (releaseStart = () => {
          clearTimeout(timer);
          RED.events?.removeListener('flows:started', done);
          resolve();
        });
        const timer = setTimeout(done, 5000);
        RED.events?.once('flows:started', done);
      });

    async function subscribe(): Promise<void> {
      node.status({ fill: 'yellow', shape: 'ring', text: 'subscribing…' });
      await flowsStarted();
      if (stopped) return libraryReady(undefined);
      try {
        const account = configNode(RED, node, config.account);
        if (!account) throw new Error('No MediaValet account is selected: open this node and pick or add one.');
        if (!unmount) throw new Error('This Node-RED serves no HTTP endpoints (httpNodeRoot is false in settings.js), so MediaValet cannot deliver events to it.');
        if (!wanted.length) throw new Error('No event type is selected: open this node and tick at least one.');
        url = webhookUrl(config.publicUrl, secret);
        client = account.getClient();
        libraryReady(await accountLibraryId(client).catch(() => undefined));
        const hash = urlHash(url);
        // A subscription this node made for an earlier Public URL goes first.
        if (state.subscription && state.subscription.urlHash !== hash) {
          await deleteSubscription(client, state.subscription.id);
          state.subscription = undefined;
        }
        const existing = await findSubscriptions(client, url);
        const keep = existing.find((s) => sameEvents(s.events, wanted));
        for (const other of existing) if (other !== keep) await deleteSubscription(client, other.id);
        if (stopped) return;
        const id = keep?.id ?? (await createSubscription(client, url, wanted)).id;
        state.subscription = { id, urlHash: hash };
        await state.save();
        if (!stopped) node.status({ fill: 'green', shape: 'ring', text: `listening for ${wanted.length} event type(s)` });
      } catch (error) {
        libraryReady(undefined);
        if (stopped) return;
        node.status({ fill: 'red', shape: 'ring', text: statusText(error) });
        node.error(toNodeError(error), { payload: undefined, mediavalet: { error: errorDetails(error) } });
      }
    }
    const subscribing = subscribe();

    async function unsubscribe(): Promise<void> {
      if (!client || !url) return;
      const ids = new Set((await findSubscriptions(client, url)).map((s) => s.id));
      if (state.subscription) ids.add(state.subscription.id);
      for (const id of ids) await deleteSubscription(client, id);
    }

    node.on('close', async (removed, done) => {
      stopped = true;
      abort.abort();
      releaseStart();
      unmount?.();
      await subscribing;
      if (removed) {
        try {
          await unsubscribe();
          await state.remove();
        } catch (error) {
          node.error(toNodeError(error), { payload: undefined, mediavalet: { error: errorDetails(error) } });
        }
      }
      node.status({});
      done();
    });
  }
  RED.nodes.registerType('mediavalet-events', MediaValetEventsNode as unknown as (this: Node, config: unknown) => void, {
    credentials: { secret: { type: 'password' } },
  });
};
