import { assetId } from '../fields';
import type { Operation } from '../types';
import { binaryField, uploadFromItem } from './upload';

export const uploadVersion: Operation = {
  properties: [{ ...assetId, description: 'The asset that gets the file as its new version' }, binaryField],
  async execute({ ctx, client, index }) {
    return uploadFromItem(ctx, client, index, { assetId: ctx.getNodeParameter('assetId', index) as string });
  },
};
