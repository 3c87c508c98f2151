import type { IDataObject } from 'n8n-workflow';
import { updateAsset } from '../../../../core';
import { assetId, assetIdOf, assetOutput, attributes, attributeValues, simplify } from '../fields';
import type { Operation } from '../types';

export const update: Operation = {
  properties: [
    ...assetId,
    {
      displayName: 'Update Fields',
      name: 'updateFields',
      type: 'collection',
      placeholder: 'Add Field',
      default: {},
      options: [
        { displayName: 'Title', name: 'title', type: 'string', default: '', description: 'The asset\'s new title' },
        { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'The asset\'s new description' },
        { displayName: 'Alt Text', name: 'altText', type: 'string', default: '', description: 'Text describing the image for screen readers' },
        { displayName: 'File Name', name: 'filename', type: 'string', default: '', description: 'The name the file gets when downloaded; the stored file itself is unchanged' },
      ],
      description: 'Only the fields added here change; the others keep their values',
    },
    { ...attributes, description: 'Attribute values to set, picked by name' },
    simplify,
  ],
  async execute({ ctx, client, index }) {
    const fields = ctx.getNodeParameter('updateFields', index, {}) as IDataObject;
    const rows = ctx.getNodeParameter('attributes.attribute', index, []) as Array<{ name: string; value: string }>;
    return assetOutput(ctx, index, await updateAsset(client, assetIdOf(ctx, index), { ...(fields as Record<string, string>), attributes: attributeValues(rows) }));
  },
};
