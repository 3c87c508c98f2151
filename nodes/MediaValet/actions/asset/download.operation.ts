import type { IDataObject } from 'n8n-workflow';
import { downloadAsset } from '../../../../core';
import { assetId } from '../fields';
import { ItemWithBinary, type Operation } from '../types';

export const download: Operation = {
  properties: [
    assetId,
    {
      displayName: 'File',
      name: 'rendition',
      type: 'options',
      options: [
        { name: 'Large', value: 'large' },
        { name: 'Medium', value: 'medium' },
        { name: 'Original', value: 'original' },
        { name: 'Small', value: 'small' },
        { name: 'Thumbnail', value: 'thumb' },
      ],
      default: 'original',
    },
    {
      displayName: 'Put Output File in Field',
      name: 'binaryPropertyName',
      type: 'string',
      default: 'data',
      hint: 'The name of the output binary field to put the file in',
    },
  ],
  async execute({ ctx, client, index }) {
    const id = ctx.getNodeParameter('assetId', index) as string;
    const result = await downloadAsset(client, id, { rendition: ctx.getNodeParameter('rendition', index) as string, signal: ctx.getExecutionCancelSignal() });
    // A stream: n8n writes it to its binary store without holding the whole file in memory.
    const binary = await ctx.helpers.prepareBinaryData(result.stream, result.filename, result.contentType);
    return new ItemWithBinary({ json: result.asset as IDataObject, binary: { [ctx.getNodeParameter('binaryPropertyName', index) as string]: binary } });
  },
};
