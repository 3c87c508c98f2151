import type { IDataObject } from 'n8n-workflow';
import { requiredText } from '../../../../core';
import { limitOf, resource, returnAll, v1, v2 } from '../fields';
import type { Operation } from '../types';

const getMany: Operation = {
  // Version 1 returned every keyword (up to 1,000, silently): its default stays "all".
  properties: [...returnAll('keywords', { defaultAll: true, show: v1 }), ...returnAll('keywords', { show: v2 })],
  async execute({ ctx, client, index }) {
    const keywords: IDataObject[] = [];
    for await (const keyword of client.paginate<IDataObject>({ method: 'GET', path: '/keywords', limit: limitOf(ctx, index), signal: ctx.getExecutionCancelSignal() })) keywords.push(keyword);
    return keywords;
  },
};

const create: Operation = {
  properties: [{ displayName: 'Keyword', name: 'keywordName', type: 'string', default: '', required: true, description: 'The keyword to add to the library\'s keyword list' }],
  async execute({ ctx, client, index }) {
    return (await client.request<IDataObject>({ method: 'POST', path: '/keywords', body: { keywordName: requiredText(ctx.getNodeParameter('keywordName', index), 'Keyword', { singleLine: true }) } })).payload;
  },
};

export const keyword = resource(
  'keyword',
  [
    { value: 'create', name: 'Create', action: 'Create keyword', description: 'Add a keyword to the library\'s list', operation: create },
    { value: 'getMany', name: 'Get Many', action: 'Get many keywords', description: 'List the library\'s keywords', operation: getMany },
  ],
  'getMany',
);
