// MediaValet's upload flow (official sample): create an upload, send the bytes to the
// Azure SAS URL it returns, describe the file, attach categories, keywords and
// attributes, then finalise. The asset appears only after finalising, so a failure at
// any step leaves no half-made asset behind.
import { createHash } from 'node:crypto';
import type { Readable } from './transport';
import type { MediaValetClient } from './client';
import { drain } from './client';
import { member } from './envelope';
import { isMediaValetError, MediaValetError, quote, TransferError } from './errors';
import { checkAttributes, checkId, checkIds, checkText, checkTextList, TEXT_LIMITS } from './inputs';

export interface UploadOptions {
  /** Bytes per Azure block (default 8 MiB). */
  blockSize?: number;
  /** Files up to this size go in one PUT (default 16 MiB). */
  singlePutThreshold?: number;
  /** Blocks in flight at once (default 4). A stream costs blockSize × parallelism, in buffers reused block after block. */
  parallelism?: number;
}

export interface UploadInput {
  data: Buffer | Readable;
  filename: string;
  contentType?: string;
  title?: string;
  description?: string;
  categories?: string[];
  keywords?: string[];
  /** Attribute id → value. */
  attributes?: Record<string, string>;
  /** Upload a new version of this asset instead of a new asset. */
  assetId?: string;
  signal?: AbortSignal;
  onProgress?: (bytesSent: number) => void;
}

export interface UploadResult {
  /** The asset's id (new assets take the upload's id). */
  id: string;
  uploadId: string;
  filename: string;
  sizeInBytes: number;
  /** How the bytes went: one PUT, or Azure blocks. */
  method: 'single' | 'blocks';
  blocks: number;
  sha256: string;
  /** What MediaValet warned about on the way ("field: message"); the upload still succeeded. */
  warnings: string[];
}

export const DEFAULT_UPLOAD: Required<UploadOptions> = { blockSize: 8 * 1024 * 1024, singlePutThreshold: 16 * 1024 * 1024, parallelism: 4 };
const AZURE_VERSION = '2021-08-06';
const MAX_BLOCKS = 50_000;

export async function uploadAsset(client: MediaValetClient, input: UploadInput, options: UploadOptions = {}): Promise<UploadResult> {
  const settings = { ...DEFAULT_UPLOAD, ...options };
  if (!input.filename) throw new TransferError('The upload has no file name.', { code: 'upload_failed', kind: 'request', field: 'filename', hint: 'Set the file name, e.g. from the binary data.' });
  input = checkedUpload(input);
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw uploadError(input.filename, name, error);
    }
  };
  const signal = input.signal;
  const warnings: string[] = [];
  const call = async (request: Parameters<MediaValetClient['request']>[0]) => {
    const response = await client.request<unknown>(request);
    warnings.push(...response.warningMessages);
    return response;
  };

  // 200 or 201 (the official sample, a derived OpenAPI): any 2xx is success.
  const created = await step('creating the upload', () =>
    call({
      method: 'POST',
      path: input.assetId ? `/assets/${encodeURIComponent(input.assetId)}/uploads` : '/uploads',
      body: { filename: input.filename },
      signal,
    }),
  );
  const uploadId = String(member(created.payload, 'id') ?? '');
  const uploadUrl = member(created.payload, 'uploadUrl');
  // The sample names it UploadFilename, the OpenAPI uploadFileName: member() ignores case. The
  // sample sends this name back in step 3, not the local one; servers may insist on it.
  const serverFilename = member(created.payload, 'uploadFileName');
  const storedName = typeof serverFilename === 'string' && serverFilename ? serverFilename : input.filename;
  if (!uploadId || typeof uploadUrl !== 'string') {
    throw new TransferError(`Upload of ${quote(input.filename)} failed: MediaValet did not return an upload id and URL.`, { code: 'upload_failed', kind: 'transient' });
  }

  const sent = await step('sending the file to storage', () => sendBytes(client, uploadUrl, input, settings));
  const path = `/uploads/${encodeURIComponent(uploadId)}`;
  await step('saving the title and description', () =>
    call({
      method: 'PUT',
      path,
      body: { filename: storedName, title: input.title ?? input.filename, description: input.description ?? '', fileSizeInBytes: sent.size },
      signal,
    }),
  );
  const extras: Array<[string, unknown]> = [
    ['categories', input.categories?.length ? input.categories : undefined],
    ['keywords', input.keywords?.length ? input.keywords : undefined],
    ['attributes', input.attributes && Object.keys(input.attributes).length ? Object.entries(input.attributes).map(([id, value]) => ({ id, value })) : undefined],
  ];
  for (const [kind, body] of extras) {
    if (body !== undefined) await step(`adding ${kind}`, () => call({ method: 'POST', path: `${path}/${kind}`, body, signal }));
  }
  await step('finalising', () => call({ method: 'PATCH', path, body: [{ op: 'replace', path: '/status', value: 1 }], signal }));
  return {
    id: input.assetId ?? uploadId,
    uploadId,
    filename: input.filename,
    sizeInBytes: sent.size,
    method: sent.blocks ? 'blocks' : 'single',
    blocks: sent.blocks,
    sha256: sent.sha256,
    warnings,
  };
}

interface Sent {
  size: number;
  blocks: number;
  sha256: string;
}

async function sendBytes(client: MediaValetClient, uploadUrl: string, input: UploadInput, settings: Required<UploadOptions>): Promise<Sent> {
  const hash = createHash('sha256');
  const contentType = input.contentType || 'application/octet-stream';
  if (Buffer.isBuffer(input.data)) {
    hash.update(input.data);
    const digest = hash.digest('hex');
    if (input.data.length <= settings.singlePutThreshold) {
      await putBlob(client, uploadUrl, input.data, contentType, input.signal);
      input.onProgress?.(input.data.length);
      return { size: input.data.length, blocks: 0, sha256: digest };
    }
    const data = input.data;
    async function* slices() {
      for (let i = 0; i < data.length; i += settings.blockSize) yield data.subarray(i, i + settings.blockSize);
    }
    const blocks = await putBlocks(client, uploadUrl, slices(), contentType, settings, input);
    return { size: data.length, blocks, sha256: digest };
  }

  // A stream: read up to the threshold to learn whether one PUT will do.
  const stream = input.data;
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let headSize = 0;
  let ended = false;
  while (headSize <= settings.singlePutThreshold) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    headSize += chunk.length;
  }
  if (ended) {
    const body = Buffer.concat(head, headSize);
    hash.update(body);
    await putBlob(client, uploadUrl, body, contentType, input.signal);
    input.onProgress?.(headSize);
    return { size: headSize, blocks: 0, sha256: hash.digest('hex') };
  }

  let size = 0;
  // Blocks are copied into `parallelism` buffers, each reused once its PUT is over. Slicing a
  // fresh buffer per block left a block's worth of garbage behind every time, outside the JS
  // heap, where V8 collects it late: a 1 GiB upload peaked at 5 times the 32 MiB in flight.
  const pool = new BlockPool(settings.blockSize, settings.parallelism);
  async function* blocksOf(): AsyncGenerator<Buffer> {
    let block: Buffer | undefined;
    let filled = 0;
    const emit = () => {
      const out = filled === block!.length ? block! : block!.subarray(0, filled);
      hash.update(out);
      size += out.length;
      block = undefined;
      filled = 0;
      return out;
    };
    const chunks = async function* () {
      while (head.length) yield head.shift()!;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      }
    };
    try {
      for await (const chunk of chunks()) {
        for (let at = 0; at < chunk.length; ) {
          block ??= await pool.take();
          const n = chunk.copy(block, filled, at);
          at += n;
          filled += n;
          if (filled === block.length) yield emit();
        }
      }
      if (filled > 0) yield emit();
    } finally {
      // Stop the source when the upload fails part way.
      if (!stream.readableEnded) stream.destroy();
    }
  }
  const blocks = await putBlocks(client, uploadUrl, blocksOf(), contentType, settings, input, pool);
  return { size, blocks, sha256: hash.digest('hex') };
}

/**
 * At most `count` block-sized buffers, each handed back after its PUT. take() waits for one
 * when all are in flight; putBlocks never waits on more than `parallelism` PUTs, so one is
 * always on its way back.
 */
class BlockPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: Array<(block: Buffer) => void> = [];
  private made = 0;
  constructor(
    private readonly blockSize: number,
    private readonly count: number,
  ) {}

  async take(): Promise<Buffer> {
    const block = this.free.pop();
    if (block) return block;
    if (this.made < this.count) {
      this.made++;
      return Buffer.allocUnsafeSlow(this.blockSize);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(block: Buffer): void {
    const whole = Buffer.from(block.buffer, 0, this.blockSize);
    const next = this.waiting.shift();
    if (next) next(whole);
    else this.free.push(whole);
  }
}

/** Azure block upload with at most `parallelism` blocks in flight, then the block list. */
async function putBlocks(
  client: MediaValetClient,
  uploadUrl: string,
  source: AsyncGenerator<Buffer>,
  contentType: string,
  settings: Required<UploadOptions>,
  input: UploadInput,
  pool?: BlockPool,
): Promise<number> {
  const ids: string[] = [];
  const inflight = new Set<Promise<void>>();
  let failure: unknown;
  let sent = 0;
  for await (const block of source) {
    if (ids.length >= MAX_BLOCKS) throw new TransferError(`The file needs more than ${MAX_BLOCKS} blocks.`, { code: 'upload_failed', kind: 'request', hint: 'Raise the block size.' });
    const id = Buffer.from(`block-${String(ids.length).padStart(8, '0')}`).toString('base64');
    ids.push(id);
    const task = putBlock(client, uploadUrl, id, block, input.signal, ids.length).then(
      () => {
        sent += block.length;
        input.onProgress?.(sent);
      },
      (error) => {
        failure ??= error;
      },
    ).finally(() => pool?.give(block));
    const tracked = task.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
    if (inflight.size >= settings.parallelism) await Promise.race(inflight);
    if (failure) break;
  }
  await Promise.all(inflight);
  if (failure) throw failure;
  const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`;
  const response = await client.storageRequest(
    {
      method: 'PUT',
      url: withQuery(uploadUrl, 'comp=blocklist'),
      headers: { 'x-ms-version': AZURE_VERSION, 'content-type': 'application/xml', 'x-ms-blob-content-type': contentType },
      body: xml,
      responseType: 'buffer',
      signal: input.signal,
    },
    'Committing the block list',
  );
  await expectCreated(response, 'committing the block list');
  return ids.length;
}

async function putBlock(client: MediaValetClient, uploadUrl: string, id: string, block: Buffer, signal: AbortSignal | undefined, number: number): Promise<void> {
  const response = await client.storageRequest(
    {
      method: 'PUT',
      url: withQuery(uploadUrl, `comp=block&blockid=${encodeURIComponent(id)}`),
      headers: { 'x-ms-version': AZURE_VERSION, 'content-type': 'application/octet-stream' },
      body: block,
      responseType: 'buffer',
      signal,
    },
    `Sending block ${number}`,
  );
  await expectCreated(response, `sending block ${number}`);
}

async function putBlob(client: MediaValetClient, uploadUrl: string, body: Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
  const response = await client.storageRequest(
    {
      method: 'PUT',
      url: uploadUrl,
      headers: { 'x-ms-version': AZURE_VERSION, 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType },
      body,
      responseType: 'buffer',
      signal,
    },
    'Sending the file',
  );
  await expectCreated(response, 'sending the file');
}

async function expectCreated(response: { status: number; body: Buffer | Readable }, what: string): Promise<void> {
  if (response.status === 201 || response.status === 200) return;
  const { code, message } = azureError((await drain(response.body)).toString('utf8'));
  throw new TransferError(`Storage answered ${response.status} while ${what}${code ? ` (${code}${message ? `: ${message}` : ''})` : ''}.`, {
    code: 'upload_failed',
    kind: response.status >= 500 || response.status === 429 ? 'transient' : 'terminal',
    status: response.status,
    serverMessage: message,
    hint: code === 'AuthenticationFailed' ? 'The upload URL expired; start the upload again.' : 'Start the upload again.',
  });
}

function withQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** Everything an upload sends, checked before the first request (the bytes aside). */
export function checkedUpload<T extends Partial<UploadInput>>(input: T): T {
  return {
    ...input,
    filename: checkText(input.filename, 'File name', { max: TEXT_LIMITS.fileName, singleLine: true }) ?? (input.filename === undefined ? undefined : ''),
    contentType: checkText(input.contentType, 'Content type', { max: 200, singleLine: true }),
    title: checkText(input.title, 'Title', { singleLine: true }),
    description: checkText(input.description, 'Description', { max: TEXT_LIMITS.text }),
    categories: input.categories && checkIds(input.categories, 'Categories'),
    keywords: input.keywords && checkTextList(input.keywords, 'Keywords'),
    attributes: checkAttributes(input.attributes, 'Attributes'),
    assetId: input.assetId === undefined || input.assetId === '' ? undefined : checkId(input.assetId, 'Asset ID'),
  };
}

function uploadError(filename: string, step: string, error: unknown): MediaValetError {
  if (!isMediaValetError(error)) {
    return new TransferError(`Upload of ${quote(filename)} failed while ${step}: ${(error as Error)?.message ?? error}`, { code: 'upload_failed', kind: 'terminal', cause: error });
  }
  return new TransferError(`Upload of ${quote(filename)} failed while ${step}: ${error.message}`, {
    code: error.code === 'rejected_fields' ? error.code : 'upload_failed',
    kind: error.kind,
    status: error.status,
    serverMessage: error.serverMessage,
    hint: error.hint,
    field: error.field,
    rejectedFields: error.rejectedFields,
    cause: error,
  });
}


/** Azure Storage's error body: <Error><Code>…</Code><Message>…</Message></Error>. */
export function azureError(text: string): { code?: string; message?: string } {
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1]?.split('\n')[0] };
}
