import { assetId, assetIdOf, simplify } from '../fields';
import type { Operation } from '../types';
import { binaryField, uploadFromItem } from './upload';

export const uploadVersion: Operation = {
  properties: [...assetId.map((p) => ({ ...p, description: 'The asset that gets the file as its new version' })), binaryField, simplify],
  async execute({ ctx, client, index }) {
    return uploadFromItem(ctx, client, index, { assetId: assetIdOf(ctx, index) });
  },
};
