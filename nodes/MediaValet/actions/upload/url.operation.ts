// Upload From URL: how an AI agent adds an asset (binary data cannot cross n8n's tool
// boundary) and how CMS and PIM syncs hand over files. The body streams into Azure blocks.
import type { IDataObject } from 'n8n-workflow';
import { uploadFromUrl } from '../../../../core';
import { simplify } from '../fields';
import { n8nTransport } from '../../transport/n8n-transport';
import type { Operation } from '../types';
import { metadataOf, withAssetOutput } from './upload';
import { uploadMetadata } from './file.operation';

export const uploadUrl: Operation = {
  properties: [
    {
      displayName: 'File URL',
      name: 'url',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'https://cms.example.com/media/summer.jpg',
      description: 'The address of the file to upload; it is downloaded and sent to MediaValet as it arrives, so any size works',
      hint: 'The link must work without signing in (a public or signed link). The file name comes from the download unless File Name is set.',
    },
    uploadMetadata,
    simplify,
  ],
  async execute({ ctx, client, index }) {
    const metadata = ctx.getNodeParameter('options', index, {}) as IDataObject;
    // n8n's own request helper: its proxy and SSRF settings apply; no MediaValet credentials go to the source.
    const source = n8nTransport((options) => ctx.helpers.httpRequest(options), false);
    const result = await uploadFromUrl(client, source, { url: ctx.getNodeParameter('url', index) as string, ...metadataOf(metadata), signal: ctx.getExecutionCancelSignal() });
    return withAssetOutput(ctx, index, result);
  },
};
