import { addKeywords, listFrom, removeKeywords } from '../../../../core';
import { assetId, assetIdOf } from '../fields';
import type { Operation } from '../types';

const keywordsField = {
  displayName: 'Keywords',
  name: 'keywords',
  type: 'string' as const,
  default: '',
  required: true,
  placeholder: 'e.g. summer, beach',
  description: 'Comma-separated keywords',
};

export const addKeywordsOperation: Operation = {
  properties: [...assetId, keywordsField],
  async execute({ ctx, client, index }) {
    const id = assetIdOf(ctx, index);
    return { id, keywords: await addKeywords(client, id, listFrom(ctx.getNodeParameter('keywords', index), 'Keywords')) };
  },
};

export const removeKeywordsOperation: Operation = {
  properties: [...assetId, { ...keywordsField, description: 'Comma-separated keywords to remove; ones the asset does not have are ignored' }],
  async execute({ ctx, client, index }) {
    const id = assetIdOf(ctx, index);
    return { id, keywords: await removeKeywords(client, id, listFrom(ctx.getNodeParameter('keywords', index), 'Keywords')) };
  },
};
