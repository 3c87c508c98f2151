import { deleteAsset } from '../../../../core';
import { assetId, assetIdOf } from '../fields';
import type { Operation } from '../types';

export const deleteOperation: Operation = {
  properties: [...assetId],
  async execute({ ctx, client, index }) {
    const id = assetIdOf(ctx, index);
    await deleteAsset(client, id);
    return { id, deleted: true };
  },
};
