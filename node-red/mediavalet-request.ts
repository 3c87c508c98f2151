// mediavalet-request: any method, path, query and body, authenticated by the account;
// Return All sends one message per page or per record, so memory stays flat.
import { checkApiPath, checkCount, checkText, type HttpMethod, invalidInput, MAX_PAGE_SIZE, type QueryValue, quote, TEXT_LIMITS, typeName } from '../core';
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

/** msg.query as query parameters: an object of text, numbers, booleans (or lists of them). */
function queryFrom(value: unknown): Record<string, QueryValue | QueryValue[]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) throw invalidInput('Query (msg.query)', `must be an object of parameter name to value, not ${typeName(value)}.`, 'e.g. {"count": 10}.');
  const out: Record<string, QueryValue | QueryValue[]> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const label = `Query (msg.query.${quote(name, 60).slice(1, -1)})`;
    const one = (v: unknown): QueryValue => {
      if (v === undefined || v === null || typeof v === 'boolean' || typeof v === 'number') return v as QueryValue;
      return checkText(v, label, { max: TEXT_LIMITS.url }) ?? '';
    };
    out[name] = Array.isArray(raw) ? raw.map(one) : one(raw);
  }
  return out;
}

module.exports = function register(RED: RED) {
  function MediaValetRequestNode(this: Node, config: RequestConfig) {
    RED.nodes.createNode(this, config);
    onInput(RED, this, config.account, async (client, msg, send) => {
      const given = pick(config.method === 'use' ? undefined : config.method, msg.method) ?? 'GET';
      const method = typeof given === 'string' ? given.toUpperCase() : '';
      if (!METHODS.includes(method)) throw invalidInput('Method (msg.method)', `${typeof given === 'string' ? quote(given, 60) : typeName(given)} is not one of ${METHODS.join(', ')}.`, 'Pick the method in the node, or pass one of these as msg.method.');
      const path = checkApiPath(required(pick<string>(config.path, msg.path), 'The path (e.g. /assets)', 'path'), 'Path (msg.path)');
      const query = queryFrom(msg.query);
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
      const pageSize = checkCount(pick(config.pageSize, msg.pageSize), 'Page size (msg.pageSize)', { max: MAX_PAGE_SIZE });
      const limit = limitOf(pick(config.limit, msg.limit));
      const pages = client.pages({ method: method as HttpMethod, path, query, body: body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined, pageSize, limit, signal });
      const sent = await sendRecords(pages, outputMode(mode, 'items'), msg, send);
      // A last, empty-payload message would break counts; the status says when it is over.
      return `${sent} record(s)`;
    });
  }
  RED.nodes.registerType('mediavalet-request', MediaValetRequestNode as unknown as (this: Node, config: unknown) => void);
};
