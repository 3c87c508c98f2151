import type { IDataObject } from 'n8n-workflow';
import { itemsOf } from '../../../../core';
import { readAssets, pageByPage } from '../assetPages';
import { category, categoryId, returnAll, simplify } from '../fields';
import type { Operation } from '../types';

export const getManyCategories: Operation = {
  properties: [],
  async execute({ client }) {
    // MediaValet returns the whole tree flat; each category carries its parentId and path.
    const categories = itemsOf<IDataObject>((await client.request({ method: 'GET', path: '/categories' })).payload);
    return categories.sort((a, b) => String(a.path ?? a.name).localeCompare(String(b.path ?? b.name)));
  },
};

export const getCategory: Operation = {
  properties: [{ ...category, required: true }],
  async execute({ ctx, client, index }) {
    return (await client.request<IDataObject>({ method: 'GET', path: `/categories/${encodeURIComponent(categoryId(ctx, index))}` })).payload;
  },
};

export const createCategory: Operation = {
  properties: [
    { displayName: 'Name', name: 'name', type: 'string', default: '', required: true, description: 'The new category\'s name' },
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      description: 'Where to create the category',
      options: [{ ...category, displayName: 'Parent Category', name: 'parent', description: 'Create it inside this category' }],
    },
  ],
  async execute({ ctx, client, index }) {
    const options = ctx.getNodeParameter('options', index, {}) as IDataObject;
    const parentId = options.parent ? categoryId(ctx, index, 'options.parent', true) || undefined : undefined;
    const body = { name: ctx.getNodeParameter('name', index) as string, ...(parentId ? { parentId } : {}) };
    return (await client.request<IDataObject>({ method: 'POST', path: '/categories', body })).payload;
  },
};

export const getCategoryAssets: Operation = {
  properties: [{ ...category, required: true }, ...returnAll('assets'), ...pageByPage(), simplify],
  async execute({ ctx, client, index }) {
    // A search scoped to the category alone (as GET /categories/{id}/assets lists), oldest
    // upload first, so Return All continues by date past MediaValet's offset ceiling.
    return readAssets(ctx, client, index, { categoryId: categoryId(ctx, index), includeSubcategories: false, sort: 'record.createdAt A' });
  },
};
