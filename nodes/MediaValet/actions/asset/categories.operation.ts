import type { IDataObject } from 'n8n-workflow';
import { addCategories, removeCategories } from '../../../../core';
import { assetId, assetIdOf, category, categoryId } from '../fields';
import type { Operation } from '../types';

const categoryField = { ...category, required: true };

export const addCategoryOperation: Operation = {
  properties: [...assetId, categoryField],
  async execute({ ctx, client, index }) {
    const id = assetIdOf(ctx, index);
    return { id, categories: (await addCategories(client, id, [categoryId(ctx, index)])) as IDataObject[] };
  },
};

export const removeCategoryOperation: Operation = {
  properties: [...assetId, categoryField],
  async execute({ ctx, client, index }) {
    const id = assetIdOf(ctx, index);
    return { id, categories: (await removeCategories(client, id, [categoryId(ctx, index)])) as IDataObject[] };
  },
};
