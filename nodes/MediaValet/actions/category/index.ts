import { resource } from '../fields';
import { createCategory, getCategory, getCategoryAssets, getManyCategories } from './category.operations';

export const category = resource(
  'category',
  [
    { value: 'create', name: 'Create', action: 'Create a category', description: 'Create a category', operation: createCategory },
    { value: 'get', name: 'Get', action: 'Get a category', description: 'Get a category', operation: getCategory },
    { value: 'getAssets', name: 'Get Assets', action: 'Get the assets of a category', description: 'List the assets in a category', operation: getCategoryAssets },
    { value: 'getMany', name: 'Get Many', action: 'Get many categories', description: 'List the category tree', operation: getManyCategories },
  ],
  'getMany',
);
