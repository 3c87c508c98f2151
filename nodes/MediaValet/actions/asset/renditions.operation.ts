import type { IDataObject } from 'n8n-workflow';
import { listRenditions } from '../../../../core';
import { assetId, assetIdOf } from '../fields';
import type { Operation } from '../types';

export const getRenditions: Operation = {
  properties: [...assetId],
  async execute({ ctx, client, index }) {
    return (await listRenditions(client, assetIdOf(ctx, index))) as IDataObject[];
  },
};
