import { deleteAsset } from '../../../../core';
import { assetId } from '../fields';
import type { Operation } from '../types';

export const deleteOperation: Operation = {
  properties: [assetId],
  async execute({ ctx, client, index }) {
    const id = ctx.getNodeParameter('assetId', index) as string;
    await deleteAsset(client, id);
    return { id, deleted: true };
  },
};
