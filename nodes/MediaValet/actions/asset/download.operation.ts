import { downloadAsset } from '../../../../core';
import { assetId, assetIdOf, assetOutput, simplify } from '../fields';
import { ItemWithBinary, type Operation } from '../types';

export const download: Operation = {
  properties: [
    ...assetId,
    {
      displayName: 'Rendition',
      name: 'rendition',
      type: 'options',
      options: [
        { name: 'Large', value: 'large', description: 'A large preview MediaValet made from the original' },
        { name: 'Medium', value: 'medium', description: 'A medium-sized preview' },
        { name: 'Original', value: 'original', description: 'The file as it was uploaded (latest version)' },
        { name: 'Small', value: 'small', description: 'A small preview' },
        { name: 'Thumbnail', value: 'thumb', description: 'The smallest preview, as shown in MediaValet\'s grid' },
      ],
      default: 'original',
      description: 'Which file of the asset to download: the original or one of the previews MediaValet makes',
    },
    {
      displayName: 'Put Output File in Field',
      name: 'binaryPropertyName',
      type: 'string',
      default: 'data',
      hint: 'The name of the output binary field to put the file in',
    },
    simplify,
  ],
  async execute({ ctx, client, index }) {
    const id = assetIdOf(ctx, index);
    const result = await downloadAsset(client, id, { rendition: ctx.getNodeParameter('rendition', index) as string, signal: ctx.getExecutionCancelSignal() });
    // A stream: n8n writes it to its binary store without holding the whole file in memory.
    // result.filename is a safe base name (core's safeFileName); the record keeps the stored one.
    const binary = await ctx.helpers.prepareBinaryData(result.stream, result.filename, result.contentType);
    return new ItemWithBinary({ json: assetOutput(ctx, index, result.asset), binary: { [ctx.getNodeParameter('binaryPropertyName', index) as string]: binary } });
  },
};
