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
    { value: 'addCategory', name: 'Add to Category', action: 'Add an asset to a category', description: 'Put an asset in a category', operation: addCategoryOperation },
    { value: 'addKeywords', name: 'Add Keywords', action: 'Add keywords to an asset', description: 'Tag an asset with keywords', operation: addKeywordsOperation },
    { value: 'delete', name: 'Delete', action: 'Delete an asset', description: 'Delete an asset', operation: deleteOperation },
    { value: 'download', name: 'Download', action: 'Download an asset', description: 'Download the original or a rendition as a file', operation: download },
    { value: 'get', name: 'Get', action: 'Get an asset', description: 'Get an asset with its metadata and links', operation: get },
    { value: 'getDirectLink', name: 'Get Direct Link', action: 'Get or create a direct link', description: 'Get a durable public link, creating one if needed', operation: getDirectLink },
    { value: 'getHistory', name: 'Get History', action: 'Get the history of an asset', description: 'List what happened to an asset', operation: getHistory },
    { value: 'getRenditions', name: 'Get Renditions', action: 'Get the renditions of an asset', description: 'List the sizes and formats available', operation: getRenditions },
    { value: 'removeCategory', name: 'Remove From Category', action: 'Remove an asset from a category', description: 'Take an asset out of a category', operation: removeCategoryOperation },
    { value: 'removeKeywords', name: 'Remove Keywords', action: 'Remove keywords from an asset', description: 'Remove keywords from an asset', operation: removeKeywordsOperation },
    { value: 'search', name: 'Search', action: 'Search assets', description: 'Find assets by text, filters and category', operation: search },
    { value: 'update', name: 'Update', action: 'Update an asset', description: 'Change title, description, alt text, file name or attributes', operation: update },
  ],
  'search',
);
