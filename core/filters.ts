// MediaValet's search filter (OData-like, see the facts sheet) built from the fields an
// editor shows, so n8n's filter builder and Node-RED's dialog produce the same string.
import { ApiError } from './errors';

export interface FilterFields {
  /** Any of these asset types (Image, Video, Audio, Document, Other). */
  assetTypes?: string[];
  /** Dates as ISO strings (or anything Date.parse reads) or Date objects; each bound inclusive. */
  uploadedFrom?: string | Date;
  uploadedTo?: string | Date;
  modifiedFrom?: string | Date;
  modifiedTo?: string | Date;
  /** Assets tagged with every one of these keywords. */
  keywords?: string[];
  /** Attribute (by id) equals value. */
  attributes?: Array<{ id: string; value: string }>;
  /** A hand-written expression, ANDed with the rest. */
  expression?: string;
}

export const ASSET_TYPES = ['Image', 'Video', 'Audio', 'Document', 'Other'] as const;

/** A quoted OData string literal: single quotes doubled. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isoDate(value: string | Date | undefined, label: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const at = value instanceof Date ? value.getTime() : Date.parse(String(value));
  if (Number.isNaN(at)) {
    throw new ApiError(`${label} is not a date: "${String(value)}".`, { code: 'bad_request', kind: 'request', field: label, hint: 'Use a date such as 2026-01-31 or 2026-01-31T12:00:00Z.' });
  }
  return new Date(at).toISOString();
}

/** The filter string for POST /assets/search, or undefined when nothing narrows the search. */
export function buildFilters(fields: FilterFields): string | undefined {
  const parts: string[] = [];
  const types = (fields.assetTypes ?? []).map((t) => t.trim()).filter(Boolean);
  if (types.length) parts.push(`(${types.map((t) => `AssetType EQ ${t}`).join(' OR ')})`);
  const bounds: Array<[string | Date | undefined, string, 'DateUploaded' | 'DateModified', 'GE' | 'LE']> = [
    [fields.uploadedFrom, 'Uploaded From', 'DateUploaded', 'GE'],
    [fields.uploadedTo, 'Uploaded To', 'DateUploaded', 'LE'],
    [fields.modifiedFrom, 'Modified From', 'DateModified', 'GE'],
    [fields.modifiedTo, 'Modified To', 'DateModified', 'LE'],
  ];
  for (const [value, label, field, op] of bounds) {
    const at = isoDate(value, label);
    if (at) parts.push(`(${field} ${op} ${at})`);
  }
  for (const keyword of (fields.keywords ?? []).map((k) => k.trim()).filter(Boolean)) parts.push(`(Keywords/ANY(k: k EQ ${literal(keyword)}))`);
  for (const { id, value } of fields.attributes ?? []) {
    if (!id) continue;
    parts.push(`(Attributes/${id} EQ ${literal(value ?? '')})`);
  }
  const expression = fields.expression?.trim();
  // Appended as written: the hint asks for OR groups in brackets, as MediaValet's own clients send them.
  if (expression) parts.push(expression);
  return parts.length ? parts.join(' AND ') : undefined;
}
