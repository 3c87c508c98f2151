import { getAssetById } from '../../../../core';
import { assetId } from '../fields';
import type { Operation } from '../types';

export const get: Operation = {
  properties: [assetId],
  async execute({ ctx, client, index }) {
    return getAssetById(client, ctx.getNodeParameter('assetId', index) as string, ctx.getExecutionCancelSignal());
  },
};
