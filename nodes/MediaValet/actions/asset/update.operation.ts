import type { IDataObject } from 'n8n-workflow';
import { updateAsset } from '../../../../core';
import { assetId, attributes, attributeValues } from '../fields';
import type { Operation } from '../types';

export const update: Operation = {
  properties: [
    assetId,
    {
      displayName: 'Update Fields',
      name: 'updateFields',
      type: 'collection',
      placeholder: 'Add Field',
      default: {},
      options: [
        { displayName: 'Title', name: 'title', type: 'string', default: '' },
        { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '' },
        { displayName: 'Alt Text', name: 'altText', type: 'string', default: '', description: 'Text describing the image for screen readers' },
        { displayName: 'File Name', name: 'filename', type: 'string', default: '' },
      ],
    },
    attributes,
  ],
  async execute({ ctx, client, index }) {
    const fields = ctx.getNodeParameter('updateFields', index, {}) as IDataObject;
    const rows = ctx.getNodeParameter('attributes.attribute', index, []) as Array<{ name: string; value: string }>;
    return updateAsset(client, ctx.getNodeParameter('assetId', index) as string, { ...(fields as Record<string, string>), attributes: attributeValues(rows) });
  },
};
