import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { ASSET_TYPES, buildFilters, listOf } from '../../../../core';
import { pageByPage, readAssets } from '../assetPages';
import { attributes, categoryId, categoryScope, returnAll, type Show, simplify, v1, v3 } from '../fields';
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

const assetType: INodeProperties = {
  displayName: 'Asset Type',
  name: 'assetTypes',
  type: 'multiOptions',
  options: ASSET_TYPES.map((t) => ({ name: t, value: t })),
  default: [],
  description: 'Assets of any of these types',
};

const keywords: INodeProperties = {
  displayName: 'Keywords',
  name: 'keywords',
  type: 'string',
  default: '',
  placeholder: 'e.g. summer, beach',
  description: 'Assets tagged with every one of these comma-separated keywords',
};

const attributeEquals: INodeProperties = { ...attributes, displayName: 'Attribute Equals', description: 'Assets whose attribute has exactly this value' };

/** A date range as one entry: From and To in one place, either left empty for an open end. */
function between(displayName: string, name: string, what: string): INodeProperties {
  return {
    displayName,
    name,
    type: 'fixedCollection',
    placeholder: 'Add Range',
    // Added with its From and To in place: one step, not two.
    default: { range: { from: '', to: '' } },
    description: `Assets ${what} in this range; each end inclusive, either may stay empty`,
    options: [
      {
        displayName: 'Range',
        name: 'range',
        values: [
          { displayName: 'From', name: 'from', type: 'dateTime', default: '', description: `Assets ${what} at or after this time` },
          { displayName: 'To', name: 'to', type: 'dateTime', default: '', description: `Assets ${what} at or before this time` },
        ],
      },
    ],
  };
}

const exactlyV2: Show = { '@version': [2] };

/** The filter builder of version 2 nodes, kept as saved: the raw expression among the fields, each date bound its own entry. */
const filterBuilderV2: INodeProperties = {
  displayName: 'Filters',
  name: 'filterFields',
  type: 'collection',
  placeholder: 'Add Filter',
  default: {},
  description: 'Only assets matching all of these',
  displayOptions: { show: exactlyV2 },
  options: [
    assetType,
    attributeEquals,
    filterExpression,
    keywords,
    { displayName: 'Modified From', name: 'modifiedFrom', type: 'dateTime', default: '', description: 'Assets changed at or after this time' },
    { displayName: 'Modified To', name: 'modifiedTo', type: 'dateTime', default: '', description: 'Assets changed at or before this time' },
    { displayName: 'Uploaded From', name: 'uploadedFrom', type: 'dateTime', default: '', description: 'Assets uploaded at or after this time' },
    { displayName: 'Uploaded To', name: 'uploadedTo', type: 'dateTime', default: '', description: 'Assets uploaded at or before this time' },
  ],
};

/**
 * Version 3: only the friendly filters, each date range one entry; the raw expression moves
 * to the end of Options, after everything a user picks. (n8n's lint keeps a collection's
 * entries in alphabetical order.)
 */
const filterBuilder: INodeProperties = {
  ...filterBuilderV2,
  displayOptions: { show: v3 },
  options: [assetType, attributeEquals, keywords, between('Modified Between', 'modifiedBetween', 'changed'), between('Uploaded Between', 'uploadedBetween', 'uploaded')],
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
  // Version 3 ranges, or version 2's separate bounds.
  const range = (name: string) => ((f[name] as IDataObject | undefined)?.range ?? {}) as { from?: string; to?: string };
  return buildFilters({
    assetTypes: f.assetTypes as string[] | undefined,
    uploadedFrom: range('uploadedBetween').from || (f.uploadedFrom as string | undefined),
    uploadedTo: range('uploadedBetween').to || (f.uploadedTo as string | undefined),
    modifiedFrom: range('modifiedBetween').from || (f.modifiedFrom as string | undefined),
    modifiedTo: range('modifiedBetween').to || (f.modifiedTo as string | undefined),
    keywords: listOf(f.keywords),
    attributes: rows.map((r) => ({ id: r.name, value: r.value })),
    // Versions 1 and 3 keep the expression in Options, version 2 among the filters.
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
    filterBuilderV2,
    filterBuilder,
    options(v1, [{ ...filterExpression, displayName: 'Filters' }]),
    options(exactlyV2, []),
    options(v3, [{ ...filterExpression, displayName: 'Filter Expression (Advanced)' }]),
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
