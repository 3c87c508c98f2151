// One SkyHOOK delivery, as n8n hands it to the node: the raw body (n8n parses no
// application/cloudevents+json), read by core as CloudEvents; 400 and 413 answered here
// (Event Grid does not retry them); events from another library dropped; each event id
// handled once. The window of handled ids lives in the workflow's static data (n8n saves it
// as it answers, so it survives restarts); a window in memory also catches a duplicate that
// arrives while the first delivery is still being handled.
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { accountLibraryId, type CloudEvent, EventIdWindow, eventOutputs, fromLibrary, handshakeAnswer, readDelivery, SkyhookDeliveryError } from '../../core';
import { credentialTypeFor, mediaValetClientWith } from '../MediaValet/transport/client';
import { toN8nError } from '../MediaValet/transport/errors';
import { state } from './subscription';

/**
 * This process's view of each trigger: ids being handled now, and ids handled. Requests run
 * side by side and each saves the whole static data, so the last save would drop an id another
 * request added; every save therefore carries the ids this process handled.
 */
interface Memory {
  handling: Set<string>;
  handled: EventIdWindow;
}
const inMemory = new Map<string, Memory>();
const MAX_TRIGGERS = 200;

function memoryFor(key: string): Memory {
  const memory = inMemory.get(key) ?? { handling: new Set<string>(), handled: new EventIdWindow() };
  // Most recently used last, so the oldest trigger is forgotten first.
  inMemory.delete(key);
  if (inMemory.size >= MAX_TRIGGERS) inMemory.delete(inMemory.keys().next().value as string);
  inMemory.set(key, memory);
  return memory;
}

const client = async (ctx: IWebhookFunctions) => mediaValetClientWith(ctx, credentialTypeFor(ctx.getNodeParameter('authentication', 'oAuth2') as string));

export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
  const req = this.getRequestObject();
  const res = this.getResponseObject();
  const headers = this.getHeaderData() as IDataObject;

  // Plain n8n answers OPTIONS itself (a bare 204, which MediaValet takes as a refusal); where
  // the handshake does reach the node, consent here.
  const consent = req.method === 'OPTIONS' ? handshakeAnswer(headers) : undefined;
  if (consent) {
    res.status(consent.status).set(consent.headers).end();
    return { noWebhookResponse: true };
  }

  let events: CloudEvent[];
  try {
    events = readDelivery((req as { rawBody?: Buffer }).rawBody ?? req.body, headers['content-type'] as string | undefined);
  } catch (error) {
    if (!(error instanceof SkyhookDeliveryError)) throw toN8nError(this.getNode(), error);
    res.status(error.status).json({ message: error.message });
    return { noWebhookResponse: true };
  }

  const data = state(this);
  const parameters = { fetchAsset: this.getNodeParameter('fetchAsset', true) as boolean, simplify: this.getNodeParameter('simplify', true) as boolean };
  const memory = memoryFor(`${this.getWorkflow().id ?? ''}:${this.getNode().id}`);
  const stored = new EventIdWindow(data.seen);
  try {
    const mv = await client(this);
    if (!data.libraryId) data.libraryId = await accountLibraryId(mv);
    const fresh: CloudEvent[] = [];
    for (const e of events) {
      if (!fromLibrary(e, data.libraryId) || stored.has(e.id) || memory.handled.has(e.id) || memory.handling.has(e.id)) continue;
      memory.handling.add(e.id);
      fresh.push(e);
    }
    const items: IDataObject[] = [];
    let handled = false;
    try {
      for (const event of fresh) items.push(...((await eventOutputs(mv, event, parameters)) as IDataObject[]));
      handled = true;
    } finally {
      // When not handled, MediaValet's retry of this delivery must get through.
      for (const event of fresh) {
        memory.handling.delete(event.id);
        if (handled) memory.handled.firstTime(event.id);
      }
    }
    let added = false;
    for (const id of memory.handled.toJSON()) added = stored.firstTime(id) || added;
    // Only a change is written: n8n stores the static data whenever the node touched it.
    if (added) data.seen = stored.toJSON();
    this.logger.debug(`MediaValet Events Trigger: ${events.length} event(s) delivered, ${fresh.length} new`);
    // Duplicates and other libraries' events are acknowledged (200), so they are not retried.
    if (!items.length) return { webhookResponse: { received: events.length, new: 0 } };
    return { workflowData: [this.helpers.returnJsonArray(items)] };
  } catch (error) {
    throw toN8nError(this.getNode(), error);
  }
}
