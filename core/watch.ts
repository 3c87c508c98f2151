// Polling for new and updated assets, shared by n8n's trigger and Node-RED's watch node.
// The position (a timestamp plus the ids already emitted at exactly that instant) lets
// a poller resume after a restart and never emit an asset twice for the same change,
// even when several changes share a timestamp or a poll stops at its limit.
import type { MediaValetClient } from './client';
import { assetTimes, searchPages } from './keyed-pages';
import { member } from './envelope';

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

/** What a change to an asset was, judged from the asset alone: changed after its upload means updated. */
export function changeOf(asset: unknown): 'new' | 'updated' {
  const { created, modified } = assetTimes(asset);
  return modified > created ? 'updated' : 'new';
}

/** Where a new poller starts: now, so it reports what happens from here on. */
export function startPosition(now = new Date()): WatchPosition {
  return { since: now.toISOString(), seen: [] };
}

export async function pollAssets(client: MediaValetClient, position: WatchPosition, options: WatchOptions): Promise<{ assets: WatchedAsset[]; position: WatchPosition }> {
  const newOnly = options.event === 'new';
  const limit = options.limit ?? 500;
  const seen = new Set(position.seen);
  const out: WatchedAsset[] = [];
  let since = position.since;
  let atSince = new Set(position.seen);
  // By key from the position, so a poll that finds more than the offset ceiling still reads on.
  const assets = searchPages<Record<string, unknown>>(
    client,
    { sort: newOnly ? 'record.createdAt A' : 'record.modifiedAt A', categoryId: options.categoryId, includeSubcategories: options.includeSubcategories ?? true },
    { from: { at: position.since, seen: position.seen }, signal: options.signal },
  );
  reading: for await (const page of assets) for (const asset of page.items) {
    const id = String(member(asset, 'id'));
    const { created, modified } = assetTimes(asset);
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
    if (out.length >= limit) break reading;
  }
  return { assets: out, position: { since, seen: [...atSince] } };
}
