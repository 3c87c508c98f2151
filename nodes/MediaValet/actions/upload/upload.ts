// Reads an input binary field as a stream when n8n keeps it on disk (filesystem or S3
// binary mode), so large files never sit in memory, and hands it to core's upload().
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { listFrom, type MediaValetClient, type Readable, uploadWithMetadata } from '../../../../core';
import { assetOutput, attributeValues } from '../fields';

export const binaryField: INodeProperties = {
  displayName: 'Input Binary Field',
  name: 'binaryPropertyName',
  type: 'string',
  default: 'data',
  required: true,
  hint: 'The name of the input binary field holding the file',
  description: 'The binary field of the incoming item that holds the file, e.g. from Read Binary File or HTTP Request',
};

/** The Options collection's values as core's upload metadata. */
export function metadataOf(metadata: IDataObject) {
  return {
    filename: (metadata.fileName as string) || undefined,
    title: (metadata.title as string) || undefined,
    description: (metadata.description as string) || undefined,
    keywords: listFrom(metadata.keywords, 'Keywords'),
    categories: listFrom(metadata.categoryIds, 'Category IDs'),
    attributes: attributeValues((metadata.attributes as { attribute?: Array<{ name: string; value: string }> } | undefined)?.attribute),
  };
}

/** The upload's result, its asset compact when Simplify is on. */
export function withAssetOutput(ctx: IExecuteFunctions, index: number, result: { asset?: Record<string, unknown> }): IDataObject {
  return { ...(result as IDataObject), ...(result.asset ? { asset: assetOutput(ctx, index, result.asset) } : {}) };
}

export async function uploadFromItem(ctx: IExecuteFunctions, client: MediaValetClient, index: number, extra: { assetId?: string; metadata?: IDataObject }): Promise<IDataObject> {
  const property = ctx.getNodeParameter('binaryPropertyName', index) as string;
  const binary = ctx.helpers.assertBinaryData(index, property);
  const data: Buffer | Readable = binary.id ? await ctx.helpers.getBinaryStream(binary.id) : await ctx.helpers.getBinaryDataBuffer(index, property);
  const { filename, ...metadata } = metadataOf(extra.metadata ?? {});
  const result = await uploadWithMetadata(client, {
    ...metadata,
    data,
    filename: filename || binary.fileName || 'file',
    contentType: binary.mimeType,
    assetId: extra.assetId,
    signal: ctx.getExecutionCancelSignal(),
  });
  return withAssetOutput(ctx, index, result);
}
