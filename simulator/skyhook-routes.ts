// MediaValet's SkyHOOK endpoints on the simulator's API (the facts sheet's SkyHOOK section):
// GET /skyhook/events, POST /skyhook/subscriptions, GET /skyhook/subscriptions/list,
// PUT and DELETE /skyhook/subscriptions/{id}. The create answer is the unknown: the strict
// profile answers the published examples' empty text/plain 200, so clients must find the id in
// the list. A failed handshake refuses the subscription with Event Grid's words.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readJson, sendText } from './http';
import { SKYHOOK_EVENTS, type Skyhook, type SkyhookSubscription } from './skyhook';

export interface SkyhookRouteKit {
  on(method: string, path: string, handler: (ctx: { req: IncomingMessage; res: ServerResponse; params: Record<string, string>; user: { username: string } }) => Promise<void> | void): void;
  ok(ctx: unknown, payload: unknown, status?: number): void;
  pascalCase(): boolean;
}

export function skyhookRoutes(kit: SkyhookRouteKit, skyhook: Skyhook): void {
  const refused = () => {
    const status = skyhook.settings.skyhookRefusal;
    if (!status) return;
    const message = 'SkyHOOK is not enabled for this account: webhook subscriptions are part of the Enterprise plan.';
    throw new HttpError(status, message, { Message: message });
  };
  const wire = (s: SkyhookSubscription) =>
    kit.pascalCase()
      ? { Id: s.id, Events: s.events.map((Name) => ({ Name })), Type: 'webhook', Data: { webhook: s.url }, CreatedAt: s.createdAt }
      : { id: s.id, events: s.events.map((name) => ({ name })), type: 'webhook', data: { webhook: s.url }, createdAt: s.createdAt };
  const subscription = (id: string) => {
    const s = skyhook.subscriptions.get(id);
    if (!s) throw new HttpError(404, 'subscription', { Message: `Subscription ${id} was not found.` });
    return s;
  };

  /** The body MediaValet documents: {Events:[{Name}], Type:"webhook", Data:{webhook}}; keys read without case, as .NET binds them. */
  const readSubscription = async (req: IncomingMessage): Promise<{ events: string[]; url: string }> => {
    const body = await readJson(req);
    const field = (value: unknown, name: string): unknown => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
      for (const [key, v] of Object.entries(value)) if (key.toLowerCase() === name.toLowerCase()) return v;
      return undefined;
    };
    const bad = (why: string): never => {
      throw new HttpError(400, why, { Message: `The subscription is invalid: ${why}.` });
    };
    const events = field(body, 'Events');
    if (!Array.isArray(events) || !events.length) bad('Events must list at least one {"Name": "<event type>"}');
    const names = (events as unknown[]).map((e) => field(e, 'Name'));
    const known = new Map(SKYHOOK_EVENTS.map((e) => [e.name.toLowerCase(), e.name]));
    const unknown = names.filter((n) => typeof n !== 'string' || !known.has(n.toLowerCase()));
    if (unknown.length) bad(`unknown event type(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')}; GET /skyhook/events lists them`);
    const type = field(body, 'Type');
    if (typeof type !== 'string' || type.toLowerCase() !== 'webhook') bad('Type must be "webhook"');
    const url = field(field(body, 'Data'), 'webhook');
    let parsed: URL | undefined;
    try {
      parsed = typeof url === 'string' ? new URL(url) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) bad('Data.webhook must be an absolute http(s) URL');
    return { events: [...new Set(names.map((n) => known.get(String(n).toLowerCase())!))], url: String(url) };
  };

  const handshakeOrFail = async (url: string) => {
    const result = await skyhook.handshake(url);
    // Event Grid's own message names the URL (so MediaValet's does too): clients must not pass it on.
    if (!result.ok) {
      const message = `Webhook validation handshake failed for ${url}. ${result.why}. For troubleshooting, visit https://aka.ms/esvalidation.`;
      throw new HttpError(400, message, { Message: message });
    }
  };

  kit.on('GET', '/skyhook/events', (ctx) => {
    refused();
    kit.ok(ctx, SKYHOOK_EVENTS.map((e) => (kit.pascalCase() ? { Name: e.name, Description: e.description } : { name: e.name, description: e.description })));
  });
  kit.on('GET', '/skyhook/subscriptions/list', (ctx) => {
    refused();
    kit.ok(ctx, [...skyhook.subscriptions.values()].map(wire));
  });
  kit.on('POST', '/skyhook/subscriptions', async (ctx) => {
    refused();
    const { events, url } = await readSubscription(ctx.req);
    await handshakeOrFail(url);
    const s = skyhook.add(url, events, ctx.user.username);
    if (skyhook.settings.skyhookCreateAnswer === 'empty') return sendText(ctx.res, 200, '');
    kit.ok(ctx, { SubscriptionId: s.id }, 200);
  });
  kit.on('PUT', '/skyhook/subscriptions/:id', async (ctx) => {
    refused();
    const s = subscription(ctx.params.id);
    const { events, url } = await readSubscription(ctx.req);
    if (url !== s.url) await handshakeOrFail(url);
    s.events = events;
    s.url = url;
    sendText(ctx.res, 200, '');
  });
  kit.on('DELETE', '/skyhook/subscriptions/:id', (ctx) => {
    refused();
    subscription(ctx.params.id);
    skyhook.remove(ctx.params.id);
    sendText(ctx.res, 200, '');
  });
}
