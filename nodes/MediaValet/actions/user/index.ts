import type { IDataObject } from 'n8n-workflow';
import { resource } from '../fields';
import type { Operation } from '../types';

const getCurrent: Operation = {
  properties: [],
  async execute({ client }) {
    return (await client.request<IDataObject>({ method: 'GET', path: '/users/current' })).payload;
  },
};

export const user = resource('user', [{ value: 'getCurrent', name: 'Get Current', action: 'Get current user', description: 'Get the user the credential signs in as', operation: getCurrent }], 'getCurrent');
