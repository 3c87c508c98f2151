// mediavalet-asset: one node for the asset operations, picked in the editor or by
// msg.operation. Every rule (patch lines, attribute names, keyword ids, direct links)
// comes from core/.
import {
  addCategories,
  addKeywords,
  assetHistory,
  downloadAsset,
  getAssetById,
  getOrCreateDirectLink,
  listRenditions,
  removeCategories,
  removeKeywords,
  searchPages,
  listOf,
  updateAsset,
  type AssetChanges,
} from '../core';
import { abortSignal, onInput, pick, required } from './adapter';
import { limitOf, outputMode, sendRecords } from './output-modes';
import type { Node, NodeMessage, RED } from './red';

const OPERATIONS = ['get', 'search', 'update', 'addKeywords', 'removeKeywords', 'addCategories', 'removeCategories', 'renditions', 'download', 'directLink', 'history'] as const;
type Operation = (typeof OPERATIONS)[number];

interface AssetConfig {
  account: string;
  operation?: Operation | 'msg';
  assetId?: string;
  query?: string;
  filters?: string;
  categoryId?: string;
  includeSubcategories?: boolean;
  /** A MediaValet sort such as `record.createdAt D`, or `relevance` (MediaValet's own ranking: no sort sent). */
  sort?: string;
  limit?: string | number;
  /** search: the same Return options as mv request */
  searchOutput?: 'array' | 'pages' | 'items';
  keywords?: string;
  categories?: string;
  rendition?: string;
  /** download: buffer or stream */
  downloadAs?: 'buffer' | 'stream';
  /** update: typedInput values (type in the *Type field); empty ones change nothing. */
  title?: string;
  titleType?: string;
  description?: string;
  descriptionType?: string;
  altText?: string;
  altTextType?: string;
  newFilename?: string;
  newFilenameType?: string;
  /** update: attributes by name, each value a typedInput. */
  attributes?: Array<{ name: string; value: string; type?: string }>;
}

const DIALOG_FIELDS = [
  ['title', 'title'],
  ['description', 'description'],
  ['altText', 'altText'],
  ['newFilename', 'filename'],
] as const;

/** What the dialog says to change, each typedInput read for this message; msg.payload's fields win over it. */
async function changesFor(RED: RED, node: Node, config: AssetConfig, msg: NodeMessage): Promise<AssetChanges> {
  const value = (raw: unknown, type: string | undefined) =>
    new Promise<string | undefined>((resolve, reject) => {
      if (raw === undefined || raw === null || raw === '') return resolve(undefined);
      RED.util.evaluateNodeProperty(raw, type || 'str', node, msg, (err, result) => (err ? reject(err) : resolve(result === undefined || result === null || result === '' ? undefined : String(result))));
    });
  const changes: AssetChanges = {};
  for (const [setting, field] of DIALOG_FIELDS) {
    const v = await value(config[setting], config[`${setting}Type`]);
    if (v !== undefined) changes[field] = v;
  }
  const attributes: Record<string, string> = {};
  for (const row of config.attributes ?? []) {
    const v = row?.name ? await value(row.value, row.type) : undefined;
    if (v !== undefined) attributes[row.name] = v;
  }
  const fromMsg = (msg.payload && typeof msg.payload === 'object' && !Buffer.isBuffer(msg.payload) && !Array.isArray(msg.payload) ? msg.payload : {}) as AssetChanges;
  for (const key of ['title', 'description', 'altText', 'filename'] as const) if (fromMsg[key] !== undefined && fromMsg[key] !== null) changes[key] = String(fromMsg[key]);
  Object.assign(attributes, fromMsg.attributes && typeof fromMsg.attributes === 'object' ? fromMsg.attributes : {});
  if (Object.keys(attributes).length) changes.attributes = attributes;
  return changes;
}

module.exports = function register(RED: RED) {
  function MediaValetAssetNode(this: Node, config: AssetConfig) {
    RED.nodes.createNode(this, config);
    onInput(RED, this, config.account, async (client, msg, send) => {
      const operation = (config.operation && config.operation !== 'msg' ? config.operation : msg.operation) as Operation | undefined;
      if (!operation || !OPERATIONS.includes(operation)) throw new Error(`Unknown operation "${String(operation)}": use one of ${OPERATIONS.join(', ')}.`);
      const id = () => required(pick<string>(config.assetId, msg.assetId), 'The asset id', 'assetId');
      const signal = abortSignal(msg);
      const reply = (payload: unknown, extra: NodeMessage = {}) => send({ ...msg, ...extra, payload });
      switch (operation) {
        case 'get':
          reply(await getAssetById(client, id(), signal));
          return 'done';
        case 'search': {
          const options = (msg.search && typeof msg.search === 'object' ? msg.search : {}) as Record<string, unknown>;
          const sort = pick<string>(config.sort, options.sort) ?? 'record.createdAt D';
          const search = {
            query: pick<string>(config.query, options.query ?? (typeof msg.payload === 'string' ? msg.payload : undefined)),
            filters: pick<string>(config.filters, options.filters),
            categoryId: pick<string>(config.categoryId, options.categoryId),
            includeSubcategories: config.includeSubcategories !== false,
            sort: sort === 'relevance' ? undefined : sort,
          };
          // Sorted by date, the read continues by date past MediaValet's offset ceiling, and one
          // message per page or per asset holds a single page in memory, whatever the result size.
          const pages = searchPages(client, search, { limit: limitOf(pick(config.limit, options.limit)), cursor: pick<string>(options.cursor, undefined), signal });
          const count = await sendRecords(pages, outputMode(config.searchOutput), msg, send);
          return `${count} asset(s)`;
        }
        case 'update': {
          reply(await updateAsset(client, id(), await changesFor(RED, this, config, msg)));
          return 'updated';
        }
        case 'addKeywords':
        case 'removeKeywords': {
          const keywords = listOf(pick(config.keywords, msg.keywords ?? msg.payload));
          const result = operation === 'addKeywords' ? await addKeywords(client, id(), keywords) : await removeKeywords(client, id(), keywords);
          reply(result);
          return `${result.length} keyword(s)`;
        }
        case 'addCategories':
        case 'removeCategories': {
          const categories = listOf(pick(config.categories, msg.categories ?? msg.payload));
          reply(operation === 'addCategories' ? await addCategories(client, id(), categories) : await removeCategories(client, id(), categories));
          return 'done';
        }
        case 'renditions':
          reply(await listRenditions(client, id()));
          return 'done';
        case 'history':
          reply(await assetHistory(client, id(), Number(pick(config.limit, msg.limit) ?? 100)));
          return 'done';
        case 'directLink': {
          const { link, created } = await getOrCreateDirectLink(client, id());
          reply(link, { created });
          return created ? 'link created' : 'link found';
        }
        case 'download': {
          const result = await downloadAsset(client, id(), { rendition: pick<string>(config.rendition, msg.rendition) ?? 'original', signal });
          const extra = { filename: result.filename, contentType: result.contentType, asset: result.asset };
          if (config.downloadAs === 'stream') {
            reply(result.stream, extra);
          } else {
            const chunks: Buffer[] = [];
            for await (const chunk of result.stream) chunks.push(chunk as Buffer);
            reply(Buffer.concat(chunks), extra);
          }
          return result.filename;
        }
      }
    });
  }
  RED.nodes.registerType('mediavalet-asset', MediaValetAssetNode as unknown as (this: Node, config: unknown) => void);
};
