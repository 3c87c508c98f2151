import type { IDataObject } from 'n8n-workflow';
import { itemsOf } from '../../../../core';
import { resource } from '../fields';
import type { Operation } from '../types';

const getMany: Operation = {
  properties: [],
  async execute({ client }) {
    return itemsOf<IDataObject>((await client.request({ method: 'GET', path: '/keywords', query: { count: 1000 } })).payload);
  },
};

const create: Operation = {
  properties: [{ displayName: 'Keyword', name: 'keywordName', type: 'string', default: '', required: true }],
  async execute({ ctx, client, index }) {
    return (await client.request<IDataObject>({ method: 'POST', path: '/keywords', body: { keywordName: ctx.getNodeParameter('keywordName', index) as string } })).payload;
  },
};

export const keyword = resource(
  'keyword',
  [
    { value: 'create', name: 'Create', action: 'Create a keyword', description: 'Add a keyword to the library\'s list', operation: create },
    { value: 'getMany', name: 'Get Many', action: 'Get many keywords', description: 'List the library\'s keywords', operation: getMany },
  ],
  'getMany',
);
