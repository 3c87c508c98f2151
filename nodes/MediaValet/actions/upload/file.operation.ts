import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { attributes, simplify } from '../fields';
import type { Operation } from '../types';
import { binaryField, uploadFromItem } from './upload';

/** What a new asset can carry: Upload File and Upload From URL offer the same. */
export const uploadMetadata: INodeProperties = {
  displayName: 'Options',
  name: 'options',
  type: 'collection',
  placeholder: 'Add Option',
  default: {},
  description: 'Metadata for the new asset; the file name and title otherwise come from the file',
  options: [
    { ...attributes, description: 'Attribute values for the new asset, picked by name' },
    {
      displayName: 'Category Names or IDs',
      name: 'categoryIds',
      type: 'multiOptions',
      typeOptions: { loadOptionsMethod: 'getCategories' },
      default: [],
      description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
    },
    { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'The new asset\'s description' },
    { displayName: 'File Name', name: 'fileName', type: 'string', default: '', description: 'Overrides the file\'s own name' },
    { displayName: 'Keywords', name: 'keywords', type: 'string', default: '', placeholder: 'e.g. summer, beach', description: 'Comma-separated keywords' },
    { displayName: 'Title', name: 'title', type: 'string', default: '', description: 'Defaults to the file name' },
  ],
};

/** Where a new asset goes and what it is called: main fields of Upload From URL (version 2). */
export const destination: INodeProperties[] = [
  {
    displayName: 'Category Names or IDs',
    name: 'categoryIds',
    type: 'multiOptions',
    typeOptions: { loadOptionsMethod: 'getCategories' },
    default: [],
    description: 'The categories the new asset goes into. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
  },
  { displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: 'e.g. Summer campaign hero', description: 'The new asset\'s title; the file name when empty' },
  { displayName: 'File Name', name: 'fileName', type: 'string', default: '', placeholder: 'e.g. summer.jpg', description: 'The new asset\'s file name; the download\'s own name when empty' },
];

/** The Options collection with the destination fields laid over it: a node saved before they were main fields keeps its Options values. */
export function destinationOf(ctx: IExecuteFunctions, index: number): IDataObject {
  const metadata = { ...(ctx.getNodeParameter('options', index, {}) as IDataObject) };
  for (const { name } of destination) {
    // null: version 1 has no such field.
    const value = ctx.getNodeParameter(name, index, null) as unknown;
    if (Array.isArray(value) ? value.length : value !== null && value !== undefined && value !== '') metadata[name] = value as IDataObject[string];
  }
  return metadata;
}

export const uploadFile: Operation = {
  properties: [binaryField, uploadMetadata, simplify],
  async execute({ ctx, client, index }) {
    return uploadFromItem(ctx, client, index, { metadata: ctx.getNodeParameter('options', index, {}) as IDataObject });
  },
};
