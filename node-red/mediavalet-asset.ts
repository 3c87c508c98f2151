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
  searchRequest,
  listOf,
  updateAsset,
  type AssetChanges,
} from '../core';
import { abortSignal, onInput, pick, required } from './adapter';
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
  sort?: string;
  limit?: string | number;
  /** search: one message with an array, or one message per asset */
  searchOutput?: 'array' | 'items';
  keywords?: string;
  categories?: string;
  rendition?: string;
  /** download: buffer or stream */
  downloadAs?: 'buffer' | 'stream';
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
          const limitValue = pick(config.limit, options.limit);
          const request = searchRequest(
            {
              query: pick<string>(config.query, options.query ?? (typeof msg.payload === 'string' ? msg.payload : undefined)),
              filters: pick<string>(config.filters, options.filters),
              categoryId: pick<string>(config.categoryId, options.categoryId),
              includeSubcategories: config.includeSubcategories !== false,
              sort: pick<string>(config.sort, options.sort) ?? 'record.createdAt D',
            },
            100,
            limitValue === undefined ? undefined : Number(limitValue),
          );
          request.signal = signal;
          let count = 0;
          if (config.searchOutput === 'items') {
            // One message per asset: memory holds a single page, whatever the result size.
            for await (const asset of client.paginate(request)) reply(asset, { index: count++ });
          } else {
            const assets: unknown[] = [];
            for await (const asset of client.paginate(request)) assets.push(asset);
            count = assets.length;
            reply(assets, { count });
          }
          return `${count} asset(s)`;
        }
        case 'update': {
          const changes = (msg.payload && typeof msg.payload === 'object' ? msg.payload : {}) as AssetChanges;
          reply(await updateAsset(client, id(), changes));
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
