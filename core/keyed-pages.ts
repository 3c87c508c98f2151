// Reading a search whole, past MediaValet's offset ceiling. Offset paging is likely refused
// past 100,000 (facts sheet: Azure AI Search refuses $skip above it), so a search sorted by
// upload (or change) date reads in windows: offsets within a window, and each next window
// starts with a date filter at the last asset seen (GE ascending, LE descending), skipping
// the ids already emitted at exactly that instant, as the watchers do. The same position,
// encoded, is the cursor that lets a host read one page per run and continue in the next.
import type { MediaValetClient, Page } from './client';
import { searchRequest, type SearchOptions } from './assets';
import { member } from './envelope';
import { ApiError, MediaValetError } from './errors';
import { fingerprint } from './fingerprint';

/** Where a keyed read stands: the date of the last asset emitted and the ids emitted at exactly that date. */
export interface KeyPosition {
  at: string;
  seen: string[];
}

export interface KeyedPage<T> extends Page<T> {
  /** Where the next page starts (pass it back as `cursor`); undefined when the search has no more. */
  cursor?: string;
}

export interface KeyedPaging {
  /** Records per request; left out, the pager's large page and learned cap apply. */
  pageSize?: number;
  /** Stop after this many records in all. */
  limit?: number;
  /** A cursor from an earlier page of the same search: read on from there. */
  cursor?: string;
  /** A position to start after (the watchers' own position). */
  from?: KeyPosition;
  signal?: AbortSignal;
  /** Offsets past this are not asked for (default OFFSET_CEILING); a lower ceiling is learned from a 400. */
  offsetCeiling?: number;
}

/** The offset past which MediaValet likely refuses a search (facts sheet). */
export const OFFSET_CEILING = 100_000;

/** Ceilings learned from a 400 about the offset, per client. */
const learnedCeilings = new WeakMap<MediaValetClient, number>();

interface SortKey {
  sort: string;
  filterField: 'DateUploaded' | 'DateModified';
  operator: 'GE' | 'LE';
  time: (asset: unknown) => string;
  descending: boolean;
}

/** Upload and change time of an asset as the search returns it (record.* or the flat names). */
export function assetTimes(asset: unknown): { created: string; modified: string } {
  const record = member(asset, 'record');
  const created = String(member(record, 'createdAt') ?? member(asset, 'dateUploaded') ?? '');
  const modified = String(member(record, 'modifiedAt') ?? member(asset, 'dateModified') ?? created);
  return { created, modified };
}

/**
 * A sort by upload or change date can be continued by key; any other sort, and none
 * (MediaValet's relevance order), only by offset.
 */
function sortKey(sort: string | undefined): SortKey | undefined {
  const match = /^record\.(createdAt|modifiedAt)(?:\s+([AD]))?$/i.exec((sort ?? '').trim());
  if (!match) return undefined;
  const modified = match[1].toLowerCase() === 'modifiedat';
  const descending = (match[2] ?? 'A').toUpperCase() === 'D';
  return {
    sort: `record.${modified ? 'modifiedAt' : 'createdAt'} ${descending ? 'D' : 'A'}`,
    filterField: modified ? 'DateModified' : 'DateUploaded',
    operator: descending ? 'LE' : 'GE',
    time: (asset) => (modified ? assetTimes(asset).modified : assetTimes(asset).created),
    descending,
  };
}

/** Which search a cursor belongs to: a cursor is refused by any other. */
function searchFingerprint(options: SearchOptions, key: SortKey): string {
  return fingerprint(JSON.stringify([options.query ?? '', options.filters ?? '', options.categoryId ?? '', options.includeSubcategories ?? true, key.sort, options.searchFields ?? []])).slice(0, 12);
}

export function encodeCursor(position: KeyPosition, search: string): string {
  return Buffer.from(JSON.stringify({ v: 1, q: search, at: position.at, seen: position.seen }), 'utf8').toString('base64url');
}

function cursorError(why: string): ApiError {
  return new ApiError(`The cursor ${why}.`, {
    code: 'bad_request',
    kind: 'request',
    field: 'cursor',
    hint: 'Pass back the cursor field of the previous page of the same search unchanged, or leave Cursor empty to start from the first page.',
  });
}

export function decodeCursor(cursor: string, search: string): KeyPosition {
  let parsed: { v?: unknown; q?: unknown; at?: unknown; seen?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor.trim(), 'base64url').toString('utf8'));
  } catch {
    throw cursorError('is not one this node gave out');
  }
  if (parsed?.v !== 1 || typeof parsed.at !== 'string' || !Array.isArray(parsed.seen) || !parsed.seen.every((id) => typeof id === 'string')) throw cursorError('is not one this node gave out');
  if (parsed.q !== search) throw cursorError('belongs to a different search (search text, filters, category or sort changed since)');
  return { at: parsed.at, seen: parsed.seen as string[] };
}

/** The date as a filter value: the server's own text when it is a plain timestamp (no precision lost), else ISO. */
function filterDate(at: string): string {
  const time = Date.parse(at);
  if (Number.isNaN(time)) throw new ApiError(`MediaValet returned an asset whose date "${at.slice(0, 40)}" is not a date; the search cannot continue past it.`, { code: 'bad_request', kind: 'request' });
  return /^[0-9T:.+-]+Z?$/.test(at) ? at : new Date(time).toISOString();
}

function offsetRefused(error: unknown): boolean {
  return error instanceof MediaValetError && error.status === 400 && /\b(offset|skip)\b/i.test(`${error.serverMessage ?? ''} ${error.message}`);
}

/**
 * Pages of a search, each asset once, however large the library. Sorted by upload or change
 * date, the read continues by key past
 * the offset ceiling and every page carries a cursor; sorted otherwise, it pages by offset
 * and a ceiling MediaValet enforces ends it with MediaValet's 400.
 */
export async function* searchPages<T = Record<string, unknown>>(client: MediaValetClient, options: SearchOptions, paging: KeyedPaging = {}): AsyncGenerator<KeyedPage<T>> {
  const key = sortKey(options.sort);
  if (!key) {
    if (paging.cursor || paging.from) throw cursorError(`continues only a search sorted by upload or change date, not by "${options.sort}"`);
    const request = searchRequest(options, paging.pageSize, paging.limit);
    request.signal = paging.signal;
    try {
      yield* client.pages<T>(request);
    } catch (error) {
      if (!offsetRefused(error)) throw error;
      throw new ApiError(`MediaValet stops paging this search by offset: ${(error as MediaValetError).serverMessage ?? (error as MediaValetError).message}`, {
        code: 'bad_request',
        kind: 'request',
        status: 400,
        field: 'sort',
        hint: 'Sort by upload date (Newest First or Oldest First) to read a search of any size: it then continues by date past this limit.',
      });
    }
    return;
  }
  const search = searchFingerprint(options, key);
  let position = paging.cursor ? decodeCursor(paging.cursor, search) : paging.from ? { at: paging.from.at, seen: [...paging.from.seen] } : undefined;
  let remaining = paging.limit ?? Number.POSITIVE_INFINITY;
  let emitted = 0;
  let firstTotal: number | undefined;
  while (remaining > 0) {
    const ceiling = learnedCeilings.get(client) ?? paging.offsetCeiling ?? OFFSET_CEILING;
    const start = position;
    const seenAtStart = new Set(start?.seen ?? []);
    const filters = [start ? `(${key.filterField} ${key.operator} ${filterDate(start.at)})` : undefined, options.filters].filter(Boolean).join(' AND ');
    const request = searchRequest({ ...options, filters: filters || undefined, sort: key.sort }, paging.pageSize, Math.max(1, ceiling));
    request.signal = paging.signal;
    let read = 0;
    let more = false;
    try {
      for await (const page of client.pages<T>(request)) {
        read += page.items.length;
        const fresh: T[] = [];
        let cutShort = false;
        for (const item of page.items) {
          if (fresh.length >= remaining) {
            cutShort = true;
            break;
          }
          const id = String(member(item, 'id') ?? '');
          const at = key.time(item);
          if (start && (at === start.at ? seenAtStart.has(id) : key.descending ? at > start.at : at < start.at)) continue;
          position = position && position.at === at ? { at, seen: [...position.seen, id] } : { at, seen: [id] };
          fresh.push(item);
        }
        remaining -= fresh.length;
        emitted += fresh.length;
        const total = page.totalRecordsFound;
        if (!start) firstTotal ??= total;
        // More in this search: the limit cut this page short, the total says so, or (no total) the page was not empty.
        more = cutShort || (total !== undefined ? page.offset + page.items.length < total : page.items.length > 0);
        yield { items: fresh, offset: emitted - fresh.length, totalRecordsFound: firstTotal ?? total, warningMessages: page.warningMessages, cursor: more && position ? encodeCursor(position, search) : undefined };
        if (remaining <= 0) return;
      }
    } catch (error) {
      // A ceiling lower than assumed: remember it and start the next window where this one got to.
      if (!offsetRefused(error) || read === 0) throw error;
      learnedCeilings.set(client, read);
      more = true;
    }
    // The window ended before its ceiling: that was the end of the search.
    if (!more || read < (learnedCeilings.get(client) ?? ceiling)) return;
    if (!position || (start && position.at === start.at && position.seen.length === start.seen.length)) {
      throw new ApiError(`More than ${read} assets share the date ${start?.at ?? '(none)'}; MediaValet's offset limit leaves no way to read past them by date.`, { code: 'bad_request', kind: 'request', hint: 'Narrow the search with a filter (asset type, category, keywords) and read each part.' });
    }
  }
}

/** Every asset of a search, one at a time, each once (see searchPages). */
export async function* searchAll<T = Record<string, unknown>>(client: MediaValetClient, options: SearchOptions, paging: KeyedPaging = {}): AsyncGenerator<T> {
  for await (const page of searchPages<T>(client, options, paging)) yield* page.items;
}
