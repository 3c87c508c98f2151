// Reads an input binary field as a stream when n8n keeps it on disk (filesystem or S3
// binary mode), so large files never sit in memory, and hands it to core's upload().
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { listOf, type MediaValetClient, type Readable, uploadWithMetadata } from '../../../../core';
import { attributeValues } from '../fields';

export const binaryField: INodeProperties = {
  displayName: 'Input Binary Field',
  name: 'binaryPropertyName',
  type: 'string',
  default: 'data',
  required: true,
  hint: 'The name of the input binary field holding the file',
};

export async function uploadFromItem(ctx: IExecuteFunctions, client: MediaValetClient, index: number, extra: { assetId?: string; metadata?: IDataObject }): Promise<IDataObject> {
  const property = ctx.getNodeParameter('binaryPropertyName', index) as string;
  const binary = ctx.helpers.assertBinaryData(index, property);
  const data: Buffer | Readable = binary.id ? await ctx.helpers.getBinaryStream(binary.id) : await ctx.helpers.getBinaryDataBuffer(index, property);
  const metadata = extra.metadata ?? {};
  const attributeRows = attributeValues((metadata.attributes as { attribute?: Array<{ name: string; value: string }> } | undefined)?.attribute);
  const result = await uploadWithMetadata(client, {
    data,
    filename: (metadata.fileName as string) || binary.fileName || 'file',
    contentType: binary.mimeType,
    title: (metadata.title as string) || undefined,
    description: (metadata.description as string) || undefined,
    keywords: listOf(metadata.keywords),
    categories: listOf(metadata.categoryIds),
    attributes: attributeRows,
    assetId: extra.assetId,
    signal: ctx.getExecutionCancelSignal(),
  });
  return result as unknown as IDataObject;
}
