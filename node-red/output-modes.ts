// How mv asset (search) and mv request send a list: the same "Return" options and the same
// message properties in both, so a flow can swap one node for the other.
import type { KeyedPage } from '../core';
import type { NodeMessage, Send } from './red';

/** array: all records in one message · pages: one message per page · items: one message per record. */
export type OutputMode = 'array' | 'pages' | 'items';
export const OUTPUT_MODES: readonly OutputMode[] = ['array', 'pages', 'items'];

export function outputMode(value: unknown, fallback: OutputMode = 'array'): OutputMode {
  return OUTPUT_MODES.includes(value as OutputMode) ? (value as OutputMode) : fallback;
}

/** An empty Limit means every record; anything else must be a positive whole number. */
export function limitOf(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Limit must be a whole number of 1 or more, or empty for all records (it is "${String(value)}").`);
  return n;
}

/**
 * Sends the records as the mode says and returns how many were sent. Every message carries
 * msg.recordCount ({totalRecordsFound}); per page also msg.page and, for a search read by
 * date, msg.cursor (where the next page starts: send it back as msg.search.cursor to
 * continue later), per record msg.index, one message msg.count. Per page and per record hold
 * one page in memory, whatever the total.
 */
export async function sendRecords(pages: AsyncIterable<KeyedPage<unknown>>, mode: OutputMode, msg: NodeMessage, send: Send): Promise<number> {
  let sent = 0;
  let page = 0;
  let total: number | undefined;
  const all: unknown[] = [];
  for await (const p of pages) {
    total = p.totalRecordsFound ?? total;
    const recordCount = { totalRecordsFound: total, offset: p.offset };
    if (mode === 'items') {
      for (const item of p.items) send({ ...msg, payload: item, index: sent++, recordCount });
      continue;
    }
    if (mode === 'pages') send({ ...msg, payload: p.items, page: page++, count: p.items.length, recordCount, ...(p.cursor ? { cursor: p.cursor } : {}) });
    else all.push(...p.items);
    sent += p.items.length;
  }
  if (mode === 'array') send({ ...msg, payload: all, count: all.length, recordCount: { totalRecordsFound: total ?? all.length, offset: 0 } });
  return sent;
}
