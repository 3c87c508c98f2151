// The parts of Node-RED's runtime API these nodes use. Node-RED ships no types of
// its own; these are written from its documented node API (1.0+).
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export type Send = (msg: NodeMessage | Array<NodeMessage | null> | null) => void;
export type Done = (err?: Error) => void;

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface Node {
  id: string;
  type: string;
  name?: string;
  credentials: Record<string, string | undefined>;
  on(event: 'input', listener: (msg: NodeMessage, send: Send, done: Done) => void | Promise<void>): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void | Promise<void>): void;
  status(status: NodeStatus | Record<string, never>): void;
  error(error: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  send(msg: NodeMessage | Array<NodeMessage | null> | null): void;
}

type Middleware = (req: IncomingMessage & { body?: any; params: Record<string, string>; query: Record<string, string> }, res: ServerResponse & { json(body: unknown): void; status(code: number): any; send(body: unknown): void; type(t: string): any }, next?: () => void) => void;

export interface RED {
  nodes: {
    createNode(node: object, config: object): void;
    registerType(type: string, constructor: (this: Node, config: any) => void, options?: { credentials?: Record<string, { type: 'text' | 'password' }>; settings?: object }): void;
    getNode(id: string): Node | null;
    getCredentials(id: string): Record<string, string> | undefined;
  };
  settings: { get?(key: string): unknown; userDir?: string; httpAdminRoot?: string | false; [key: string]: unknown };
  /** The runtime's events ('flows:started' after every deploy and start). */
  events?: { once(event: string, listener: () => void): void; removeListener(event: string, listener: () => void): void };
  /** The express app of HTTP-in routes (mounted at settings.httpNodeRoot on the server's app). */
  httpNode?: unknown;
  httpAdmin: {
    get(path: string, ...handlers: Middleware[]): void;
    post(path: string, ...handlers: Middleware[]): void;
  };
  auth: { needsPermission(permission: string): Middleware };
  util: {
    /** A typedInput's value (str, msg, flow, global, env…) for this message; the callback form works on every Node-RED version. */
    evaluateNodeProperty(value: unknown, type: string, node: Node, msg: NodeMessage, callback: (err: Error | null, result: unknown) => void): void;
  };
  log: { info(msg: string): void; warn(msg: string): void; error(msg: string): void };
  _(key: string, substitutions?: Record<string, unknown>): string;
}
