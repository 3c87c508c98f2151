// Lists for the node panel: assets and categories (searchable resource locators),
// categories and attributes (options, by name).
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { compactAsset, itemsOf, searchRequest } from '../../../core';
import { mediaValetClient } from '../transport/client';

const ASSET_PAGE = 50;

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

  /** Assets by title, newest first, one page of 50 at a time as the list scrolls. */
  async searchAssets(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
    const client = await mediaValetClient(this);
    const offset = Number(paginationToken) || 0;
    const request = searchRequest({ query: filter?.trim() ?? '', searchFields: filter?.trim() ? ['title'] : undefined, sort: 'record.createdAt D' }, ASSET_PAGE, ASSET_PAGE);
    request.offset = offset;
    const page = (await client.pages<IDataObject>(request).next()).value;
    const items: IDataObject[] = page ? page.items : [];
    const results = items.map((asset) => {
      const a = compactAsset(asset);
      return { name: a.fileName && a.fileName !== a.title ? `${a.title} (${a.fileName})` : a.title || a.id, value: a.id };
    });
    const total = page?.totalRecordsFound;
    const more = total !== undefined ? offset + items.length < total : items.length === ASSET_PAGE;
    return { results, paginationToken: more ? String(offset + items.length) : undefined };
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
