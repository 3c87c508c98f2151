// Asset files live behind signed Azure URLs that expire (sasExpiry). A download reads
// the asset, streams the file, and reads the asset again once if the link has expired.
import type { Readable } from './transport';
import type { MediaValetClient } from './client';
import { drain } from './client';
import { member } from './envelope';
import { ApiError, TransferError } from './errors';
import { azureError } from './upload';
import { assetField, storedFileName } from './asset-fields';
import { safeFileName } from './safe-name';

/** MediaValet's media links; `original` prefers the download link. */
export type Rendition = 'original' | 'download' | 'large' | 'medium' | 'small' | 'thumb';

export interface DownloadResult {
  stream: Readable;
  filename: string;
  contentType: string;
  contentLength?: number;
  asset: Record<string, unknown>;
}

/** Seconds of life a signed link must have left to be used as is. */
const EXPIRY_MARGIN_MS = 30_000;

export async function getAsset(client: MediaValetClient, assetId: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const response = await client.request<Record<string, unknown>>({ method: 'GET', path: `/assets/${encodeURIComponent(assetId)}`, signal });
  return response.payload;
}

/** The signed link of a rendition; `original` prefers the download link. */
export function mediaUrl(asset: unknown, rendition: Rendition | string): string | undefined {
  const media = member(asset, 'media');
  const names = rendition === 'original' ? ['download', 'original'] : [rendition];
  for (const name of names) {
    const url = member(media, name);
    if (typeof url === 'string' && url) return url;
  }
  return undefined;
}

export function linkExpired(asset: unknown, url: string, now = Date.now()): boolean {
  let expiry = assetField(asset, 'linksExpireAt');
  if (typeof expiry !== 'string') {
    try {
      expiry = new URL(url).searchParams.get('se') ?? undefined;
    } catch {
      expiry = undefined;
    }
  }
  if (typeof expiry !== 'string') return false;
  const at = Date.parse(expiry);
  return !Number.isNaN(at) && at - EXPIRY_MARGIN_MS <= now;
}

/**
 * The name a host may use as a path for the asset's file: a safe base name (safeFileName),
 * the asset id when nothing of the stored name is left. The record keeps the stored name.
 */
export function assetFilename(asset: unknown, fallback: string): string {
  return safeFileName(storedFileName(asset), fallback);
}

export async function downloadAsset(
  client: MediaValetClient,
  assetId: string,
  options: { rendition?: Rendition | string; signal?: AbortSignal; now?: () => number } = {},
): Promise<DownloadResult> {
  const rendition = options.rendition ?? 'original';
  const now = options.now ?? Date.now;
  let asset = await getAsset(client, assetId, options.signal);
  for (let reread = false; ; reread = true) {
    const url = mediaUrl(asset, rendition);
    if (!url) {
      const media = member(asset, 'media');
      const available = media && typeof media === 'object' ? Object.keys(media).filter((k) => typeof (media as Record<string, unknown>)[k] === 'string') : [];
      throw new ApiError(`Asset ${assetId} has no "${rendition}" file${available.length ? `; it has: ${available.join(', ')}` : ''}.`, {
        code: 'not_found',
        kind: 'request',
        field: 'rendition',
        hint: 'Pick another rendition, or wait until MediaValet has finished processing the asset.',
      });
    }
    if (!reread && linkExpired(asset, url, now())) {
      asset = await getAsset(client, assetId, options.signal);
      continue;
    }
    const response = await client.storageRequest({ method: 'GET', url, headers: {}, responseType: 'stream', signal: options.signal }, `Downloading asset ${assetId}`);
    if (response.status === 200) {
      const length = Number(response.headers['content-length']);
      return {
        stream: response.body as Readable,
        filename: assetFilename(asset, assetId),
        contentType: response.headers['content-type'] || 'application/octet-stream',
        contentLength: Number.isFinite(length) ? length : undefined,
        asset,
      };
    }
    const text = (await drain(response.body)).toString('utf8');
    // Azure answers 403 AuthenticationFailed for an expired signature: a fresh read gives a fresh link.
    if (!reread && (response.status === 403 || response.status === 404)) {
      asset = await getAsset(client, assetId, options.signal);
      continue;
    }
    const { code } = azureError(text);
    throw new TransferError(`Download of asset ${assetId} failed: storage answered ${response.status}${code ? ` (${code})` : ''}.`, {
      code: 'download_failed',
      kind: response.status >= 500 ? 'transient' : 'terminal',
      status: response.status,
      hint: 'Try again; if it persists, the file may still be processing in MediaValet.',
    });
  }
}

/** Reads a whole download into memory (for small files and hosts that need a Buffer). */
export async function downloadToBuffer(client: MediaValetClient, assetId: string, options: Parameters<typeof downloadAsset>[2] = {}): Promise<DownloadResult & { data: Buffer }> {
  const result = await downloadAsset(client, assetId, options);
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return { ...result, data: Buffer.concat(chunks) };
}
