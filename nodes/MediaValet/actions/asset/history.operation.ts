import type { IDataObject } from 'n8n-workflow';
import { assetHistory } from '../../../../core';
import { assetId, limitOf, returnAll } from '../fields';
import type { Operation } from '../types';

export const getHistory: Operation = {
  properties: [assetId, ...returnAll('history entries')],
  async execute({ ctx, client, index }) {
    return (await assetHistory(client, ctx.getNodeParameter('assetId', index) as string, limitOf(ctx, index))) as IDataObject[];
  },
};
