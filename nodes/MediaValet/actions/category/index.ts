import { resource } from '../fields';
import { createCategory, getCategory, getCategoryAssets, getManyCategories } from './category.operations';

export const category = resource(
  'category',
  [
    { value: 'create', name: 'Create', action: 'Create category', description: 'Create a category', operation: createCategory },
    { value: 'get', name: 'Get', action: 'Get category', description: 'Get a category', operation: getCategory },
    { value: 'getAssets', name: 'Get Assets', action: 'Get category assets', description: 'List the assets in a category', operation: getCategoryAssets },
    { value: 'getMany', name: 'Get Many', action: 'Get many categories', description: 'List the category tree', operation: getManyCategories },
  ],
  'getMany',
);
