// Upload From URL: how an AI agent adds an asset (binary data cannot cross n8n's tool
// boundary) and how CMS and PIM syncs hand over files. The body streams into Azure blocks.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { type MediaValetClient, uploadFromUrl } from '../../../../core';
import { beforeV3, simplify, v3 } from '../fields';
import { n8nTransport } from '../../transport/n8n-transport';
import type { Operation } from '../types';
import { metadataOf, withAssetOutput } from './upload';
import { destination, destinationOf, uploadMetadata } from './file.operation';

export const fileUrl: INodeProperties = {
  displayName: 'File URL',
  name: 'url',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'https://cms.example.com/media/summer.jpg',
  description: 'The address of the file to upload; it is downloaded and sent to MediaValet as it arrives, so any size works',
  hint: 'The link must work without signing in (a public or signed link). The file name comes from the download unless File Name is set.',
};

/** Streams the URL's file into a new asset, or a new version of `assetId`. */
export async function fromUrl(ctx: IExecuteFunctions, client: MediaValetClient, index: number, input: { assetId?: string; metadata?: IDataObject }): Promise<IDataObject> {
  // n8n's own request helper: its proxy and SSRF settings apply; no MediaValet credentials go to the source.
  const source = n8nTransport((options) => ctx.helpers.httpRequest(options), false);
  const result = await uploadFromUrl(client, source, {
    url: ctx.getNodeParameter('url', index) as string,
    ...metadataOf(input.metadata ?? {}),
    assetId: input.assetId,
    signal: ctx.getExecutionCancelSignal(),
  });
  return withAssetOutput(ctx, index, result);
}

export const uploadUrl: Operation = {
  properties: [
    fileUrl,
    // Version 3 shows where the asset goes as main fields (Google Drive's way). Versions 1 and 2
    // keep them in Options: n8n drops a saved collection value its description no longer lists.
    ...destination.map((p) => ({ ...p, displayOptions: { show: v3 } })),
    { ...uploadMetadata, displayOptions: { show: beforeV3 } },
    { ...uploadMetadata, options: uploadMetadata.options!.filter((o) => !destination.some((d) => d.name === o.name)), displayOptions: { show: v3 } },
    simplify,
  ],
  async execute({ ctx, client, index }) {
    return fromUrl(ctx, client, index, { metadata: destinationOf(ctx, index) });
  },
};
