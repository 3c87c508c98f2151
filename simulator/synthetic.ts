// A synthetic library of any size, made on demand: asset i is computed from its index, never
// stored, so a simulator with `syntheticAssets: 1000000` starts at once and holds nothing per
// asset. Synthetic assets were uploaded before every real one (from 2015-01-01, four to a
// second, so paging by date meets shared timestamps), sit in one category ("Synthetic"), and
// answer date filters (DateUploaded, DateCreated, DateModified) and that category's scope;
// free text and other filters match none of them. In a search sorted by upload or change
// date they come first (ascending) or last (descending); under any other sort, after the
// real results.
import { HttpError } from './http';
import { type Asset, type Library, plainImageAsset } from './library';
import { gradientPng } from './png';
import type { SearchQuery } from './search';
import { splitTopLevel, stripParens } from './search';

export const SYNTHETIC_CATEGORY_ID = '5e000000-0000-4000-8000-000000000000';
const ID_PREFIX = '5e000001-0000-4000-8000-';
const BLOB = 'synthetic/original';
const START = Date.parse('2015-01-01T00:00:00.000Z');
/** Assets sharing each upload second. */
export const PER_INSTANT = 4;

export function syntheticId(index: number): string {
  return ID_PREFIX + index.toString(16).padStart(12, '0');
}

/** The index of a synthetic id within a library of `size`, or undefined. */
export function syntheticIndex(id: string, size: number): number | undefined {
  if (!id.startsWith(ID_PREFIX) || !/^[0-9a-f]{12}$/.test(id.slice(ID_PREFIX.length))) return undefined;
  const index = parseInt(id.slice(ID_PREFIX.length), 16);
  return index < size ? index : undefined;
}

const timeOf = (index: number) => START + Math.floor(index / PER_INSTANT) * 1000;

/** Adds what every synthetic asset points at (its category and one small image); idempotent. */
export function prepareSynthetic(library: Library): void {
  if (!library.categories.has(SYNTHETIC_CATEGORY_ID)) library.addCategory('Synthetic', null, SYNTHETIC_CATEGORY_ID);
  if (!library.blobs.has(BLOB)) {
    const image = gradientPng(8, 8, [90, 120, 150]);
    library.blobs.set(BLOB, { parts: [image], size: image.length, sha256: '', contentType: 'image/png' });
  }
}

export function syntheticAsset(index: number, owner: string): Asset {
  return plainImageAsset(syntheticId(index), `Synthetic asset ${index}`, `synthetic-${index}.png`, new Date(timeOf(index)).toISOString(), owner, BLOB, [SYNTHETIC_CATEGORY_ID]);
}

/** First index whose time is >= t (or > t when `strictly`). */
function firstFrom(t: number, strictly: boolean): number {
  if (t < START) return 0;
  const seconds = (t - START) / 1000;
  return PER_INSTANT * (strictly ? Math.floor(seconds) + 1 : Math.ceil(seconds));
}

/** The synthetic assets a search matches: indices [from, to), or none. */
export function syntheticRange(query: SearchQuery, size: number): { from: number; to: number } | undefined {
  if (size <= 0) return undefined;
  if ((query.search ?? '').split(/\s+/).some((w) => w && w !== '*')) return undefined;
  if (query.containerFilter && !query.containerFilter.includes(SYNTHETIC_CATEGORY_ID)) return undefined;
  let from = 0;
  let to = size;
  for (const part of query.filters?.trim() ? splitTopLevel(query.filters.trim(), 'AND') : []) {
    const condition = /^(DateUploaded|DateCreated|DateModified)\s+(EQ|GE|GT|LE|LT)\s+'?([^']*?)'?$/i.exec(stripParens(part));
    if (!condition) return undefined;
    const t = Date.parse(condition[3]);
    if (Number.isNaN(t)) throw new HttpError(400, `The filter value "${condition[3]}" is not a date.`);
    const op = condition[2].toUpperCase();
    if (op === 'GE' || op === 'EQ') from = Math.max(from, firstFrom(t, false));
    if (op === 'GT') from = Math.max(from, firstFrom(t, true));
    if (op === 'LE' || op === 'EQ') to = Math.min(to, firstFrom(t, true));
    if (op === 'LT') to = Math.min(to, firstFrom(t, false));
  }
  return from < to ? { from, to } : undefined;
}

/** Something paged by offset: an array, or a virtual list that makes its items on demand. */
export interface Pageable<T> {
  readonly length: number;
  slice(start: number, end: number): T[];
}

/** Real results and the synthetic range as one list in the query's order. */
export function withSynthetic(real: Asset[], query: SearchQuery, size: number, owner: string): Pageable<Asset> {
  const range = syntheticRange(query, size);
  if (!range) return real;
  const n = range.to - range.from;
  const [field, direction] = (query.sort ?? 'record.createdAt A').trim().split(/\s+/);
  const byDate = /^record\.(createdat|modifiedat)$/i.test(field);
  const descending = byDate && (direction ?? 'A').toUpperCase().startsWith('D');
  const syntheticFirst = byDate && !descending;
  const synthetic = (j: number) => syntheticAsset(descending ? range.to - 1 - j : range.from + j, owner);
  return {
    length: real.length + n,
    slice(start, end) {
      const out: Asset[] = [];
      for (let i = Math.max(0, start); i < Math.min(end, real.length + n); i++) {
        const j = syntheticFirst ? i : i - real.length;
        out.push(j >= 0 && j < n ? synthetic(j) : real[syntheticFirst ? i - n : i]);
      }
      return out;
    },
  };
}
