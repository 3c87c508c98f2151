import type { IDataObject } from 'n8n-workflow';
import { attributes } from '../fields';
import type { Operation } from '../types';
import { binaryField, uploadFromItem } from './upload';

export const uploadFile: Operation = {
  properties: [
    binaryField,
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      options: [
        attributes,
        {
          displayName: 'Category Names or IDs',
          name: 'categoryIds',
          type: 'multiOptions',
          typeOptions: { loadOptionsMethod: 'getCategories' },
          default: [],
          description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
        },
        { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '' },
        { displayName: 'File Name', name: 'fileName', type: 'string', default: '', description: 'Overrides the binary data\'s file name' },
        { displayName: 'Keywords', name: 'keywords', type: 'string', default: '', placeholder: 'e.g. summer, beach', description: 'Comma-separated keywords' },
        { displayName: 'Title', name: 'title', type: 'string', default: '', description: 'Defaults to the file name' },
      ],
    },
  ],
  async execute({ ctx, client, index }) {
    return uploadFromItem(ctx, client, index, { metadata: ctx.getNodeParameter('options', index, {}) as IDataObject });
  },
};
