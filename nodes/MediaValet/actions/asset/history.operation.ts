import type { IDataObject } from 'n8n-workflow';
import { assetHistory } from '../../../../core';
import { assetId, assetIdOf, limitOf, returnAll } from '../fields';
import type { Operation } from '../types';

export const getHistory: Operation = {
  properties: [...assetId, ...returnAll('history entries')],
  async execute({ ctx, client, index }) {
    return (await assetHistory(client, assetIdOf(ctx, index), limitOf(ctx, index))) as IDataObject[];
  },
};
