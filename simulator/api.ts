// The simulator's MediaValet API: the gateway's subscription-key check, bearer checks
// against the identity server, the wire envelope, and the endpoints our nodes use.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, type Params, readJson, Router, sendJson } from './http';
import type { Identity, SimUser } from './identity';
import type { ProfileSettings } from './profiles';
import type { Asset, Library } from './library';
import { searchAssets, type SearchQuery } from './search';
import { SIM_LIBRARY_ID, type Skyhook } from './skyhook';
import { skyhookRoutes } from './skyhook-routes';
import { type Pageable, prepareSynthetic, syntheticAsset, syntheticIndex, withSynthetic } from './synthetic';
import type { Storage } from './storage';
import { Witness } from './witness';

/** The profile's API settings (see profiles.ts for what each means). */
export type ApiSettings = Pick<
  ProfileSettings,
  'pageSizeCap' | 'pageSizeOverCap' | 'offsetCeiling' | 'startingRecordBase' | 'pascalCase' | 'uploadAnswer' | 'requireServerFilename' | 'errorBodyForm' | 'requirePatchContentType' | 'warnUnneededFields'
> & {
  subscriptionKeys: string[];
  /** Seconds the API's clock runs ahead of the identity server's (tokens look older). */
  clockSkewSeconds: number;
  /** Assets made on demand from an index, besides the stored ones (simulator/synthetic.ts). */
  syntheticAssets: number;
};

/** Query and body members MediaValet documents but ignores, with a warning. */
const IGNORED_PARAMETERS = ['include', 'exclude', 'max-length'];

export interface ApiCounters {
  requests: number;
  byRoute: Record<string, number>;
  unauthorized: number;
  /** Correlation ids callers sent (x-correlation-id), so tests can see custom headers arrive. */
  correlationIds?: string[];
}

interface Upload {
  id: string;
  filename: string;
  /** The name POST /uploads answered with; the strict profile wants it back in PUT /uploads/{id}. */
  serverFilename: string;
  assetId?: string;
  title?: string;
  description?: string;
  fileSizeInBytes?: number;
  categories: string[];
  keywords: string[];
  attributes: Record<string, string>;
  finalized: boolean;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  params: Params;
  url: URL;
  user: SimUser;
  version: number;
  /** Meta.Warnings of this answer. */
  warnings: Array<{ field: string; message: string }>;
}

type ApiHandler = (ctx: Ctx) => Promise<void> | void;

export class Api {
  readonly counters: ApiCounters = { requests: 0, byRoute: {}, unauthorized: 0 };
  private readonly router = new Router();
  private readonly uploads = new Map<string, Upload>();
  /** Who is calling, found once per request by handle() and read by the route wrapper. */
  private readonly callers = new WeakMap<IncomingMessage, { user: SimUser; version: number; warnings: Ctx['warnings'] }>();

  constructor(
    private readonly library: Library,
    private readonly identity: Identity,
    private readonly storage: Storage,
    private readonly users: SimUser[],
    readonly settings: ApiSettings,
    private readonly witness = new Witness(),
    /** SkyHOOK subscriptions and deliveries; the changes below raise its events. */
    private readonly skyhook?: Skyhook,
  ) {
    this.routes();
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    this.counters.requests++;
    const key = req.headers['ocp-apim-subscription-key'];
    // Wrong keys too: a key that leaks is a leak whether or not it was valid. (Bearer tokens are written down when issued.)
    this.witness.add('subscription_key', key);
    if (!key) return this.gatewayDenied(res, 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.');
    if (!this.settings.subscriptionKeys.includes(String(key))) return this.gatewayDenied(res, 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.');

    const match = this.router.match(req.method ?? 'GET', url.pathname);
    const auth = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    const token = auth ? await this.identity.findAccessToken(auth[1].trim()) : undefined;
    const nowS = Math.floor(Date.now() / 1000) + this.settings.clockSkewSeconds;
    if (!token || token.exp <= nowS || !token.scope.split(' ').includes('api')) {
      this.counters.unauthorized++;
      req.resume();
      return this.fail(res, url, 401, 'Authorization has been denied for this request.', { 'www-authenticate': `Bearer error="invalid_token"` });
    }
    const user = this.users.find((u) => u.id === token.accountId);
    if (!user) return this.fail(res, url, 401, 'Authorization has been denied for this request.');
    if ('status' in match) {
      req.resume();
      return this.fail(res, url, match.status, match.status === 404 ? `No resource matches ${url.pathname}.` : `The requested resource does not support http method '${req.method}'.`);
    }
    if (req.method === 'PATCH' && this.settings.requirePatchContentType && !/^application\/json-patch\+json\b/i.test(String(req.headers['content-type'] ?? ''))) {
      req.resume();
      return this.fail(res, url, 415, `PATCH takes a JSON Patch document: send Content-Type application/json-patch+json (not ${req.headers['content-type'] ?? 'none'}).`);
    }
    const version = Number(req.headers['x-mv-api-version'] ?? '1.0') || 1.0;
    const routeName = `${req.method} ${url.pathname.replace(/[0-9a-f-]{36}/gi, ':id')}`;
    this.counters.byRoute[routeName] = (this.counters.byRoute[routeName] ?? 0) + 1;
    const warnings: Ctx['warnings'] = [];
    if (this.settings.warnUnneededFields) {
      for (const name of url.searchParams.keys()) {
        if (IGNORED_PARAMETERS.includes(name.toLowerCase())) warnings.push({ field: name, message: `The ${name} parameter is not supported and was ignored.` });
      }
    }
    const correlation = req.headers['x-correlation-id'];
    if (typeof correlation === 'string') (this.counters.correlationIds ??= []).push(correlation.slice(0, 100));
    this.callers.set(req, { user, version, warnings });
    if (req.method !== 'GET' && !/\/search$/i.test(url.pathname)) this.library.revision++;
    try {
      await match.handler(req, res, match.params, url);
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) {
        const body = (error.body ?? {}) as { Message?: string; ExceptionMessage?: string; ExceptionType?: string; permissions?: string[] };
        return this.fail(res, url, error.status, body.Message ?? error.message, {}, body);
      }
      return this.fail(res, url, 500, 'An error has occurred.', {}, { ExceptionMessage: String((error as Error)?.message ?? error), ExceptionType: 'System.Exception' });
    }
  }

  /** An error answer in the profile's body form: MediaValet has two (facts sheet). */
  private fail(
    res: ServerResponse,
    url: URL,
    status: number,
    message: string,
    headers: Record<string, string> = {},
    extra: { ExceptionMessage?: string; ExceptionType?: string; permissions?: string[] } = {},
  ): void {
    if (this.settings.errorBodyForm === 'exception') {
      return sendJson(res, status, { Message: message, ExceptionMessage: extra.ExceptionMessage ?? message, ExceptionType: extra.ExceptionType ?? `MediaValet.Api.Http${status}Exception` }, headers);
    }
    const key = message.replace(/[^A-Za-z]+/g, ' ').trim().split(' ').slice(0, 4).join('');
    sendJson(
      res,
      status,
      {
        message: extra.ExceptionMessage ? `${message} ${extra.ExceptionMessage}` : message,
        _links: { self: { href: url.pathname } },
        translationKeys: [`errors.http${status}.${key.charAt(0).toLowerCase()}${key.slice(1)}`],
        interpolations: {},
        permissions: extra.permissions ?? [],
      },
      headers,
    );
  }

  private gatewayDenied(res: ServerResponse, message: string): void {
    this.counters.unauthorized++;
    sendJson(res, 401, { statusCode: 401, message });
  }

  // ------------------------------------------------------------------ helpers

  private envelope(ctx: Ctx, payload: unknown, extra: { total?: number; offset?: number; meta?: Record<string, unknown> } = {}): Record<string, unknown> {
    const startingRecord = (extra.offset ?? 0) + this.settings.startingRecordBase;
    const rc = extra.total !== undefined ? { totalRecordsFound: extra.total, startingRecord } : undefined;
    const meta: Record<string, unknown> = { ...extra.meta, ...(ctx.warnings.length ? { warnings: ctx.warnings } : {}) };
    // Responses echo the version asked for.
    const apiVersion = String(ctx.req.headers['x-mv-api-version'] ?? '1.0');
    if (this.settings.pascalCase) {
      return {
        ApiVersion: apiVersion,
        Meta: pascalKeys(meta),
        ...(rc ? { RecordCount: { TotalRecordsFound: rc.totalRecordsFound, StartingRecord: rc.startingRecord } } : {}),
        Payload: payload,
      };
    }
    return { apiVersion, meta, ...(rc ? { recordCount: rc } : {}), payload };
  }

  private ok(ctx: Ctx, payload: unknown, status = 200, extra?: Parameters<Api['envelope']>[2]): void {
    sendJson(ctx.res, status, this.envelope(ctx, payload, extra));
  }

  private page<T>(ctx: Ctx, items: Pageable<T>, offsetIn?: unknown, countIn?: unknown, map: (item: T) => unknown = (x) => x, member?: string, defaultCount = 50, search = false): void {
    const offset = Math.max(0, Number(offsetIn ?? 0) || 0);
    const asked = countIn === undefined || countIn === null || countIn === '' ? defaultCount : Number(countIn);
    const cap = this.settings.pageSizeCap;
    if (this.settings.pageSizeOverCap === 'reject' && (!Number.isInteger(asked) || asked < 1 || asked > cap)) {
      throw new HttpError(400, 'count', { Message: `count must be between 1 and ${cap} (was ${String(countIn)})` });
    }
    // A search index refuses to skip past its ceiling (Azure AI Search: $skip above 100,000).
    const ceiling = this.settings.offsetCeiling;
    if (search && ceiling > 0 && offset > ceiling) {
      throw new HttpError(400, 'offset', { Message: `offset must be at most ${ceiling} (was ${offset}); filter by date to read further` });
    }
    const count = Math.min(cap, Math.max(0, asked || defaultCount));
    const slice = items.slice(offset, offset + count).map(map);
    this.ok(ctx, member ? { [member]: slice } : slice, 200, { total: items.length, offset });
  }

  private withSynthetic(real: Asset[], query: SearchQuery): Pageable<Asset> {
    if (this.settings.syntheticAssets > 0) prepareSynthetic(this.library);
    return withSynthetic(real, query, this.settings.syntheticAssets, this.users[0]?.username ?? 'demo');
  }

  /** Members a write did not need are ignored, and named in Meta.Warnings (strict profile). */
  private unneeded(ctx: Ctx, body: unknown, known: string[]): void {
    if (!this.settings.warnUnneededFields || !body || typeof body !== 'object' || Array.isArray(body)) return;
    for (const name of Object.keys(body)) {
      if (!known.includes(name.toLowerCase())) ctx.warnings.push({ field: name, message: `The field ${name} is not needed here and was ignored.` });
    }
  }

  private asset(id: string): Asset {
    const synthetic = syntheticIndex(id, this.settings.syntheticAssets);
    const asset = this.library.assets.get(id) ?? (synthetic === undefined ? undefined : (prepareSynthetic(this.library), syntheticAsset(synthetic, this.users[0]?.username ?? 'demo')));
    if (!asset) throw new HttpError(404, `Asset ${id} was not found.`, { Message: `Asset ${id} was not found.` });
    return asset;
  }

  private requireWrite(ctx: Ctx, what: string): void {
    if (ctx.user.role === 'viewer') {
      // API versions before 1.2 report a permission failure as 401.
      throw new HttpError(ctx.version >= 1.2 ? 403 : 401, what, { Message: `You do not have permission to ${what}.`, permissions: ['AssetEdit'] });
    }
  }

  /** A SkyHOOK event about an asset (data keys PascalCase, as MediaValet sends them). */
  private raise(type: string, asset: Asset, data: Record<string, unknown> = {}, subject = ''): void {
    this.skyhook?.raise(type, { AssetId: asset.id, ...data }, `assets/${asset.id}${subject}`);
  }

  wireAsset(asset: Asset): Record<string, unknown> {
    const original = this.storage.blobUrl(asset.blobs.original, asset.fileName);
    const thumb = this.storage.blobUrl(asset.blobs.thumb ?? asset.blobs.original, asset.fileName);
    const blob = this.library.blobs.get(asset.blobs.original);
    return {
      id: asset.id,
      title: asset.title,
      description: asset.description,
      altText: asset.altText,
      status: asset.status,
      assetType: asset.assetType,
      file: { fileName: asset.fileName, fileType: asset.fileType, contentType: asset.contentType, sizeInBytes: blob?.size ?? 0, imageWidth: asset.width, imageHeight: asset.height },
      categories: asset.categories,
      keywords: asset.keywords,
      attributes: asset.attributes,
      record: { createdAt: asset.createdAt, createdBy: asset.createdBy, modifiedAt: asset.modifiedAt, modifiedBy: asset.modifiedBy },
      version: asset.version,
      media: { thumb: thumb.url, small: thumb.url, medium: original.url, large: original.url, original: original.url, download: original.url },
      sasExpiry: original.expiry,
    };
  }

  private body<T>(value: unknown, check: (v: unknown) => boolean, expected: string): T {
    if (!check(value)) throw new HttpError(400, expected, { Message: `The request body is invalid: expected ${expected}.` });
    return value as T;
  }

  private on(method: string, path: string, handler: ApiHandler): void {
    this.router.on(method, path, async (req, res, params, url) => {
      const caller = this.callers.get(req)!;
      await handler({ req, res, params, url, ...caller });
    });
  }

  // ------------------------------------------------------------------ routes

  private routes(): void {
    const lib = this.library;
    // Parameter names are case-insensitive (Count, OFFSET...), as on MediaValet.
    const q = (ctx: Ctx, name: string) => {
      for (const [key, value] of ctx.url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
      return undefined;
    };
    const field = (body: Record<string, unknown>, name: string) => {
      for (const key of Object.keys(body)) if (key.toLowerCase() === name.toLowerCase()) return body[key];
      return undefined;
    };
    const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (this.skyhook) skyhookRoutes({ on: (method, path, handler) => this.on(method, path, handler), ok: (ctx, payload, status) => this.ok(ctx as Ctx, payload, status), pascalCase: () => this.settings.pascalCase }, this.skyhook);

    this.on('GET', '/users/current', (ctx) =>
      this.ok(ctx, { id: ctx.user.id, libraryId: SIM_LIBRARY_ID, userName: ctx.user.username, email: ctx.user.email, firstName: ctx.user.name.split(' ')[0], lastName: ctx.user.name.split(' ').slice(1).join(' '), role: ctx.user.role }),
    );
    this.on('GET', '/users/current/permissions', (ctx) => this.ok(ctx, { canDownload: true, canUpload: ctx.user.role === 'editor', canEdit: ctx.user.role === 'editor', canDelete: ctx.user.role === 'editor' }));

    // Paging re-runs the same search once per page; cache it so a page costs what MediaValet's would (index lookups), not a full sort.
    let cached: { key: string; revision: number; size: number; results: Asset[] } | undefined;
    const search = (ctx: Ctx, query: SearchQuery, offset: unknown, count: unknown) => {
      const key = JSON.stringify([query.search, query.filters, query.containerFilter, query.sort, query.searchFields]);
      if (!cached || cached.key !== key || cached.revision !== lib.revision || cached.size !== lib.assets.size) {
        cached = { key, revision: lib.revision, size: lib.assets.size, results: searchAssets(lib, query) };
      }
      this.page(ctx, this.withSynthetic(cached.results, query), offset, count, (a) => this.wireAsset(a), 'assets', 50, true);
    };
    this.on('GET', '/assets', (ctx) =>
      search(ctx, { search: q(ctx, 'search'), filters: q(ctx, 'filters'), containerFilter: q(ctx, 'containerFilter'), sort: q(ctx, 'sort'), searchFields: q(ctx, 'searchFields') }, q(ctx, 'offset'), q(ctx, 'count')),
    );
    this.on('POST', '/assets/search', async (ctx) => {
      const body = this.body<Record<string, unknown>>((await readJson(ctx.req)) ?? {}, (v) => !!v && typeof v === 'object' && !Array.isArray(v), 'a JSON object');
      this.unneeded(ctx, body, ['search', 'filters', 'containerfilter', 'sort', 'searchfields', 'count', 'offset', 'includetotalcount']);
      const query: SearchQuery = {
        search: field(body, 'search') as string | undefined,
        filters: field(body, 'filters') as string | undefined,
        containerFilter: field(body, 'containerFilter') as string | undefined,
        sort: field(body, 'sort') as string | undefined,
        searchFields: field(body, 'searchFields') as string | undefined,
      };
      search(ctx, query, field(body, 'offset'), field(body, 'count'));
    });
    this.on('GET', '/assets/:id', (ctx) => this.ok(ctx, this.wireAsset(this.asset(ctx.params.id))));
    this.on('PATCH', '/assets/:id', async (ctx) => {
      const asset = this.asset(ctx.params.id);
      this.requireWrite(ctx, 'edit this asset');
      const ops = this.body<Array<Record<string, unknown>>>(await readJson(ctx.req), Array.isArray, 'a JSON-Patch array');
      const errors: Array<{ path: string; message: string }> = [];
      for (const op of ops) {
        const path = String(op.path ?? '');
        if (this.settings.warnUnneededFields && op && typeof op === 'object') {
          for (const name of Object.keys(op)) if (!['op', 'path', 'value', 'from'].includes(name)) ctx.warnings.push({ field: `${path}/${name}`, message: `The member ${name} of a JSON Patch operation is not needed and was ignored.` });
        }
        if (op.op !== 'replace' && op.op !== 'add') {
          errors.push({ path, message: `Operation "${String(op.op)}" is not supported.` });
          continue;
        }
        if (typeof op.value !== 'string') {
          errors.push({ path, message: 'The value must be a string.' });
          continue;
        }
        const field = path.replace(/^\//, '');
        if (field === 'title' || field === 'description' || field === 'altText') asset[field] = op.value;
        else if (field === 'filename') asset.fileName = op.value;
        else if (field.startsWith('attributes/')) {
          const attributeId = field.slice('attributes/'.length);
          if (!lib.attributes.has(attributeId)) errors.push({ path, message: `Attribute ${attributeId} does not exist.` });
          else asset.attributes[attributeId] = op.value;
        } else errors.push({ path, message: `The path ${path} cannot be changed.` });
      }
      lib.touch(asset, ctx.user.username);
      lib.addHistory(asset, 'Edited', `${ops.length - errors.length} field(s) changed`, ctx.user.username);
      const attributesSet = ops.filter((op) => String(op.path ?? '').startsWith('/attributes/') && !errors.some((e) => e.path === op.path));
      if (attributesSet.length) this.raise('Asset.AttributesAdded', asset, { Attributes: attributesSet.map((op) => ({ Id: String(op.path).slice('/attributes/'.length), Value: op.value })) });
      this.ok(ctx, this.wireAsset(asset), 200, { meta: errors.length ? { errors } : {} });
    });
    this.on('DELETE', '/assets/:id', (ctx) => {
      this.asset(ctx.params.id);
      this.requireWrite(ctx, 'delete this asset');
      lib.assets.delete(ctx.params.id);
      ctx.res.writeHead(204).end();
    });

    // Keywords
    this.on('GET', '/assets/:id/keywords', (ctx) => this.ok(ctx, this.asset(ctx.params.id).keywords.map((k) => lib.keyword(k))));
    this.on('POST', '/assets/:id/keywords', async (ctx) => {
      const asset = this.asset(ctx.params.id);
      this.requireWrite(ctx, 'add keywords');
      const names = this.body<string[]>(await readJson(ctx.req), strings, 'an array of keywords');
      for (const name of names) {
        const keyword = lib.keyword(name.trim());
        if (!asset.keywords.some((k) => k.toLowerCase() === keyword.keywordName.toLowerCase())) asset.keywords.push(keyword.keywordName);
      }
      lib.touch(asset, ctx.user.username);
      lib.addHistory(asset, 'KeywordsAdded', names.join(', '), ctx.user.username);
      this.raise('Asset.KeywordsAdded', asset, { Keywords: names.map((n) => n.trim()) });
      this.ok(ctx, asset.keywords.map((k) => lib.keyword(k)), 202);
    });
    this.on('DELETE', '/assets/:id/keywords/:keywordId', (ctx) => {
      const asset = this.asset(ctx.params.id);
      this.requireWrite(ctx, 'remove keywords');
      const kw = lib.keywords.get(ctx.params.keywordId)?.keywordName ?? ctx.params.keywordId;
      const before = asset.keywords.length;
      asset.keywords = asset.keywords.filter((k) => k.toLowerCase() !== kw.toLowerCase());
      if (asset.keywords.length === before) throw new HttpError(404, 'keyword', { Message: `The asset has no keyword ${ctx.params.keywordId}.` });
      lib.touch(asset, ctx.user.username);
      lib.addHistory(asset, 'KeywordRemoved', kw, ctx.user.username);
      this.raise('Asset.KeywordRemoved', asset, { Keyword: kw, KeywordId: ctx.params.keywordId });
      ctx.res.writeHead(204).end();
    });
    this.on('GET', '/keywords', (ctx) => this.page(ctx, [...lib.keywords.values()], q(ctx, 'offset'), q(ctx, 'count')));
    this.on('POST', '/keywords', async (ctx) => {
      this.requireWrite(ctx, 'create keywords');
      const body = this.body<{ keywordName: string }>(await readJson(ctx.req), (v) => typeof (v as { keywordName?: unknown })?.keywordName === 'string', '{ "keywordName": "..." }');
      this.ok(ctx, lib.keyword(body.keywordName.trim()), 201);
    });
    this.on('GET', '/keywordGroups', (ctx) => this.ok(ctx, []));

    // Attributes
    this.on('GET', '/attributes', (ctx) => this.ok(ctx, [...lib.attributes.values()]));
    this.on('POST', '/attributes', async (ctx) => {
      this.requireWrite(ctx, 'create attributes');
      const body = this.body<{ name: string; type?: string }>(await readJson(ctx.req), (v) => typeof (v as { name?: unknown })?.name === 'string', '{ "name": "..." }');
      const attribute = { id: randomUUID(), name: body.name, type: (body.type as 'Text') ?? 'Text' };
      lib.attributes.set(attribute.id, attribute);
      this.ok(ctx, attribute, 201);
    });
    this.on('GET', '/assets/:id/attributes', (ctx) => {
      const asset = this.asset(ctx.params.id);
      this.ok(ctx, Object.entries(asset.attributes).map(([id, value]) => ({ id, name: lib.attributes.get(id)?.name, value })));
    });
    this.on('POST', '/assets/:id/attributes', async (ctx) => {
      const asset = this.asset(ctx.params.id);
      this.requireWrite(ctx, 'edit attributes');
      const errors = applyAttributes(lib, asset.attributes, await readJson(ctx.req));
      lib.touch(asset, ctx.user.username);
      lib.addHistory(asset, 'AttributesAdded', '', ctx.user.username);
      this.raise('Asset.AttributesAdded', asset, { Attributes: Object.entries(asset.attributes).map(([Id, Value]) => ({ Id, Value })) });
      this.ok(ctx, asset.attributes, 202, { meta: errors.length ? { errors } : {} });
    });

    // Categories
    const wireCategory = (c: { id: string }) => {
      const cat = lib.categories.get(c.id)!;
      return { ...cat, assetCount: [...lib.assets.values()].filter((a) => a.categories.includes(cat.id)).length };
    };
    this.on('GET', '/categories', (ctx) => this.ok(ctx, [...lib.categories.values()].map(wireCategory)));
    this.on('POST', '/categories', async (ctx) => {
      this.requireWrite(ctx, 'create categories');
      const body = this.body<{ name: string; parentId?: string }>(await readJson(ctx.req), (v) => typeof (v as { name?: unknown })?.name === 'string', '{ "name": "...", "parentId": "..." }');
      if (body.parentId && !lib.categories.has(body.parentId)) throw new HttpError(400, 'parent', { Message: `Parent category ${body.parentId} does not exist.` });
      this.ok(ctx, wireCategory(lib.addCategory(body.name, body.parentId ?? null)), 201);
    });
    const category = (id: string) => {
      const c = lib.categories.get(id);
      if (!c) throw new HttpError(404, 'category', { Message: `Category ${id} was not found.` });
      return c;
    };
    this.on('GET', '/categories/:id', (ctx) => this.ok(ctx, wireCategory(category(ctx.params.id))));
    this.on('GET', '/categories/:id/subcategories', (ctx) => {
      category(ctx.params.id);
      this.ok(ctx, [...lib.categories.values()].filter((c) => c.parentId === ctx.params.id).map(wireCategory));
    });
    this.on('GET', '/categories/:id/assets', (ctx) => {
      category(ctx.params.id);
      const query = { containerFilter: `(CategoryIds/ANY(c: c EQ '${ctx.params.id}'))`, sort: q(ctx, 'sort') };
      this.page(ctx, this.withSynthetic(searchAssets(lib, query), query), q(ctx, 'offset'), q(ctx, 'count'), (a) => this.wireAsset(a), 'assets', 50, true);
    });
    this.on('GET', '/assets/:id/categories', (ctx) => this.ok(ctx, this.asset(ctx.params.id).categories.map((id) => wireCategory({ id }))));
    const setCategories = async (ctx: Ctx, replace: boolean) => {
      const asset = this.asset(ctx.params.id);
      this.requireWrite(ctx, 'change categories');
      const ids = this.body<string[]>(await readJson(ctx.req), strings, 'an array of category ids');
      const unknown = ids.filter((id) => !lib.categories.has(id));
      if (unknown.length) throw new HttpError(400, 'category', { Message: `Unknown category id(s): ${unknown.join(', ')}.` });
      asset.categories = replace ? [...new Set(ids)] : [...new Set([...asset.categories, ...ids])];
      lib.touch(asset, ctx.user.username);
      lib.addHistory(asset, 'CategoriesAssigned', ids.join(', '), ctx.user.username);
      for (const id of new Set(ids)) this.skyhook?.raise('Category.AssetsAssigned', { AssetIds: [asset.id], CategoryId: id, Name: lib.categories.get(id)?.name }, `categories/${id}/assets`);
      this.ok(ctx, asset.categories, 202);
    };
    this.on('POST', '/assets/:id/categories', (ctx) => setCategories(ctx, false));
    this.on('PUT', '/assets/:id/categories', (ctx) => setCategories(ctx, true));
    this.on('DELETE', '/assets/:id/categories/:categoryId', (ctx) => {
      const asset = this.asset(ctx.params.id);
      this.requireWrite(ctx, 'change categories');
      if (!asset.categories.includes(ctx.params.categoryId)) throw new HttpError(404, 'category', { Message: `The asset is not in category ${ctx.params.categoryId}.` });
      asset.categories = asset.categories.filter((c) => c !== ctx.params.categoryId);
      lib.touch(asset, ctx.user.username);
      lib.addHistory(asset, 'CategoryUnassigned', ctx.params.categoryId, ctx.user.username);
      this.raise('Category.AssetUnassigned', asset, { CategoryId: ctx.params.categoryId, Name: lib.categories.get(ctx.params.categoryId)?.name });
      ctx.res.writeHead(204).end();
    });

    // Renditions, versions, history, related, comments
    this.on('GET', '/assets/:id/renditions', (ctx) => {
      const asset = this.asset(ctx.params.id);
      const media = this.wireAsset(asset).media as Record<string, string>;
      this.ok(ctx, Object.entries(media).map(([name, url]) => ({ name, url, width: name === 'thumb' || name === 'small' ? 24 : asset.width, height: name === 'thumb' || name === 'small' ? 16 : asset.height })));
    });
    this.on('GET', '/assets/:id/versions', (ctx) => {
      const asset = this.asset(ctx.params.id);
      this.ok(ctx, Array.from({ length: asset.version }, (_, i) => ({ version: i + 1, current: i + 1 === asset.version })));
    });
    this.on('GET', '/assets/:id/history', (ctx) => this.page(ctx, [...this.asset(ctx.params.id).history].reverse(), q(ctx, 'offset'), q(ctx, 'count')));
    this.on('GET', '/assets/:id/relatedassets', (ctx) => {
      this.asset(ctx.params.id);
      this.ok(ctx, []);
    });
    this.on('GET', '/assets/:id/comments', (ctx) => this.ok(ctx, this.asset(ctx.params.id).comments));
    this.on('POST', '/assets/:id/comments', async (ctx) => {
      const asset = this.asset(ctx.params.id);
      const body = this.body<{ text: string }>(await readJson(ctx.req), (v) => typeof (v as { text?: unknown })?.text === 'string', '{ "text": "..." }');
      const comment = { id: randomUUID(), text: body.text, at: new Date().toISOString(), by: ctx.user.username };
      asset.comments.push(comment);
      this.ok(ctx, comment, 201);
    });

    // Direct links: durable, one new link per POST.
    const wireLink = (l: { id: string; assetId: string; createdAt: string }) => ({ ...l, url: this.storage.directUrl(l.id, this.asset(l.assetId).fileName) });
    this.on('GET', '/directlinks/:assetId', (ctx) => {
      this.asset(ctx.params.assetId);
      this.ok(ctx, (lib.directLinks.get(ctx.params.assetId) ?? []).map(wireLink));
    });
    this.on('POST', '/directlinks/:assetId', async (ctx) => {
      this.asset(ctx.params.assetId);
      await readJson(ctx.req);
      const link = { id: randomUUID(), assetId: ctx.params.assetId, createdAt: new Date().toISOString() };
      lib.directLinks.set(ctx.params.assetId, [...(lib.directLinks.get(ctx.params.assetId) ?? []), link]);
      this.ok(ctx, wireLink(link), 201);
    });

    // Uploads
    const createUpload = async (ctx: Ctx, assetId?: string) => {
      this.requireWrite(ctx, 'upload files');
      const body = this.body<{ filename: string }>(await readJson(ctx.req), (v) => typeof (v as { filename?: unknown })?.filename === 'string' && !!(v as { filename: string }).filename, '{ "filename": "..." }');
      this.unneeded(ctx, body, ['filename', 'filesizeinbytes', 'filenameversioning']);
      const id = randomUUID();
      // The strict profile names the stored file itself, so a client that sends its local name back is caught.
      const dot = body.filename.lastIndexOf('.');
      const serverFilename = this.settings.requireServerFilename
        ? `${dot > 0 ? body.filename.slice(0, dot) : body.filename}_${id.slice(0, 8)}${dot > 0 ? body.filename.slice(dot) : ''}`
        : body.filename;
      const upload: Upload = { id, filename: body.filename, serverFilename, assetId, categories: [], keywords: [], attributes: {}, finalized: false };
      this.uploads.set(upload.id, upload);
      const uploadUrl = this.storage.uploadUrl(upload.id, serverFilename);
      if (this.settings.uploadAnswer === 'created') this.ok(ctx, { id: upload.id, uploadUrl, uploadFileName: serverFilename, mediaFileId: randomUUID() }, 201);
      else this.ok(ctx, { id: upload.id, uploadUrl, UploadFilename: serverFilename }, 200);
    };
    this.on('POST', '/uploads', (ctx) => createUpload(ctx));
    this.on('POST', '/assets/:id/uploads', (ctx) => createUpload(ctx, this.asset(ctx.params.id).id));
    const upload = (id: string) => {
      const u = this.uploads.get(id);
      if (!u) throw new HttpError(404, 'upload', { Message: `Upload ${id} was not found.` });
      if (u.finalized) throw new HttpError(409, 'upload', { Message: `Upload ${id} is already finalised.` });
      return u;
    };
    this.on('PUT', '/uploads/:id', async (ctx) => {
      const u = upload(ctx.params.id);
      const body = this.body<Record<string, unknown>>(await readJson(ctx.req), (v) => !!v && typeof v === 'object', 'a JSON object');
      this.unneeded(ctx, body, ['filename', 'title', 'description', 'filesizeinbytes']);
      if (this.settings.requireServerFilename && body.filename !== u.serverFilename) {
        throw new HttpError(400, 'filename', { Message: `filename must be the uploadFileName that POST /uploads returned ("${u.serverFilename}"), not "${String(body.filename)}".` });
      }
      // The sample sends back the server's name; the asset keeps the name the file was uploaded with.
      if (typeof body.filename === 'string' && body.filename !== u.serverFilename) u.filename = body.filename;
      if (typeof body.title === 'string') u.title = body.title;
      if (typeof body.description === 'string') u.description = body.description;
      if (body.fileSizeInBytes !== undefined) u.fileSizeInBytes = Number(body.fileSizeInBytes);
      this.ok(ctx, { id: u.id, filename: u.serverFilename }, 202);
    });
    this.on('POST', '/uploads/:id/categories', async (ctx) => {
      const u = upload(ctx.params.id);
      const ids = this.body<string[]>(await readJson(ctx.req), strings, 'an array of category ids');
      const unknown = ids.filter((id) => !lib.categories.has(id));
      if (unknown.length) throw new HttpError(400, 'category', { Message: `Unknown category id(s): ${unknown.join(', ')}.` });
      u.categories.push(...ids);
      this.ok(ctx, u.categories, 202);
    });
    this.on('POST', '/uploads/:id/keywords', async (ctx) => {
      const u = upload(ctx.params.id);
      u.keywords.push(...this.body<string[]>(await readJson(ctx.req), strings, 'an array of keywords'));
      this.ok(ctx, u.keywords, 202);
    });
    this.on('POST', '/uploads/:id/attributes', async (ctx) => {
      const u = upload(ctx.params.id);
      const errors = applyAttributes(lib, u.attributes, await readJson(ctx.req));
      this.ok(ctx, u.attributes, 202, { meta: errors.length ? { errors } : {} });
    });
    this.on('PATCH', '/uploads/:id', async (ctx) => {
      const u = upload(ctx.params.id);
      const ops = this.body<Array<Record<string, unknown>>>(await readJson(ctx.req), Array.isArray, 'a JSON-Patch array');
      if (!ops.some((op) => op.path === '/status' && Number(op.value) === 1)) throw new HttpError(400, 'status', { Message: 'Only [{"op":"replace","path":"/status","value":1}] is supported.' });
      const blob = lib.blobs.get(`upload/${u.id}`);
      if (!blob) throw new HttpError(400, 'blob', { Message: 'No file has been uploaded for this upload yet.' });
      if (u.fileSizeInBytes !== undefined && u.fileSizeInBytes !== blob.size) {
        throw new HttpError(400, 'size', { Message: `The uploaded file has ${blob.size} bytes, not the ${u.fileSizeInBytes} declared.` });
      }
      u.finalized = true;
      const now = new Date().toISOString();
      const ext = (u.filename.split('.').pop() ?? '').toUpperCase();
      let asset = u.assetId ? lib.assets.get(u.assetId) : undefined;
      if (asset) {
        asset.version++;
        asset.blobs = { original: `upload/${u.id}` };
        asset.fileName = u.filename;
        asset.contentType = blob.contentType;
        lib.touch(asset, ctx.user.username);
        lib.addHistory(asset, 'NewVersion', `Version ${asset.version}`, ctx.user.username);
      } else {
        asset = {
          id: u.id,
          title: u.title ?? u.filename,
          description: u.description ?? '',
          altText: '',
          fileName: u.filename,
          fileType: ext,
          contentType: blob.contentType,
          status: 'Approved',
          assetType: /^(PNG|JPE?G|GIF|WEBP|TIFF?)$/.test(ext) ? 'Image' : 'Other',
          categories: [...new Set(u.categories)],
          keywords: [...new Set(u.keywords.map((k) => lib.keyword(k).keywordName))],
          attributes: { ...u.attributes },
          createdAt: now,
          modifiedAt: now,
          createdBy: ctx.user.username,
          modifiedBy: ctx.user.username,
          version: 1,
          blobs: { original: `upload/${u.id}` },
          history: [{ id: randomUUID(), action: 'Uploaded', details: u.filename, at: now, by: ctx.user.username }],
          comments: [],
        };
        lib.assets.set(asset.id, asset);
      }
      const reason = asset.version > 1 ? 'NewVersion' : 'FromUploadProcess';
      this.raise('Asset.MediaFileAdded', asset, { Version: asset.version, FileName: asset.fileName, FileSize: blob.size, Reason: reason, CreatedAt: now, MediaFileBlobUrl: this.storage.blobUrl(asset.blobs.original, asset.fileName).url }, `/MediaFile.${reason}`);
      this.raise('Asset.StatusUpdated', asset, { CurrentVersion: asset.version, FileName: asset.fileName, Status: asset.status });
      this.ok(ctx, { id: asset.id, status: asset.status }, 202);
    });
  }
}

function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), pascalKeys(v)]));
}

function applyAttributes(lib: Library, target: Record<string, string>, body: unknown): Array<{ path: string; message: string }> {
  const entries: Array<[string, unknown]> = Array.isArray(body)
    ? body.map((e: { id?: unknown; attributeId?: unknown; value?: unknown }) => [String(e?.id ?? e?.attributeId ?? ''), e?.value])
    : body && typeof body === 'object'
      ? Object.entries(body as Record<string, unknown>)
      : [];
  if (!entries.length) throw new HttpError(400, 'attributes', { Message: 'Expected attributes as [{ "id": "...", "value": "..." }].' });
  const errors: Array<{ path: string; message: string }> = [];
  for (const [id, value] of entries) {
    if (!lib.attributes.has(id)) errors.push({ path: `/attributes/${id}`, message: `Attribute ${id} does not exist.` });
    else if (typeof value !== 'string') errors.push({ path: `/attributes/${id}`, message: 'The value must be a string.' });
    else target[id] = value;
  }
  return errors;
}
