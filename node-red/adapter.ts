// What every MediaValet Node-RED node does the same way: find its config node, show
// progress in its status, send results, and hand failures to Catch nodes with a message
// that says what to fix (never a secret).
import { ApiError, bounded, checkId, ConfigurationError, isMediaValetError, MAX_MESSAGE, type MediaValetClient, redact } from '../core';
import type { ConfigNode, DeployCheck } from './account';
import type { Node, NodeMessage, NodeStatus, RED, Send } from './red';

export function configNode(RED: RED, node: Node, id: string | undefined): ConfigNode | undefined {
  return id ? (RED.nodes.getNode(id) as ConfigNode | null) ?? undefined : undefined;
}

/** Terminal punctuation, so a hint never runs on from a message ending in a word. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The message and its hint as two sentences. */
export function describeError(error: unknown): string {
  if (isMediaValetError(error)) return error.hint ? `${sentence(error.message)} ${sentence(error.hint)}` : error.message;
  // Not built by core (a Node-RED or Node.js error): bounded here, as core bounds its own.
  return redact(bounded(String((error as Error)?.message ?? error), MAX_MESSAGE));
}

const STATUS_LENGTH = 60;

/**
 * A short, safe line for the node status (the full message goes to the debug sidebar).
 * The cause leads: an answer's status and reason come before the request it refused,
 * whose long path would otherwise push the cause past the cut.
 */
export function statusText(error: unknown): string {
  let text: string;
  // An API answer's message starts with the request ("MediaValet answered 403 to PATCH /assets/…");
  // a sign-in or setting error's message already starts with its cause.
  if (error instanceof ApiError && error.status) {
    const reason = error.code.replace(/_/g, ' ');
    const said = error.serverMessage && error.serverMessage.toLowerCase() !== reason ? `: ${error.serverMessage}` : '';
    text = `${error.status} ${reason}${said}`;
  } else {
    text = isMediaValetError(error) ? error.message : redact(bounded(String((error as Error)?.message ?? error), MAX_MESSAGE));
  }
  return text.length > STATUS_LENGTH ? `${text.slice(0, STATUS_LENGTH - 1)}…` : text;
}

/**
 * An Error for done() and node.error(): message plus hint. Node-RED shows an Error by its
 * toString(), which would put the class name ("ApiError: …") before the words; the class
 * stays available on msg.mediavalet.error.name.
 */
export function toNodeError(error: unknown): Error {
  const out = new Error(describeError(error));
  out.toString = () => out.message;
  return out;
}

/** What Catch flows read on msg.mediavalet.error: the details, never a secret. */
export function errorDetails(error: unknown): Record<string, unknown> {
  return isMediaValetError(error) ? error.toJSON() : { message: describeError(error) };
}

/** What the account's deploy-time check found, as this node's status. */
export function deployStatus(check: DeployCheck): NodeStatus {
  if (check.ok === 'connect') return { fill: 'yellow', shape: 'ring', text: 'not connected: open the account and press Connect' };
  if (check.ok) return { fill: 'green', shape: 'ring', text: check.user ? `signed in as ${check.user}` : 'signed in' };
  return { fill: 'red', shape: 'ring', text: statusText(check.error) };
}

/**
 * Shows the account's deploy-time check on this node (config nodes have no status), unless
 * the node has shown something newer by then (`busy`).
 */
export function showDeployCheck(node: Node, account: ConfigNode | undefined, busy: () => boolean): void {
  void account?.deployCheck?.then((check) => {
    if (!busy()) node.status(deployStatus(check));
  });
}

/** Each message's abort signal, kept off the message so it never travels on with it. */
const signals = new WeakMap<object, AbortSignal>();

/**
 * Runs one message's work: status while working, the result or the error afterwards.
 * `work` sends its own messages (some operations send many) and returns what to show.
 */
export function onInput(
  RED: RED,
  node: Node,
  configId: string | undefined,
  work: (client: MediaValetClient, msg: NodeMessage, send: Send, config: ConfigNode) => Promise<string | void>,
): void {
  const active = new Set<AbortController>();
  let started = false;
  showDeployCheck(node, configNode(RED, node, configId), () => started);
  node.on('input', async (msg, send, done) => {
    started = true;
    const config = configNode(RED, node, configId);
    if (!config) {
      node.status({ fill: 'red', shape: 'ring', text: 'no MediaValet account' });
      done(new Error('No MediaValet account is selected: open this node and pick or add a MediaValet account (config node).'));
      return;
    }
    const abort = new AbortController();
    active.add(abort);
    node.status({ fill: 'blue', shape: 'dot', text: 'working…' });
    try {
      const client = config.getClient();
      signals.set(msg, abort.signal);
      const summary = await work(client, msg, send, config);
      node.status(summary ? { fill: 'green', shape: 'dot', text: summary } : {});
      done();
    } catch (error) {
      if (abort.signal.aborted) return done();
      node.status({ fill: 'red', shape: 'ring', text: statusText(error) });
      msg.mediavalet = { ...(msg.mediavalet as object), error: errorDetails(error) };
      done(toNodeError(error));
    } finally {
      signals.delete(msg);
      active.delete(abort);
    }
  });
  node.on('close', (_removed, done) => {
    // Stop in-flight work: a redeploy must not leave requests or uploads running.
    for (const abort of active) abort.abort(new Error('The node was stopped.'));
    active.clear();
    node.status({});
    done();
  });
}

export function abortSignal(msg: NodeMessage): AbortSignal | undefined {
  return signals.get(msg);
}

/** A node setting, else a msg property, else undefined. */
export function pick<T = string>(setting: unknown, msgValue: unknown): T | undefined {
  if (setting !== undefined && setting !== null && setting !== '') return setting as T;
  if (msgValue !== undefined && msgValue !== null && msgValue !== '') return msgValue as T;
  return undefined;
}

export function required(value: string | undefined, what: string, msgProperty: string): string {
  if (!value) {
    throw new ConfigurationError(`${what} is missing.`, { code: 'invalid_config', kind: 'request', field: msgProperty, hint: `Set it in the node, or pass it as msg.${msgProperty}.` });
  }
  return value;
}

/** The asset id from the node or msg.assetId, checked before anything is sent. */
export function assetIdFrom(setting: unknown, msgValue: unknown): string {
  const value = pick<unknown>(setting, msgValue);
  if (value === undefined) required(undefined, 'The asset id', 'assetId');
  return checkId(value, 'Asset ID (msg.assetId)');
}
