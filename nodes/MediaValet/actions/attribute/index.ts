import type { IDataObject } from 'n8n-workflow';
import { itemsOf } from '../../../../core';
import { resource } from '../fields';
import type { Operation } from '../types';

const getMany: Operation = {
  properties: [],
  async execute({ client }) {
    return itemsOf<IDataObject>((await client.request({ method: 'GET', path: '/attributes' })).payload);
  },
};

export const attribute = resource(
  'attribute',
  [{ value: 'getMany', name: 'Get Many', action: 'Get many attributes', description: 'List the library\'s attribute definitions', operation: getMany }],
  'getMany',
);
