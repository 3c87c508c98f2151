import type { IDataObject } from 'n8n-workflow';
import { listRenditions } from '../../../../core';
import { assetId } from '../fields';
import type { Operation } from '../types';

export const getRenditions: Operation = {
  properties: [assetId],
  async execute({ ctx, client, index }) {
    return (await listRenditions(client, ctx.getNodeParameter('assetId', index) as string)) as IDataObject[];
  },
};
