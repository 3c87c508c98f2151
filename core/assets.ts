// MediaValet's API rules for assets, shared by every node: search bodies and the
// filter grammar, JSON-Patch updates, direct links.
import type { MediaValetClient, PageRequest } from './client';
import { itemsOf, member } from './envelope';
import { ApiError } from './errors';

export interface SearchOptions {
  /** Free text. */
  query?: string;
  /** OData-like filter, e.g. `(AssetType EQ Image)`. */
  filters?: string;
  /** Only assets in this category (and, by default, its subcategories). */
  categoryId?: string;
  includeSubcategories?: boolean;
  /** e.g. `record.createdAt D` (newest first). */
  sort?: string;
  /** Limit the free text to these fields (keywords, attributes, fileName, cognitiveTags…). */
  searchFields?: string[];
}

/** The category scope MediaValet's own web app sends (working code, see the facts sheet). */
export function categoryScopeFilter(categoryId: string, includeSubcategories = true): string {
  const id = categoryId.replace(/'/g, "''");
  return includeSubcategories ? `(CategoryIds/ANY(c: c EQ '${id}') OR CategoryAncestorIds/ANY(c: c EQ '${id}'))` : `(CategoryIds/ANY(c: c EQ '${id}'))`;
}

export function dateFilter(field: 'DateUploaded' | 'DateModified', operator: 'GE' | 'GT' | 'LE' | 'LT', date: Date): string {
  return `(${field} ${operator} ${date.toISOString()})`;
}

/** A POST /assets/search request for the pager (offset and count are added per page). */
export function searchRequest(options: SearchOptions, pageSize?: number, limit?: number): PageRequest {
  const body: Record<string, unknown> = { search: options.query ?? '' };
  if (options.filters) body.filters = options.filters;
  if (options.categoryId) body.containerFilter = categoryScopeFilter(options.categoryId, options.includeSubcategories ?? true);
  if (options.sort) body.sort = options.sort;
  if (options.searchFields?.length) body.searchFields = options.searchFields.join(',');
  return { method: 'POST', path: '/assets/search', body, pageSize, limit };
}

export interface AssetChanges {
  title?: string;
  description?: string;
  altText?: string;
  filename?: string;
  /** Attribute id → value. */
  attributes?: Record<string, string>;
}

/** JSON-Patch lines for PATCH /assets/{id}; only the fields given are touched. */
export function assetPatch(changes: AssetChanges): Array<{ op: 'replace'; path: string; value: string }> {
  const ops: Array<{ op: 'replace'; path: string; value: string }> = [];
  for (const key of ['title', 'description', 'altText', 'filename'] as const) {
    const value = changes[key];
    if (value !== undefined) ops.push({ op: 'replace', path: `/${key}`, value });
  }
  for (const [id, value] of Object.entries(changes.attributes ?? {})) ops.push({ op: 'replace', path: `/attributes/${id}`, value });
  return ops;
}

export interface AttributeDefinition {
  id: string;
  name: string;
}

/** Attribute values keyed by name become keyed by id; an unknown name fails with the names that exist. */
export async function attributesByName(client: MediaValetClient, values: Record<string, string>): Promise<Record<string, string>> {
  if (!Object.keys(values).length) return {};
  const definitions = itemsOf<Record<string, unknown>>((await client.request({ method: 'GET', path: '/attributes' })).payload).map((a) => ({
    id: String(member(a, 'id')),
    name: String(member(a, 'name') ?? member(a, 'attributeName') ?? ''),
  }));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const match = definitions.find((d) => d.id === key) ?? definitions.find((d) => d.name.toLowerCase() === key.toLowerCase());
    if (!match) {
      throw new ApiError(`MediaValet has no attribute named "${key}".`, {
        code: 'bad_request',
        kind: 'request',
        field: 'attributes',
        hint: `Known attributes: ${definitions.map((d) => d.name).join(', ') || 'none'}.`,
      });
    }
    out[match.id] = value;
  }
  return out;
}

/** POST /directlinks creates a new link every call: reuse an existing one first. */
export async function getOrCreateDirectLink(client: MediaValetClient, assetId: string): Promise<{ link: Record<string, unknown>; created: boolean }> {
  const path = `/directlinks/${encodeURIComponent(assetId)}`;
  const existing = itemsOf<Record<string, unknown>>((await client.request({ method: 'GET', path })).payload);
  if (existing.length) return { link: existing[0], created: false };
  const made = await client.request<Record<string, unknown>>({ method: 'POST', path, body: {} });
  return { link: made.payload, created: true };
}
