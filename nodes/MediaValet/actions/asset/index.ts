import { resource } from '../fields';
import { addCategoryOperation, removeCategoryOperation } from './categories.operation';
import { deleteOperation } from './delete.operation';
import { getDirectLink } from './directLink.operation';
import { download } from './download.operation';
import { get } from './get.operation';
import { getHistory } from './history.operation';
import { addKeywordsOperation, removeKeywordsOperation } from './keywords.operation';
import { getRenditions } from './renditions.operation';
import { search } from './search.operation';
import { update } from './update.operation';

export const asset = resource(
  'asset',
  [
    { value: 'addCategory', name: 'Add to Category', action: 'Add to category', description: 'Put an asset in a category', operation: addCategoryOperation },
    { value: 'addKeywords', name: 'Add Keywords', action: 'Add keywords', description: 'Tag an asset with keywords', operation: addKeywordsOperation },
    { value: 'delete', name: 'Delete', action: 'Delete asset', description: 'Delete an asset for good', operation: deleteOperation },
    { value: 'download', name: 'Download', action: 'Download asset', description: 'Download the original or a rendition as a file', operation: download },
    { value: 'get', name: 'Get', action: 'Get asset', description: 'Get an asset with its metadata and links', operation: get },
    { value: 'getDirectLink', name: 'Get Direct Link', action: 'Get direct link', description: 'Get a durable public link, creating one if needed', operation: getDirectLink },
    { value: 'getHistory', name: 'Get History', action: 'Get history', description: 'List what happened to an asset', operation: getHistory },
    { value: 'getRenditions', name: 'Get Renditions', action: 'Get renditions', description: 'List the sizes and formats available', operation: getRenditions },
    { value: 'removeCategory', name: 'Remove From Category', action: 'Remove from category', description: 'Take an asset out of a category', operation: removeCategoryOperation },
    { value: 'removeKeywords', name: 'Remove Keywords', action: 'Remove keywords', description: 'Take keywords off an asset', operation: removeKeywordsOperation },
    { value: 'search', name: 'Search', action: 'Search assets', description: 'Find assets by text, filters and category', operation: search },
    { value: 'update', name: 'Update', action: 'Update asset', description: 'Change title, description, alt text, file name or attributes', operation: update },
  ],
  'search',
);
