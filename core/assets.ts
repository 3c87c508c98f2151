// MediaValet's API rules for assets, shared by every node: search bodies and the
// filter grammar, JSON-Patch updates, direct links.
import type { MediaValetClient, PageRequest } from './client';
import { checkedUpload, type UploadInput, type UploadOptions, type UploadResult, uploadAsset } from './upload';
import { itemsOf, member } from './envelope';
import { ApiError, quote } from './errors';
import { invalidInput, checkAttributes, checkCount, checkId, checkIds, checkText, checkTextList, TEXT_LIMITS } from './inputs';
import { listAttributes } from './taxonomy';
import { type AssetField, assetField, storedFileName } from './asset-fields';

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

/**
 * A POST /assets/search request for the pager (offset and count are added per page). Leave
 * pageSize out unless the user chose one: the pager then asks for MediaValet's default.
 * A search reads, so it is marked idempotent: retried on 500/502/504 like a GET.
 */
export function searchRequest(options: SearchOptions, pageSize?: number, limit?: number): PageRequest {
  const body: Record<string, unknown> = { search: checkText(options.query, 'Search text', { max: TEXT_LIMITS.query }) ?? '' };
  const filters = checkText(options.filters, 'Filters', { max: TEXT_LIMITS.query });
  if (filters) body.filters = filters;
  if (options.categoryId) body.containerFilter = categoryScopeFilter(checkId(options.categoryId, 'Category'), options.includeSubcategories ?? true);
  const sort = checkText(options.sort, 'Sort', { max: 200, singleLine: true });
  if (sort) body.sort = sort;
  if (options.searchFields?.length) body.searchFields = checkTextList(options.searchFields, 'Search in', 100).join(',');
  return { method: 'POST', path: '/assets/search', body, pageSize, limit, idempotent: true };
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

/** Attribute values keyed by name become keyed by id; an unknown name fails with the names that exist. */
export async function attributesByName(client: MediaValetClient, values: Record<string, string>): Promise<Record<string, string>> {
  if (!Object.keys(values).length) return {};
  const definitions = await listAttributes(client);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const match = definitions.find((d) => d.id === key) ?? definitions.find((d) => d.name.toLowerCase() === key.toLowerCase());
    if (!match) {
      throw new ApiError(`MediaValet has no attribute named ${quote(key)}.`, {
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
  const path = `/directlinks/${encodeURIComponent(checkId(assetId, 'Asset ID'))}`;
  const existing = itemsOf<Record<string, unknown>>((await client.request({ method: 'GET', path })).payload);
  if (existing.length) return { link: existing[0], created: false };
  const made = await client.request<Record<string, unknown>>({ method: 'POST', path, body: {} });
  return { link: made.payload, created: true };
}

// ---------------------------------------------------------------- operations both hosts offer

/** Every asset operation's path: the id is checked here whatever the host checked before. */
const assetPath = (id: string) => `/assets/${encodeURIComponent(checkId(id, 'Asset ID'))}`;

/** What an update may change, each checked: titles and names are one line, descriptions longer. */
function checkedChanges(changes: AssetChanges): AssetChanges {
  return {
    title: checkText(changes.title, 'Title', { singleLine: true }),
    description: checkText(changes.description, 'Description', { max: TEXT_LIMITS.text }),
    altText: checkText(changes.altText, 'Alt text', { max: TEXT_LIMITS.text }),
    filename: checkText(changes.filename, 'File name', { max: TEXT_LIMITS.fileName, singleLine: true }),
    attributes: checkAttributes(changes.attributes, 'Attributes'),
  };
}

export async function getAssetById(client: MediaValetClient, assetId: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return (await client.request<Record<string, unknown>>({ method: 'GET', path: assetPath(assetId), signal })).payload;
}

/** Only the fields given change; attributes may be named by name or id. Returns the asset as saved. */
export async function updateAsset(client: MediaValetClient, assetId: string, changes: AssetChanges): Promise<Record<string, unknown>> {
  const path = assetPath(assetId);
  const checked = checkedChanges(changes);
  const attributes = checked.attributes ? await attributesByName(client, checked.attributes) : undefined;
  const patch = assetPatch({ ...checked, attributes });
  if (!patch.length) {
    throw new ApiError('Nothing to update: give at least one of title, description, alt text, file name or an attribute.', { code: 'bad_request', kind: 'request', field: 'changes' });
  }
  await client.request({ method: 'PATCH', path, body: patch });
  return getAssetById(client, assetId);
}

export async function listAssetKeywords(client: MediaValetClient, assetId: string): Promise<Array<{ id: string; keywordName: string }>> {
  const items = itemsOf<Record<string, unknown>>((await client.request({ method: 'GET', path: `${assetPath(assetId)}/keywords` })).payload);
  return items.map(keywordOf);
}

function keywordOf(k: unknown): { id: string; keywordName: string } {
  return { id: String(member(k, 'id') ?? ''), keywordName: String(member(k, 'keywordName') ?? member(k, 'name') ?? '') };
}

/** Every keyword of the library, page by page (GET /keywords is a list like any other: 50 a page unless MediaValet says less). */
export async function listKeywords(client: MediaValetClient, signal?: AbortSignal): Promise<Array<{ id: string; keywordName: string }>> {
  const out: Array<{ id: string; keywordName: string }> = [];
  for await (const k of client.paginate({ method: 'GET', path: '/keywords', signal })) out.push(keywordOf(k));
  return out;
}

export async function addKeywords(client: MediaValetClient, assetId: string, given: string[]): Promise<string[]> {
  assetPath(assetId);
  const keywords = checkTextList(given, 'Keywords');
  if (!keywords.length) throw invalidInput('Keywords', 'are empty: no keyword was given.', 'Give one or more keywords, comma-separated or as a list.');
  await client.request({ method: 'POST', path: `${assetPath(assetId)}/keywords`, body: keywords });
  return (await listAssetKeywords(client, assetId)).map((k) => k.keywordName);
}

/** Removes keywords by name (MediaValet deletes by keyword id); names the asset does not have are ignored. */
export async function removeKeywords(client: MediaValetClient, assetId: string, given: string[]): Promise<string[]> {
  assetPath(assetId);
  const keywords = checkTextList(given, 'Keywords');
  if (!keywords.length) throw invalidInput('Keywords', 'are empty: no keyword was given.', 'Give one or more keywords, comma-separated or as a list.');
  const wanted = new Set(keywords.map((k) => k.toLowerCase()));
  const current = await listAssetKeywords(client, assetId);
  for (const keyword of current.filter((k) => wanted.has(k.keywordName.toLowerCase()))) {
    await client.request({ method: 'DELETE', path: `${assetPath(assetId)}/keywords/${encodeURIComponent(keyword.id)}` });
  }
  return (await listAssetKeywords(client, assetId)).map((k) => k.keywordName);
}

export async function addCategories(client: MediaValetClient, assetId: string, given: string[]): Promise<unknown> {
  assetPath(assetId);
  const categoryIds = checkIds(given, 'Categories');
  if (!categoryIds.length) throw invalidInput('Categories', 'are empty: no category ID was given.', 'Give one or more category IDs, comma-separated or as a list.');
  await client.request({ method: 'POST', path: `${assetPath(assetId)}/categories`, body: categoryIds });
  return (await client.request({ method: 'GET', path: `${assetPath(assetId)}/categories` })).payload;
}

export async function removeCategories(client: MediaValetClient, assetId: string, given: string[]): Promise<unknown> {
  assetPath(assetId);
  const categoryIds = checkIds(given, 'Categories');
  if (!categoryIds.length) throw invalidInput('Categories', 'are empty: no category ID was given.', 'Give one or more category IDs, comma-separated or as a list.');
  for (const id of categoryIds) await client.request({ method: 'DELETE', path: `${assetPath(assetId)}/categories/${encodeURIComponent(id)}` });
  return (await client.request({ method: 'GET', path: `${assetPath(assetId)}/categories` })).payload;
}

export async function listRenditions(client: MediaValetClient, assetId: string): Promise<unknown[]> {
  return itemsOf((await client.request({ method: 'GET', path: `${assetPath(assetId)}/renditions` })).payload);
}

export async function assetHistory(client: MediaValetClient, assetId: string, limit?: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const entry of client.paginate({ method: 'GET', path: `${assetPath(assetId)}/history`, limit: checkCount(limit, 'Limit') })) out.push(entry);
  return out;
}

export async function deleteAsset(client: MediaValetClient, assetId: string): Promise<void> {
  await client.request({ method: 'DELETE', path: assetPath(assetId) });
}

/** "a, b" or ["a", "b"] → ["a", "b"]: how both hosts take keyword and category lists. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Upload with attributes given by name (or id), then read the new asset back for the output. */
export async function uploadWithMetadata(
  client: MediaValetClient,
  input: Omit<UploadInput, 'attributes'> & { attributes?: Record<string, string> },
  options?: UploadOptions,
): Promise<UploadResult & { asset?: Record<string, unknown> }> {
  const checked = checkedUpload(input);
  const attributes = checked.attributes && Object.keys(checked.attributes).length ? await attributesByName(client, checked.attributes) : undefined;
  const result = await uploadAsset(client, { ...checked, attributes }, options);
  const asset = await getAssetById(client, result.id).catch(() => undefined);
  return { ...result, asset };
}

/** What an AI agent or a quick workflow needs of an asset; the whole record stays one switch away. */
export interface CompactAsset {
  id: string;
  title: string;
  fileName: string;
  type: string;
  sizeInBytes: number | null;
  contentType: string | null;
  uploadedAt: string | null;
  modifiedAt: string | null;
  categories: string[];
  keywords: string[];
  thumbnailUrl: string | null;
  originalUrl: string | null;
  /** The media links are signed and stop working at this time; get the asset again for fresh ones. */
  linksExpireAt: string | null;
}

const text = (value: unknown): string | null => (value === undefined || value === null || value === '' ? null : String(value));

/** Keywords and categories come as names, ids or objects depending on the endpoint: names (or ids) out. */
function names(value: unknown, ...keys: string[]): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((v) => (v && typeof v === 'object' ? keys.map((k) => member(v, k)).find((x) => x !== undefined && x !== null) : v))
    .filter((v) => v !== undefined && v !== null && v !== '')
    .map(String);
}

export function compactAsset(asset: unknown): CompactAsset {
  const field = (name: AssetField) => assetField(asset, name);
  const size = field('size');
  return {
    id: String(field('id') ?? ''),
    title: String(field('title') ?? ''),
    fileName: storedFileName(asset) ?? '',
    type: String(field('type') ?? ''),
    sizeInBytes: size === undefined || typeof size === 'object' || Number.isNaN(Number(size)) ? null : Number(size),
    contentType: text(field('contentType')),
    uploadedAt: text(field('uploadedAt')),
    modifiedAt: text(field('modifiedAt')),
    categories: names(field('categories'), 'id', 'categoryId', 'name'),
    keywords: names(field('keywords'), 'keywordName', 'name'),
    thumbnailUrl: text(field('thumbnailUrl')),
    originalUrl: text(field('originalUrl')),
    linksExpireAt: text(field('linksExpireAt')),
  };
}
