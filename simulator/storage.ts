// A stand-in for Azure Blob Storage behind MediaValet's signed (SAS) URLs: single-PUT
// uploads with x-ms-blob-type, staged blocks and block lists, signed downloads that
// expire, and durable direct links. Uploaded bytes go to files in a temporary folder
// so a 1 GiB upload does not sit in memory.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { readBody } from './http';
import type { Blob, Library } from './library';

export interface StorageCounters {
  singlePuts: number;
  blocks: number;
  blockLists: number;
  downloads: number;
  maxConcurrentBlocks: number;
  rejectedAuthHeaders: number;
}

export class Storage {
  readonly counters: StorageCounters = { singlePuts: 0, blocks: 0, blockLists: 0, downloads: 0, maxConcurrentBlocks: 0, rejectedAuthHeaders: 0 };
  private readonly secret = randomBytes(32);
  private readonly staged = new Map<string, Map<string, { file: string; size: number }>>();
  private concurrentBlocks = 0;
  baseUrl = '';

  constructor(
    private readonly library: Library,
    private readonly dir: string,
    private readonly settings: { sasTTLSeconds: number; uploadSasTTLSeconds: number },
  ) {}

  private signature(pathname: string, se: string, sp: string): string {
    return createHmac('sha256', this.secret).update(`${pathname}\n${se}\n${sp}`).digest('base64');
  }

  /** A SAS-style URL: `se` (expiry), `sp` (permissions), `sig` over both and the path. */
  sign(pathname: string, permissions: 'r' | 'cw', ttlSeconds = this.settings.sasTTLSeconds): { url: string; expiry: string } {
    const se = new Date(Date.now() + ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const query = new URLSearchParams({ sv: '2021-08-06', sr: 'b', sp: permissions, se, sig: this.signature(pathname, se, permissions) });
    return { url: `${this.baseUrl}${pathname}?${query}`, expiry: se };
  }

  blobUrl(blobName: string, fileName: string): { url: string; expiry: string } {
    return this.sign(`/blobs/${blobName}/${encodeURIComponent(fileName)}`, 'r');
  }

  uploadUrl(uploadId: string, fileName: string): string {
    return this.sign(`/uploads/${uploadId}/${encodeURIComponent(fileName)}`, 'cw', this.settings.uploadSasTTLSeconds).url;
  }

  directUrl(linkId: string, fileName: string): string {
    return `${this.baseUrl}/direct/${linkId}/${encodeURIComponent(fileName)}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.headers.authorization || req.headers['ocp-apim-subscription-key']) {
      // A SAS URL is its own credential; a client that sends MediaValet's secrets here leaks them to a third party.
      this.counters.rejectedAuthHeaders++;
      req.resume();
      return azureError(res, 400, 'InvalidAuthenticationInfo', 'Signed URLs must not carry an Authorization or subscription-key header.');
    }
    if (req.method === 'GET' && parts[0] === 'direct') {
      const link = [...this.library.directLinks.values()].flat().find((l) => l.id === parts[1]);
      const asset = link && this.library.assets.get(link.assetId);
      if (!asset) return azureError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
      return this.sendBlob(res, this.library.blobs.get(asset.blobs.original));
    }
    const se = url.searchParams.get('se') ?? '';
    const sp = url.searchParams.get('sp') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    if (!sig || sig !== this.signature(url.pathname, se, sp)) {
      req.resume();
      return azureError(res, 403, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.');
    }
    if (Date.parse(se) < Date.now()) {
      req.resume();
      return azureError(res, 403, 'AuthenticationFailed', 'Signature not valid in the specified time frame.');
    }
    if (req.method === 'GET' && parts[0] === 'blobs' && sp.includes('r')) {
      this.counters.downloads++;
      return this.sendBlob(res, this.library.blobs.get(`${parts[1]}/${parts[2]}`));
    }
    if (req.method === 'PUT' && parts[0] === 'uploads' && sp.includes('w')) return this.put(req, res, parts[1], url);
    req.resume();
    return azureError(res, 403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.');
  }

  private async put(req: IncomingMessage, res: ServerResponse, uploadId: string, url: URL): Promise<void> {
    const comp = url.searchParams.get('comp');
    const contentType = String(req.headers['x-ms-blob-content-type'] ?? req.headers['content-type'] ?? 'application/octet-stream');
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid');
      if (!blockId) return azureError(res, 400, 'MissingRequiredQueryParameter', 'blockid is required.');
      let staged = this.staged.get(uploadId);
      if (!staged) this.staged.set(uploadId, (staged = new Map()));
      const firstId = staged.keys().next().value as string | undefined;
      if (firstId !== undefined && firstId.length !== blockId.length) {
        req.resume();
        return azureError(res, 400, 'InvalidBlobOrBlock', 'All block ids of a blob must have the same length.');
      }
      this.concurrentBlocks++;
      this.counters.maxConcurrentBlocks = Math.max(this.counters.maxConcurrentBlocks, this.concurrentBlocks);
      try {
        const file = path.join(this.dir, `${uploadId}-${Buffer.from(blockId).toString('hex')}`);
        const { size } = await this.receive(req, file);
        staged.set(blockId, { file, size });
        this.counters.blocks++;
      } finally {
        this.concurrentBlocks--;
      }
      res.writeHead(201, { 'x-ms-request-server-encrypted': 'true' }).end();
      return;
    }
    if (comp === 'blocklist') {
      const xml = (await readBody(req)).toString('utf8');
      const ids = [...xml.matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\/(?:Latest|Uncommitted|Committed)>/g)].map((m) => m[1]);
      const staged = this.staged.get(uploadId);
      if (!ids.length || !staged || ids.some((id) => !staged.has(id))) return azureError(res, 400, 'InvalidBlockList', 'The specified block list is invalid.');
      const hash = createHash('sha256');
      let size = 0;
      for (const id of ids) {
        const block = staged.get(id)!;
        for await (const chunk of fs.createReadStream(block.file)) hash.update(chunk as Buffer);
        size += block.size;
      }
      this.library.blobs.set(`upload/${uploadId}`, { parts: ids.map((id) => staged.get(id)!.file), size, sha256: hash.digest('hex'), contentType });
      this.counters.blockLists++;
      res.writeHead(201).end();
      return;
    }
    if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
      req.resume();
      return azureError(res, 400, 'MissingRequiredHeader', 'An HTTP header that is mandatory for this request is not specified: x-ms-blob-type.');
    }
    const file = path.join(this.dir, `${uploadId}-single`);
    const { size, sha256 } = await this.receive(req, file);
    this.library.blobs.set(`upload/${uploadId}`, { parts: [file], size, sha256, contentType });
    this.counters.singlePuts++;
    res.writeHead(201).end();
  }

  private async receive(req: IncomingMessage, file: string): Promise<{ size: number; sha256: string }> {
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    await pipeline(req, tap, fs.createWriteStream(file));
    return { size, sha256: hash.digest('hex') };
  }

  private async sendBlob(res: ServerResponse, blob: Blob | undefined): Promise<void> {
    if (!blob) return azureError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
    res.writeHead(200, { 'content-type': blob.contentType, 'content-length': blob.size, 'x-ms-blob-type': 'BlockBlob' });
    for (const part of blob.parts) {
      if (Buffer.isBuffer(part)) {
        if (!res.write(part)) await new Promise((resolve) => res.once('drain', resolve));
      } else {
        for await (const chunk of fs.createReadStream(part)) if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
    }
    res.end();
  }

  /** For tests: what a committed upload holds. */
  describe(uploadId: string): { size: number; sha256: string; parts: number; contentType: string } | undefined {
    const blob = this.library.blobs.get(`upload/${uploadId}`);
    return blob && { size: blob.size, sha256: blob.sha256, parts: blob.parts.length, contentType: blob.contentType };
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function azureError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:sim\nTime:${new Date().toISOString()}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
