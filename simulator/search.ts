// MediaValet's search semantics as far as the facts sheet knows them: free text over
// titles, file names, keywords and attributes; OData-like filters joined by AND;
// category scope with CategoryIds / CategoryAncestorIds; sort by a field and A/D.
import { HttpError } from './http';
import type { Asset, Library } from './library';

export interface SearchQuery {
  search?: string;
  filters?: string;
  containerFilter?: string;
  sort?: string;
  searchFields?: string;
}

type Predicate = (asset: Asset) => boolean;

const DATE_FIELDS: Record<string, (a: Asset) => string> = {
  dateuploaded: (a) => a.createdAt,
  datecreated: (a) => a.createdAt,
  datemodified: (a) => a.modifiedAt,
};

function compare(op: string, left: string | number, right: string | number): boolean {
  switch (op) {
    case 'EQ':
      return left === right;
    case 'NE':
      return left !== right;
    case 'GT':
      return left > right;
    case 'GE':
      return left >= right;
    case 'LT':
      return left < right;
    case 'LE':
      return left <= right;
    default:
      throw new HttpError(400, `Unknown filter operator "${op}".`);
  }
}

function parseCondition(text: string, library: Library): Predicate {
  const any = /^(CategoryIds|CategoryAncestorIds)\/ANY\(\s*(\w+)\s*:\s*\2\s+EQ\s+'([^']*)'\s*\)$/i.exec(text);
  if (any) {
    const [, field, , id] = any;
    return field.toLowerCase() === 'categoryids'
      ? (a) => a.categories.includes(id)
      : (a) => a.categories.some((c) => library.ancestorsOf(c).includes(id));
  }
  // Keyword and attribute conditions as the node's filter builder writes them (core/filters.ts).
  const keyword = /^Keywords\/ANY\(\s*(\w+)\s*:\s*\1\s+EQ\s+'((?:[^']|'')*)'\s*\)$/i.exec(text);
  if (keyword) {
    const wanted = keyword[2].replace(/''/g, "'").toLowerCase();
    return (a) => a.keywords.some((k) => k.toLowerCase() === wanted);
  }
  const attribute = /^Attributes\/([\w-]+)\s+(EQ|NE)\s+'((?:[^']|'')*)'$/i.exec(text);
  if (attribute) {
    const [, id, op, raw] = attribute;
    return (a) => compare(op.toUpperCase(), a.attributes[id] ?? '', raw.replace(/''/g, "'"));
  }
  const cmp = /^([\w.]+)\s+(EQ|NE|GT|GE|LT|LE)\s+'?([^']*?)'?$/i.exec(text);
  if (!cmp) throw new HttpError(400, `The filter "${text}" is not understood.`);
  const [, field, rawOp, value] = cmp;
  const op = rawOp.toUpperCase();
  const key = field.toLowerCase();
  if (DATE_FIELDS[key]) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new HttpError(400, `The filter value "${value}" is not a date.`);
    return (a) => compare(op, Date.parse(DATE_FIELDS[key](a)), at);
  }
  if (key === 'assettype') return (a) => compare(op, a.assetType.toLowerCase(), value.toLowerCase());
  if (key === 'status') return (a) => compare(op, a.status.toLowerCase(), value.toLowerCase());
  if (key === 'filename') return (a) => compare(op, a.fileName.toLowerCase(), value.toLowerCase());
  throw new HttpError(400, `The filter field "${field}" is not supported.`);
}

/** Parses `(A) AND (B OR C)` one level deep, which is what MediaValet's clients send. */
export function parseFilter(text: string | undefined, library: Library): Predicate {
  if (!text || !text.trim()) return () => true;
  const andParts = splitTopLevel(text.trim(), 'AND');
  const preds = andParts.map((part) => {
    const inner = stripParens(part);
    const orParts = splitTopLevel(inner, 'OR');
    const ors = orParts.map((p) => parseCondition(stripParens(p), library));
    return (a: Asset) => ors.some((p) => p(a));
  });
  return (a) => preds.every((p) => p(a));
}

export function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

export function splitTopLevel(text: string, word: 'AND' | 'OR'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const pattern = ` ${word} `;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && text.slice(i, i + pattern.length).toUpperCase() === pattern) {
      parts.push(text.slice(start, i));
      start = i + pattern.length;
      i += pattern.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function textOf(asset: Asset, library: Library, fields?: string[]): string {
  const all = !fields || fields.length === 0;
  const pick = (name: string) => all || fields.includes(name.toLowerCase());
  const bits: string[] = [];
  if (pick('title')) bits.push(asset.title, asset.description, asset.altText);
  if (pick('filename')) bits.push(asset.fileName);
  if (pick('keywords')) bits.push(...asset.keywords);
  if (pick('attributes')) bits.push(...Object.values(asset.attributes));
  if (pick('categories')) bits.push(...asset.categories.map((c) => library.categories.get(c)?.name ?? ''));
  return bits.join(' ').toLowerCase();
}

const SORT_FIELDS: Record<string, (a: Asset) => string> = {
  'record.createdat': (a) => a.createdAt,
  'record.modifiedat': (a) => a.modifiedAt,
  title: (a) => a.title.toLowerCase(),
  'file.filename': (a) => a.fileName.toLowerCase(),
  filename: (a) => a.fileName.toLowerCase(),
};

export function searchAssets(library: Library, query: SearchQuery): Asset[] {
  const filter = parseFilter(query.filters, library);
  const container = parseFilter(query.containerFilter, library);
  const words = (query.search ?? '').toLowerCase().split(/\s+/).filter((w) => w && w !== '*');
  const fields = query.searchFields?.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
  let results = [...library.assets.values()].filter((a) => filter(a) && container(a) && words.every((w) => textOf(a, library, fields).includes(w)));
  const [field, direction] = (query.sort ?? 'record.createdAt A').trim().split(/\s+/);
  const key = SORT_FIELDS[field.toLowerCase()];
  if (!key) throw new HttpError(400, `Cannot sort by "${field}".`);
  const sign = (direction ?? 'A').toUpperCase().startsWith('D') ? -1 : 1;
  // Ties broken by id so paging is stable.
  results = results.sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : a.id < b.id ? -1 : 1));
  return results;
}
