// What every MediaValet Node-RED node does the same way: find its config node, show
// progress in its status, send results, and hand failures to Catch nodes with a message
// that says what to fix (never a secret).
import { ConfigurationError, isMediaValetError, type MediaValetClient, redact } from '../core';
import type { ConfigNode } from './account';
import type { Node, NodeMessage, RED, Send } from './red';

export function configNode(RED: RED, node: Node, id: string | undefined): ConfigNode | undefined {
  return id ? (RED.nodes.getNode(id) as ConfigNode | null) ?? undefined : undefined;
}

/** A short, safe line for the node status (the full message goes to the debug sidebar). */
export function statusText(error: unknown): string {
  const text = isMediaValetError(error) ? error.message : redact(String((error as Error)?.message ?? error));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** An Error for done(): message plus the hint; details for Catch flows go on msg.mediavalet.error. */
export function toNodeError(error: unknown): Error {
  if (isMediaValetError(error)) {
    const out = new Error(error.describe());
    out.name = error.name;
    return out;
  }
  return new Error(redact(String((error as Error)?.message ?? error)));
}

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
  node.on('input', async (msg, send, done) => {
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
      (msg as NodeMessage & { _abort?: AbortSignal })._abort = abort.signal;
      const summary = await work(client, msg, send, config);
      delete (msg as { _abort?: AbortSignal })._abort;
      node.status(summary ? { fill: 'green', shape: 'dot', text: summary } : {});
      done();
    } catch (error) {
      delete (msg as { _abort?: AbortSignal })._abort;
      if (abort.signal.aborted) return done();
      node.status({ fill: 'red', shape: 'ring', text: statusText(error) });
      msg.mediavalet = { ...(msg.mediavalet as object), error: isMediaValetError(error) ? error.toJSON() : { message: toNodeError(error).message } };
      done(toNodeError(error));
    } finally {
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
  return (msg as { _abort?: AbortSignal })._abort;
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
  return String(value);
}
