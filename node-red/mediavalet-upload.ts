// mediavalet-upload: msg.payload (Buffer, stream or file path) or msg.url → a MediaValet
// asset, or a new version of one. Large files go up in Azure blocks with bounded memory.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { checkText, contentTypeOf, invalidInput, listFrom, quote, typeName, uploadFromUrl, uploadWithMetadata } from '../core';
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
      const given = checkText(pick(config.filename, msg.filename), 'File name (msg.filename)', { max: 4_096, singleLine: true });
      let filename = given ? given.split(/[\\/]/).pop() || undefined : undefined;
      if (msg.url !== undefined && msg.url !== null && typeof msg.url !== 'string') throw invalidInput('File URL (msg.url)', `must be a web address (text), not ${typeName(msg.url)}.`, 'Give a full http:// or https:// address.');
      if (msg.assetId !== undefined && msg.assetId !== null && msg.assetId !== '' && typeof msg.assetId !== 'string') {
        // A new version of this asset was meant: an object here must not quietly upload a new asset.
        throw invalidInput('Asset ID (msg.assetId)', `must be an ID (text), not ${typeName(msg.assetId)}.`, 'Give the id of the asset to add a version to, or remove msg.assetId to upload a new asset.');
      }
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
          throw invalidInput('msg.payload', `names the file ${quote(file)}, which cannot be read.`, 'Check the path and its permissions.');
        }
        data = fs.createReadStream(file);
        filename ??= path.basename(file);
      } else {
        throw invalidInput('msg.payload', `must be a Buffer, a readable stream, or the path of a file to upload, not ${typeName(msg.payload)}.`, 'Or set msg.url to upload from a link.');
      }
      if (!filename && !url) throw invalidInput('File name (msg.filename)', 'is missing.', 'Set it in the node or pass msg.filename.');
      let attributes: Record<string, string> = {};
      const rawAttributes = pick<string | Record<string, string>>(config.attributes, meta.attributes);
      if (rawAttributes) {
        try {
          attributes = typeof rawAttributes === 'string' ? JSON.parse(rawAttributes) : rawAttributes;
        } catch {
          throw invalidInput('Attributes (msg.mediavalet.attributes)', 'are not a JSON object.', 'Give an object of attribute name to value, e.g. {"Photographer": "Ana"}.');
        }
      }
      let sent = 0;
      const givenType = typeof msg.contentType === 'string' && msg.contentType ? msg.contentType : undefined;
      const input = {
        // A link's own Content-Type is used when none is given; a file is typed by its extension.
        contentType: givenType ?? (url || !filename ? undefined : contentTypeOf(filename)),
        title: pick<string>(config.title, meta.title ?? msg.title),
        description: pick<string>(config.description, meta.description ?? msg.description),
        categories: listFrom(pick(config.categories, meta.categories), 'Categories (msg.mediavalet.categories)'),
        keywords: listFrom(pick(config.keywords, meta.keywords), 'Keywords (msg.mediavalet.keywords)'),
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
