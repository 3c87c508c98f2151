import type { IDataObject } from 'n8n-workflow';
import { searchRequest } from '../../../../core';
import { categoryId, categoryScope, limitOf, returnAll } from '../fields';
import type { Operation } from '../types';

export const search: Operation = {
  properties: [
    {
      displayName: 'Search Text',
      name: 'query',
      type: 'string',
      default: '',
      placeholder: 'e.g. summer campaign',
      description: 'Words to find in titles, descriptions, file names, keywords and attributes. Leave empty to list everything.',
    },
    ...returnAll('assets'),
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      options: [
        categoryScope[0],
        {
          displayName: 'Filters',
          name: 'filters',
          type: 'string',
          default: '',
          placeholder: '(AssetType EQ Image) AND (DateUploaded GE 2026-01-01T00:00:00.000Z)',
          description: 'A MediaValet filter expression',
        },
        categoryScope[1],
        {
          displayName: 'Search In',
          name: 'searchFields',
          type: 'multiOptions',
          options: [
            { name: 'Attributes', value: 'attributes' },
            { name: 'Categories', value: 'categories' },
            { name: 'File Name', value: 'fileName' },
            { name: 'Keywords', value: 'keywords' },
            { name: 'Title and Description', value: 'title' },
          ],
          default: [],
          description: 'Where the search text must appear; all fields when empty',
        },
        {
          displayName: 'Sort',
          name: 'sort',
          type: 'options',
          options: [
            { name: 'File Name A-Z', value: 'file.fileName A' },
            { name: 'Newest First', value: 'record.createdAt D' },
            { name: 'Oldest First', value: 'record.createdAt A' },
            { name: 'Recently Changed First', value: 'record.modifiedAt D' },
            { name: 'Title A-Z', value: 'title A' },
          ],
          default: 'record.createdAt D',
        },
      ],
    },
  ],
  async execute({ ctx, client, index }) {
    const options = ctx.getNodeParameter('options', index, {}) as IDataObject;
    const request = searchRequest(
      {
        query: ctx.getNodeParameter('query', index, '') as string,
        filters: (options.filters as string) || undefined,
        categoryId: options.category ? categoryId(ctx, index, 'options.category') : undefined,
        includeSubcategories: options.includeSubcategories !== false,
        sort: (options.sort as string) || 'record.createdAt D',
        searchFields: options.searchFields as string[] | undefined,
      },
      100,
      limitOf(ctx, index),
    );
    request.signal = ctx.getExecutionCancelSignal();
    const assets: IDataObject[] = [];
    for await (const asset of client.paginate<IDataObject>(request)) assets.push(asset);
    return assets;
  },
};
