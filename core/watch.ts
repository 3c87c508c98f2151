// Polling for new and updated assets, shared by n8n's trigger and Node-RED's watch node.
// The position (a timestamp plus the ids already emitted at exactly that instant) lets
// a poller resume after a restart and never emit an asset twice for the same change,
// even when several changes share a timestamp or a poll stops at its limit.
import type { MediaValetClient } from './client';
import { dateFilter, searchRequest } from './assets';
import { member } from './envelope';
import { assetField } from './asset-fields';

export type WatchEvent = 'new' | 'updated' | 'both';

export interface WatchPosition {
  /** ISO time of the newest change already emitted. */
  since: string;
  /** Ids emitted whose change time equals `since`. */
  seen: string[];
}

export interface WatchOptions {
  event: WatchEvent;
  categoryId?: string;
  includeSubcategories?: boolean;
  /** Most assets one poll emits (default 500); the rest come next poll. */
  limit?: number;
  signal?: AbortSignal;
}

export interface WatchedAsset {
  event: 'new' | 'updated';
  asset: Record<string, unknown>;
}

function times(asset: unknown): { created: string; modified: string } {
  const created = String(assetField(asset, 'uploadedAt') ?? '');
  const modified = String(assetField(asset, 'modifiedAt') ?? created);
  return { created, modified };
}

/** What a change to an asset was, judged from the asset alone: changed after its upload means updated. */
export function changeOf(asset: unknown): 'new' | 'updated' {
  const { created, modified } = times(asset);
  return modified > created ? 'updated' : 'new';
}

/** Where a new poller starts: now, so it reports what happens from here on. */
export function startPosition(now = new Date()): WatchPosition {
  return { since: now.toISOString(), seen: [] };
}

export async function pollAssets(client: MediaValetClient, position: WatchPosition, options: WatchOptions): Promise<{ assets: WatchedAsset[]; position: WatchPosition }> {
  const newOnly = options.event === 'new';
  const field = newOnly ? 'DateUploaded' : 'DateModified';
  const request = searchRequest({
    filters: dateFilter(field, 'GE', new Date(position.since)),
    sort: newOnly ? 'record.createdAt A' : 'record.modifiedAt A',
    categoryId: options.categoryId,
    includeSubcategories: options.includeSubcategories ?? true,
  });
  request.signal = options.signal;
  const limit = options.limit ?? 500;
  const seen = new Set(position.seen);
  const out: WatchedAsset[] = [];
  let since = position.since;
  let atSince = new Set(position.seen);
  for await (const asset of client.paginate<Record<string, unknown>>(request)) {
    const id = String(member(asset, 'id'));
    const { created, modified } = times(asset);
    const at = newOnly ? created : modified;
    if (at < position.since || (at === position.since && seen.has(id))) continue;
    // New when its upload has not been reported yet; otherwise this is a later change.
    const event = created > position.since || (created === position.since && !seen.has(id)) ? 'new' : 'updated';
    if (options.event === 'updated' && event === 'new') {
      // Not reported, but remembered, so a poller watching updates skips it next time too.
    } else {
      out.push({ event, asset });
    }
    if (at > since) {
      since = at;
      atSince = new Set();
    }
    atSince.add(id);
    if (out.length >= limit) break;
  }
  return { assets: out, position: { since, seen: [...atSince] } };
}
