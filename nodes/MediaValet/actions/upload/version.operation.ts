import { assetId, assetIdOf, simplify } from '../fields';
import type { Operation } from '../types';
import { binaryField, uploadFromItem } from './upload';
import { fileUrl, fromUrl } from './url.operation';

const versionOf = assetId.map((p) => ({ ...p, description: 'The asset that gets the file as its new version' }));

export const uploadVersion: Operation = {
  properties: [...versionOf, binaryField, simplify],
  async execute({ ctx, client, index }) {
    return uploadFromItem(ctx, client, index, { assetId: assetIdOf(ctx, index) });
  },
};

/** The file streams from the link into Azure blocks, as Upload From URL does; the asset keeps its metadata. */
export const uploadVersionFromUrl: Operation = {
  properties: [...versionOf, fileUrl, simplify],
  async execute({ ctx, client, index }) {
    return fromUrl(ctx, client, index, { assetId: assetIdOf(ctx, index) });
  },
};
