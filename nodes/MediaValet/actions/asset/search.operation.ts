import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { ASSET_TYPES, buildFilters, listOf } from '../../../../core';
import { readAssets, pageByPage } from '../assetPages';
import { attributes, categoryId, categoryScope, returnAll, type Show, simplify, v1, v2 } from '../fields';
import type { Operation } from '../types';


const EXPRESSION_HINT =
  'Conditions in brackets, joined with AND or OR: (AssetType EQ Image), (DateUploaded GE 2026-01-01T00:00:00.000Z), (DateModified LT …), ' +
  "(Keywords/ANY(k: k EQ 'summer')), (Attributes/<attribute ID> EQ 'value'). Operators: EQ NE GT GE LT LE; text in single quotes. " +
  'Put OR groups in one bracket; the whole expression is joined to the filters above with AND.';

const filterExpression: INodeProperties = {
  displayName: 'Filter Expression',
  name: 'filters',
  type: 'string',
  default: '',
  placeholder: "(AssetType EQ Image) AND (DateUploaded GE 2026-01-01T00:00:00.000Z)",
  description: 'A MediaValet filter expression, for conditions the fields do not cover',
  hint: EXPRESSION_HINT,
};

const sort: INodeProperties = {
  displayName: 'Sort',
  name: 'sort',
  type: 'options',
  options: [
    { name: 'Best Match', value: 'relevance', description: 'Most relevant to the search text first (MediaValet\'s own order)' },
    { name: 'File Name A-Z', value: 'file.fileName A' },
    { name: 'Newest First', value: 'record.createdAt D', description: 'Most recently uploaded first' },
    { name: 'Oldest First', value: 'record.createdAt A', description: 'First uploaded first' },
    { name: 'Recently Changed First', value: 'record.modifiedAt D' },
    { name: 'Title A-Z', value: 'title A' },
  ],
  default: 'record.createdAt D',
  description: 'The order of the results',
};

const searchIn: INodeProperties = {
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
};

/** The filter builder (version 2): what MediaValet's own search panel offers, plus the raw expression. */
const filterBuilder: INodeProperties = {
  displayName: 'Filters',
  name: 'filterFields',
  type: 'collection',
  placeholder: 'Add Filter',
  default: {},
  description: 'Only assets matching all of these',
  displayOptions: { show: v2 },
  options: [
    {
      displayName: 'Asset Type',
      name: 'assetTypes',
      type: 'multiOptions',
      options: ASSET_TYPES.map((t) => ({ name: t, value: t })),
      default: [],
      description: 'Assets of any of these types',
    },
    { ...attributes, displayName: 'Attribute Equals', description: 'Assets whose attribute has exactly this value' },
    filterExpression,
    {
      displayName: 'Keywords',
      name: 'keywords',
      type: 'string',
      default: '',
      placeholder: 'e.g. summer, beach',
      description: 'Assets tagged with every one of these comma-separated keywords',
    },
    { displayName: 'Modified From', name: 'modifiedFrom', type: 'dateTime', default: '', description: 'Assets changed at or after this time' },
    { displayName: 'Modified To', name: 'modifiedTo', type: 'dateTime', default: '', description: 'Assets changed at or before this time' },
    { displayName: 'Uploaded From', name: 'uploadedFrom', type: 'dateTime', default: '', description: 'Assets uploaded at or after this time' },
    { displayName: 'Uploaded To', name: 'uploadedTo', type: 'dateTime', default: '', description: 'Assets uploaded at or before this time' },
  ],
};

const options = (version: Show, extra: INodeProperties[]): INodeProperties => ({
  displayName: 'Options',
  name: 'options',
  type: 'collection',
  placeholder: 'Add Option',
  default: {},
  description: 'Where to search and in which order',
  displayOptions: { show: version },
  options: [categoryScope[0], ...extra, categoryScope[1], searchIn, sort],
});

function filtersOf(ctx: IExecuteFunctions, index: number, options: IDataObject): string | undefined {
  const f = ctx.getNodeParameter('filterFields', index, {}) as IDataObject;
  const rows = ((f.attributes as IDataObject | undefined)?.attribute as Array<{ name: string; value: string }> | undefined) ?? [];
  return buildFilters({
    assetTypes: f.assetTypes as string[] | undefined,
    uploadedFrom: f.uploadedFrom as string | undefined,
    uploadedTo: f.uploadedTo as string | undefined,
    modifiedFrom: f.modifiedFrom as string | undefined,
    modifiedTo: f.modifiedTo as string | undefined,
    keywords: listOf(f.keywords),
    attributes: rows.map((r) => ({ id: r.name, value: r.value })),
    // Version 1 keeps its expression in Options.
    expression: ((f.filters as string) || (options.filters as string) || '').trim() || undefined,
  });
}

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
    ...pageByPage(),
    filterBuilder,
    options(v1, [{ ...filterExpression, displayName: 'Filters' }]),
    options(v2, []),
    simplify,
  ],
  async execute({ ctx, client, index }) {
    const options = ctx.getNodeParameter('options', index, {}) as IDataObject;
    const sortBy = (options.sort as string) || 'record.createdAt D';
    return readAssets(ctx, client, index, {
      query: ctx.getNodeParameter('query', index, '') as string,
      filters: filtersOf(ctx, index, options),
      categoryId: options.category ? categoryId(ctx, index, 'options.category', true) || undefined : undefined,
      includeSubcategories: options.includeSubcategories !== false,
      // Best match: no sort sent, so MediaValet ranks by relevance (and pages by offset only).
      sort: sortBy === 'relevance' ? undefined : sortBy,
      searchFields: options.searchFields as string[] | undefined,
    });
  },
};
