// Activation subscribes, deactivation unsubscribes (n8n's webhookMethods). The subscription id
// lives in the workflow's static data, and MediaValet's list is searched by this node's URL as
// well, so a subscription left by a crash, an edit or a changed URL is found and removed: one
// subscription per active trigger, none after deactivation.
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { accountLibraryId, createSubscription, deleteSubscription, findSubscriptions, type MediaValetClient } from '../../core';
import { credentialTypeFor, mediaValetClientWith } from '../MediaValet/transport/client';
import { toN8nError } from '../MediaValet/transport/errors';

/** What the node keeps in the workflow's static data. */
export interface SkyhookState extends IDataObject {
  subscriptionId?: string;
  /** The account's library: deliveries from any other source are dropped. */
  libraryId?: string;
  /** CloudEvent ids already handled (core's EventIdWindow), oldest first. */
  seen?: string[];
}

export const state = (ctx: { getWorkflowStaticData(type: string): IDataObject }): SkyhookState => ctx.getWorkflowStaticData('node') as SkyhookState;

export async function hookClient(ctx: IHookFunctions): Promise<MediaValetClient> {
  return mediaValetClientWith(ctx, credentialTypeFor(ctx.getNodeParameter('authentication', 'oAuth2') as string));
}

function events(ctx: IHookFunctions): string[] {
  const picked = ctx.getNodeParameter('events', []) as string[];
  const list = (Array.isArray(picked) ? picked : [picked]).map((e) => String(e).trim()).filter(Boolean);
  if (!list.length) throw new NodeOperationError(ctx.getNode(), 'No event type chosen', { description: 'Pick at least one event in the Events field.' });
  return list;
}

/**
 * The URL MediaValet delivers to: this node's webhook URL (its path is n8n's random webhook ID,
 * the secret that guards it), or the Public URL a proxy or relay forwards from. Never shown in
 * an error: it is the secret.
 */
export function deliveryUrl(ctx: IHookFunctions): string {
  const node = ctx.getNode();
  if (!node.webhookId) {
    throw new NodeOperationError(node, 'This trigger has no webhook ID, so its URL could be guessed', {
      description: 'Delete the MediaValet Events Trigger and add it again (n8n gives every new trigger a random webhook ID), then activate the workflow.',
    });
  }
  const own = ctx.getNodeWebhookUrl('default') ?? '';
  const options = ctx.getNodeParameter('options', {}) as IDataObject;
  const given = String(options.publicUrl ?? '').trim();
  if (!given) return own;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new NodeOperationError(node, 'The Public URL is not a URL', { description: 'Give the full address MediaValet should call, starting with https://, or leave Public URL empty to use this node\'s Production URL.' });
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password) {
    throw new NodeOperationError(node, 'The Public URL must be an http(s) address without a user name or password', { description: 'Give the address of your proxy or relay, e.g. https://n8n.example.com/webhook/…/skyhook.' });
  }
  // "Listen for test event" listens on the test URL: a Public URL that is the production URL
  // behind another host becomes the test URL behind that host.
  const production = `/webhook/${node.webhookId}/skyhook`;
  if (ctx.getMode() === 'manual' && url.pathname.endsWith(production)) {
    url.pathname = `${url.pathname.slice(0, -production.length)}/webhook-test/${node.webhookId}/skyhook`;
  }
  return url.href;
}

const sameEvents = (listed: string[], wanted: string[]): boolean =>
  // A list that does not say which events a subscription has cannot contradict ours.
  !listed.length || (listed.length === wanted.length && wanted.every((e) => listed.some((l) => l.toLowerCase() === e.toLowerCase())));

export const subscriptionMethods = {
  /** True when this URL already has a subscription for these events; stale or extra ones are removed. */
  async checkExists(this: IHookFunctions): Promise<boolean> {
    const data = state(this);
    const url = deliveryUrl(this);
    const wanted = events(this);
    try {
      const client = await hookClient(this);
      const mine = await findSubscriptions(client, url);
      const keep = mine.find((s) => s.id === data.subscriptionId && sameEvents(s.events, wanted)) ?? mine.find((s) => sameEvents(s.events, wanted));
      const stale = new Set(mine.filter((s) => s !== keep).map((s) => s.id));
      // Ours from before, under another URL (the Public URL or n8n's address changed).
      if (data.subscriptionId && data.subscriptionId !== keep?.id) stale.add(data.subscriptionId);
      for (const id of stale) await deleteSubscription(client, id);
      if (keep) {
        data.subscriptionId = keep.id;
        return true;
      }
      delete data.subscriptionId;
      return false;
    } catch (error) {
      throw toN8nError(this.getNode(), error);
    }
  },

  async create(this: IHookFunctions): Promise<boolean> {
    const data = state(this);
    const url = deliveryUrl(this);
    const wanted = events(this);
    try {
      const client = await hookClient(this);
      // Learnt before subscribing, so the first delivery can be checked against it.
      data.libraryId = (await accountLibraryId(client)) ?? data.libraryId;
      const { id } = await createSubscription(client, url, wanted);
      data.subscriptionId = id;
      this.logger.info(`MediaValet Events Trigger: subscribed to ${wanted.join(', ')} (subscription ${id})`);
      return true;
    } catch (error) {
      throw toN8nError(this.getNode(), error);
    }
  },

  async delete(this: IHookFunctions): Promise<boolean> {
    const data = state(this);
    const url = deliveryUrl(this);
    try {
      const client = await hookClient(this);
      const ids = new Set<string>(data.subscriptionId ? [data.subscriptionId] : []);
      for (const s of await findSubscriptions(client, url)) ids.add(s.id);
      for (const id of ids) await deleteSubscription(client, id);
      delete data.subscriptionId;
      return true;
    } catch (error) {
      // Deactivating must not be blocked by MediaValet being away; the next activation finds
      // the subscription by its URL and removes it.
      this.logger.warn(`MediaValet Events Trigger: could not remove the SkyHOOK subscription: ${toN8nError(this.getNode(), error).message}`);
      return false;
    }
  },
};
