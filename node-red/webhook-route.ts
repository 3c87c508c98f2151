// A webhook route that answers before anything else in Node-RED's HTTP server. It cannot be
// an ordinary route on RED.httpNode: on Node-RED 4.x the admin API's CORS middleware answers
// every OPTIONS first when the admin and node roots are both "/" (the default), and an
// httpNodeCors setting ends every OPTIONS on RED.httpNode in the cors middleware. Either way
// the CloudEvents handshake would get a bare 204, which Event Grid takes as a refusal. So the
// handler goes to the top of the root app's router stack, as core's http-in node does for its
// raw-body capture, and is taken off again when the node closes. Being first, it also comes
// before httpNodeAuth and httpNodeMiddleware, which MediaValet could not satisfy anyway: the
// unguessable secret in the path is what guards the route.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RED } from './red';

export type RawHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

interface Layer {
  handle?: unknown;
}
interface ExpressApp {
  parent?: ExpressApp;
  use(handler: RawHandler): unknown;
  _router?: { stack: Layer[] };
  router?: { stack: Layer[] };
}

/** The router stack of the app that owns the HTTP server (express 4 keeps it in _router, 5 in router). */
function rootStack(RED: RED): { app: ExpressApp; stack: () => Layer[] | undefined } | undefined {
  // An express app is a function with the app's methods on it.
  if (typeof RED.httpNode !== 'function') return undefined;
  let app = RED.httpNode as unknown as ExpressApp;
  while (app.parent) app = app.parent;
  const root = app;
  return { app: root, stack: () => (root._router ?? root.router)?.stack };
}

/**
 * Puts `handler` first on the root router; returns what takes it off again. Undefined when
 * this Node-RED serves no HTTP nodes (httpNodeRoot: false).
 */
export function mountAhead(RED: RED, handler: RawHandler): (() => void) | undefined {
  if (RED.settings.httpNodeRoot === false) return undefined;
  const root = rootStack(RED);
  if (!root) return undefined;
  root.app.use(handler);
  const stack = root.stack();
  const at = stack?.findIndex((layer) => layer.handle === handler) ?? -1;
  if (stack && at > 0) stack.unshift(stack.splice(at, 1)[0]);
  return () => {
    const layers = root.stack();
    const index = layers?.findIndex((layer) => layer.handle === handler) ?? -1;
    if (layers && index >= 0) layers.splice(index, 1);
  };
}

/** Where RED.httpNode is mounted, with one slash at each end ("/" by default). */
export function nodeRoot(RED: RED): string {
  const root = typeof RED.settings.httpNodeRoot === 'string' ? RED.settings.httpNodeRoot : '/';
  return `/${root.replace(/^\/+|\/+$/g, '')}/`.replace(/\/+/g, '/');
}

/**
 * A matcher for `<prefix><secret>` (a trailing slash allowed, the query ignored) that
 * compares the secret in constant time, so answer times say nothing about it.
 */
export function secretPathMatcher(prefix: string, secret: string): (url: string | undefined) => boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = digest(secret);
  return (url) => {
    const pathname = (url ?? '').split('?')[0].replace(/\/$/, '');
    if (!pathname.startsWith(prefix)) return false;
    return timingSafeEqual(digest(pathname.slice(prefix.length)), expected);
  };
}

/** The request body, refused past `limit` bytes (undefined then) without reading the rest. */
/**
 * Bytes of a too-large body still read (and dropped) before the 413: the sender then sees the
 * 413, which Event Grid does not retry, rather than a connection reset, which it does.
 */
const DRAIN_BYTES = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_BYTES) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size > limit) {
        over = true;
        chunks.length = 0;
      }
      if (!over) chunks.push(chunk);
      else if (size > DRAIN_BYTES) {
        req.pause();
        resolve(undefined);
      }
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A short plain-text answer; `close` for a body left unread, so the connection is not reused. */
export function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...(close ? { Connection: 'close' } : {}), ...headers });
  res.end(text);
}
