// mediavalet-upload: msg.payload (Buffer, stream or file path) or msg.url → a MediaValet
// asset, or a new version of one. Large files go up in Azure blocks with bounded memory.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { contentTypeOf, listOf, uploadFromUrl, uploadWithMetadata } from '../core';
import { createAxiosTransport } from './axios-transport';
import { abortSignal, onInput, pick } from './adapter';
import type { Node, RED } from './red';

interface UploadConfig {
  account: string;
  filename?: string;
  title?: string;
  description?: string;
  categories?: string;
  keywords?: string;
  /** JSON object of attribute name → value */
  attributes?: string;
}

module.exports = function register(RED: RED) {
  function MediaValetUploadNode(this: Node, config: UploadConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    // Source files are fetched without MediaValet credentials, through their own transport.
    const sources = createAxiosTransport({ maxSockets: 4 });
    onInput(RED, node, config.account, async (client, msg, send) => {
      const meta = (msg.mediavalet && typeof msg.mediavalet === 'object' ? msg.mediavalet : {}) as Record<string, unknown>;
      let data: Buffer | Readable | undefined;
      // A file-in node puts the full server path in msg.filename: the asset gets its base name.
      const given = pick<string>(config.filename, msg.filename);
      let filename = given ? given.split(/[\\/]/).pop() || undefined : undefined;
      // Bytes in msg.payload win: an HTTP Request node before this one leaves its msg.url behind.
      const url = typeof msg.url === 'string' && msg.url.trim() && !(Buffer.isBuffer(msg.payload) || msg.payload instanceof Readable) ? msg.url.trim() : undefined;
      if (url) {
        // Streamed from the URL by core (below).
      } else if (Buffer.isBuffer(msg.payload) || msg.payload instanceof Readable) {
        data = msg.payload as Buffer | Readable;
      } else if (typeof msg.payload === 'string' && msg.payload.trim()) {
        const file = msg.payload.trim();
        try {
          await fs.promises.access(file, fs.constants.R_OK);
        } catch {
          throw new Error(`Cannot read the file "${file}" given in msg.payload: check the path and permissions.`);
        }
        data = fs.createReadStream(file);
        filename ??= path.basename(file);
      } else {
        throw new Error('msg.payload must be a Buffer, a readable stream, or the path of a file to upload (or set msg.url to upload from a link).');
      }
      if (!filename && !url) throw new Error('The file name is missing: set it in the node or pass msg.filename.');
      let attributes: Record<string, string> = {};
      const rawAttributes = pick<string | Record<string, string>>(config.attributes, meta.attributes);
      if (rawAttributes) {
        try {
          attributes = typeof rawAttributes === 'string' ? JSON.parse(rawAttributes) : rawAttributes;
        } catch {
          throw new Error('Attributes must be a JSON object of attribute name to value, e.g. {"Photographer": "Ana"}.');
        }
      }
      let sent = 0;
      const givenType = typeof msg.contentType === 'string' && msg.contentType ? msg.contentType : undefined;
      const input = {
        // A link's own Content-Type is used when none is given; a file is typed by its extension.
        contentType: givenType ?? (url || !filename ? undefined : contentTypeOf(filename)),
        title: pick<string>(config.title, meta.title ?? msg.title),
        description: pick<string>(config.description, meta.description ?? msg.description),
        categories: listOf(pick(config.categories, meta.categories)),
        keywords: listOf(pick(config.keywords, meta.keywords)),
        attributes,
        assetId: typeof msg.assetId === 'string' && msg.assetId ? msg.assetId : undefined,
        signal: abortSignal(msg),
        onProgress: (bytes: number) => {
          // Status at most every few MiB: status updates go to every open editor.
          if (bytes - sent >= 4 * 1024 * 1024) {
            sent = bytes;
            node.status({ fill: 'blue', shape: 'dot', text: `uploading… ${Math.round(bytes / 1024 / 1024)} MiB` });
          }
        },
      };
      const result = url ? await uploadFromUrl(client, sources, { ...input, url, filename }) : await uploadWithMetadata(client, { ...input, data: data!, filename: filename! });
      send({ ...msg, payload: result, assetId: result.id });
      return `uploaded ${result.filename}`;
    });
  }
  RED.nodes.registerType('mediavalet-upload', MediaValetUploadNode as unknown as (this: Node, config: unknown) => void);
};
