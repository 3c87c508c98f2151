// Lists for the node panel: categories (searchable resource locator and options) and
// attributes (options, by name).
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { itemsOf } from '../../../core';
import { mediaValetClient } from '../transport/client';

async function categories(ctx: ILoadOptionsFunctions): Promise<Array<{ id: string; label: string }>> {
  const client = await mediaValetClient(ctx);
  const list = itemsOf<IDataObject>((await client.request({ method: 'GET', path: '/categories' })).payload);
  return list
    .map((c) => ({ id: String(c.id), label: String(c.path ?? c.name ?? c.id).replace(/^\//, '') }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export const listSearch = {
  async searchCategories(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
    const needle = (filter ?? '').toLowerCase();
    const results = (await categories(this)).filter((c) => !needle || c.label.toLowerCase().includes(needle));
    return { results: results.map((c) => ({ name: c.label, value: c.id })) };
  },
};

export const loadOptions = {
  async getCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
    return (await categories(this)).map((c) => ({ name: c.label, value: c.id }));
  },
  async getAttributes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
    const client = await mediaValetClient(this);
    const list = itemsOf<IDataObject>((await client.request({ method: 'GET', path: '/attributes' })).payload);
    return list.map((a) => ({ name: String(a.name ?? a.id), value: String(a.id) })).sort((a, b) => a.name.localeCompare(b.name));
  },
};
