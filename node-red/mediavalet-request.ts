// mediavalet-request: any method, path, query and body, authenticated by the account;
// Return All sends one message per page or per record, so memory stays flat.
import type { HttpMethod, QueryValue } from '../core';
import { abortSignal, onInput, pick, required } from './adapter';
import type { Node, NodeMessage, RED } from './red';

interface RequestConfig {
  account: string;
  method?: string;
  path?: string;
  /** single | pages | items */
  returnAll?: string;
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
      // Paged: one message per page or per record; the input message's properties ride along.
      const pageSize = Number(pick(config.pageSize, msg.pageSize) ?? 50);
      const pages = client.pages({ method: method as HttpMethod, path, query, body: body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined, pageSize, signal });
      let sent = 0;
      let page = 0;
      for await (const p of pages) {
        const base: NodeMessage = { ...msg, recordCount: { totalRecordsFound: p.totalRecordsFound, offset: p.offset } };
        if (mode === 'pages') {
          send({ ...base, payload: p.items, page: page++, parts: undefined });
          sent += p.items.length;
        } else {
          for (const item of p.items) send({ ...base, payload: item, index: sent++ });
        }
      }
      // A last, empty-payload message would break counts; the status says when it is over.
      return `${sent} record(s)`;
    });
  }
  RED.nodes.registerType('mediavalet-request', MediaValetRequestNode as unknown as (this: Node, config: unknown) => void);
};
