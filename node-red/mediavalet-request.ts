// mediavalet-request: any method, path, query and body, authenticated by the account;
// Return All sends one message per page or per record, so memory stays flat.
import type { HttpMethod, QueryValue } from '../core';
import { abortSignal, onInput, pick, required } from './adapter';
import { limitOf, outputMode, sendRecords } from './output-modes';
import type { Node, RED } from './red';

interface RequestConfig {
  account: string;
  method?: string;
  path?: string;
  /** single (one response), or every record as array | pages | items */
  returnAll?: string;
  limit?: string | number;
  pageSize?: string | number;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

module.exports = function register(RED: RED) {
  function MediaValetRequestNode(this: Node, config: RequestConfig) {
    RED.nodes.createNode(this, config);
    onInput(RED, this, config.account, async (client, msg, send) => {
      const method = String(pick(config.method === 'use' ? undefined : config.method, msg.method) ?? 'GET').toUpperCase();
      if (!METHODS.includes(method)) throw new Error(`Method "${method}" is not one of ${METHODS.join(', ')}.`);
      const path = required(pick<string>(config.path, msg.path), 'The path (e.g. /assets)', 'path');
      const query = (msg.query && typeof msg.query === 'object' ? msg.query : undefined) as Record<string, QueryValue> | undefined;
      const body = method === 'GET' || method === 'DELETE' ? undefined : msg.payload;
      const mode = pick<string>(config.returnAll, msg.returnAll) ?? 'single';
      const signal = abortSignal(msg);
      if (mode === 'single') {
        const response = await client.request({ method: method as HttpMethod, path, query, body, signal });
        send({ ...msg, payload: response.payload, statusCode: response.status, recordCount: response.recordCount, responseHeaders: response.headers });
        return `${response.status}`;
      }
      // Paged: the input message's properties ride along on every message sent.
      // Left empty: as large a page as MediaValet allows (its cap learned from the answers).
      const chosen = pick(config.pageSize, msg.pageSize);
      const pageSize = chosen === undefined ? undefined : Number(chosen);
      const limit = limitOf(pick(config.limit, msg.limit));
      const pages = client.pages({ method: method as HttpMethod, path, query, body: body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined, pageSize, limit, signal });
      const sent = await sendRecords(pages, outputMode(mode, 'items'), msg, send);
      // A last, empty-payload message would break counts; the status says when it is over.
      return `${sent} record(s)`;
    });
  }
  RED.nodes.registerType('mediavalet-request', MediaValetRequestNode as unknown as (this: Node, config: unknown) => void);
};
