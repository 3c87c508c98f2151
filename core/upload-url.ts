// Upload From URL: the source file's body is streamed straight into core's block upload,
// so memory stays flat whatever the file size. The source is fetched through the host's
// own transport (n8n's request helper, Node-RED's axios), never with MediaValet credentials.
import type { MediaValetClient } from './client';
import { drain } from './client';
import { uploadWithMetadata } from './assets';
import { DEFAULT_TIMEOUT_SECONDS } from './config';
import { isMediaValetError, NetworkError, TransferError } from './errors';
import type { Sleep } from './retry';
import { hostOf, type HttpTransport, type Readable } from './transport';
import { checkedUpload, type UploadInput, type UploadOptions, type UploadResult } from './upload';
import { checkText, checkUrl } from './inputs';
import { safeFileName } from './safe-name';

export interface UrlSource {
  stream: Readable;
  filename: string;
  contentType?: string;
}

const MAX_REDIRECTS = 5;

/** The file name a download names itself: Content-Disposition first, then the URL's last path segment. */
export function fileNameFrom(url: string, headers: Record<string, string>): string {
  const disposition = headers['content-disposition'] ?? '';
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)?''([^;]+)/.exec(disposition)?.[1];
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)?.[1];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  // The source server names the file: a path in it ("../../x") must not become one here.
  if (star) return safeFileName(decode(star.trim()), 'file');
  if (plain) return safeFileName(plain.trim(), 'file');
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    if (last) return safeFileName(decode(last), 'file');
  } catch {
    // not a URL: the caller checked it already
  }
  return 'file';
}

function badUrl(message: string, hint: string, status?: number): TransferError {
  return new TransferError(message, { code: 'upload_failed', kind: 'request', field: 'url', status, hint });
}

/** Opens the URL for reading, following redirects; fails with what the server answered. */
export async function openUrl(transport: HttpTransport, url: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<UrlSource> {
  let current = url.trim();
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      throw badUrl(`The File URL "${current.slice(0, 200)}" is not a URL.`, 'Give a full http:// or https:// address.');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badUrl(`The File URL must start with http:// or https:// (it starts with ${parsed.protocol}).`, 'Give a web address of the file.');
    let response: Awaited<ReturnType<HttpTransport['request']>>;
    try {
      response = await transport.request({ method: 'GET', url: current, headers: {}, responseType: 'stream', timeoutMs: options.timeoutMs, signal: options.signal });
    } catch (error) {
      if (isMediaValetError(error) && error.code === 'aborted') throw error;
      // The host transport's hint speaks of the MediaValet credential: the File URL is to blame here.
      const code = isMediaValetError(error) ? error.code : 'network_error';
      throw new NetworkError(`Downloading the File URL failed: ${hostOf(current)} could not be reached${code === 'timeout' ? ' in time' : ''}.`, {
        code: code === 'timeout' ? 'timeout' : 'network_error',
        kind: 'transient',
        field: 'url',
        hint: 'Check the File URL: the link must work from this machine without signing in.',
        cause: error,
      });
    }
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location) {
      await drain(response.body).catch(() => undefined);
      current = new URL(location, current).toString();
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      await drain(response.body).catch(() => undefined);
      // Host only: source links often carry signatures in their query strings.
      throw badUrl(`Downloading the File URL failed: ${hostOf(current)} answered HTTP ${response.status}.`, 'Check that the link works in a browser without signing in, and that it has not expired.', response.status);
    }
    const contentType = response.headers['content-type']?.split(';')[0].trim() || undefined;
    return { stream: response.body as Readable, filename: fileNameFrom(current, response.headers), contentType };
  }
  throw badUrl(`The File URL redirects more than ${MAX_REDIRECTS} times.`, 'Give the final address of the file.');
}

/**
 * Fails the source when it sends nothing for `ms` while the upload waits for it, and returns
 * the function that ends the watch. Transports time out waiting for headers, not a body that
 * stalls half way; time spent while the upload itself is busy (backpressure) does not count.
 * The watch wakes a few times per timeout on the host's timer (core has none of its own),
 * and the source's own iterator is wrapped so the upload reads through the watch.
 */
function watchIdle(stream: Readable, ms: number, url: string, sleep: Sleep): () => void {
  const inner = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let waitingSince: number | undefined;
  const wrapped: AsyncIterableIterator<Buffer> = {
    async next() {
      waitingSince = Date.now();
      try {
        return await inner.next();
      } finally {
        waitingSince = undefined;
      }
    },
    return: (value?: unknown) => inner.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]() {
      return wrapped;
    },
  };
  Object.defineProperty(stream, Symbol.asyncIterator, { value: () => wrapped, configurable: true });
  const done = new AbortController();
  const every = Math.max(50, Math.min(5_000, Math.floor(ms / 4)));
  void (async () => {
    while (!done.signal.aborted) {
      try {
        await sleep(every, done.signal);
      } catch {
        return;
      }
      if (waitingSince !== undefined && Date.now() - waitingSince >= ms) {
        stream.destroy(new NetworkError(`${hostOf(url)} sent nothing for ${Math.round(ms / 1000)} s while the File URL was downloading.`, { code: 'timeout', kind: 'transient', field: 'url', hint: 'The source server stalled; try again, or check the link.' }));
        return;
      }
    }
  })();
  return () => done.abort();
}

export type UrlUploadInput = Omit<UploadInput, 'data' | 'filename' | 'attributes'> & {
  url: string;
  /** Overrides the name the download gives itself. */
  filename?: string;
  /** Attribute name or id → value. */
  attributes?: Record<string, string>;
};

/** Downloads the URL into a new asset (or a new version) with the same metadata as a file upload. */
export async function uploadFromUrl(
  client: MediaValetClient,
  transport: HttpTransport,
  input: UrlUploadInput,
  options?: UploadOptions & { timeoutMs?: number },
): Promise<UploadResult & { asset?: Record<string, unknown>; sourceUrl: string }> {
  // Every field checked before the source is fetched: nothing is read for an upload that cannot start.
  const url = checkUrl(input.url, 'File URL');
  const { filename, contentType, ...rest } = checkedUpload({ ...input, url: undefined });
  // A source that stops sending fails after this long instead of holding the upload open.
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  const source = await openUrl(transport, url, { signal: input.signal, timeoutMs });
  const stopWatch = watchIdle(source.stream, timeoutMs, url, client.sleep);
  try {
    const result = await uploadWithMetadata(client, { ...rest, data: source.stream, filename: filename || source.filename, contentType: contentType || checkText(source.contentType, 'Content type', { max: 200, singleLine: true }) }, options);
    return { ...result, sourceUrl: `${new URL(url).origin}${new URL(url).pathname}` };
  } finally {
    stopWatch();
    if (!source.stream.destroyed) source.stream.destroy();
  }
}
