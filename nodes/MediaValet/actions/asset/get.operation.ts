import { getAssetById } from '../../../../core';
import { assetId, assetIdOf, assetOutput, simplify } from '../fields';
import type { Operation } from '../types';

export const get: Operation = {
  properties: [...assetId, simplify],
  async execute({ ctx, client, index }) {
    return assetOutput(ctx, index, await getAssetById(client, assetIdOf(ctx, index), ctx.getExecutionCancelSignal()));
  },
};
