import { getOrCreateDirectLink } from '../../../../core';
import { assetId, assetIdOf } from '../fields';
import type { Operation } from '../types';

export const getDirectLink: Operation = {
  properties: [
    ...assetId,
    {
      displayName: 'MediaValet creates a new link for every request, so this returns the asset\'s existing direct link when it has one',
      name: 'notice',
      type: 'notice',
      default: '',
    },
  ],
  async execute({ ctx, client, index }) {
    const { link, created } = await getOrCreateDirectLink(client, assetIdOf(ctx, index));
    return { ...link, created };
  },
};
