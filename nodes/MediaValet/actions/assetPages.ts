// Search and Category → Get Assets read through core's keyed pager: Return All goes past
// MediaValet's offset ceiling, and One Page Per Run hands out one page and a cursor that the
// next run (or the next loop pass) takes back, for libraries too large for one execution.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { searchAll, searchPages, type MediaValetClient, type SearchOptions } from '../../../core';
import { assetOutput, limitOf, type Show } from './fields';

export function pageByPage(show: Show = {}): INodeProperties[] {
  return [
    {
      displayName: 'One Page Per Run',
      name: 'pageByPage',
      type: 'boolean',
      default: false,
      description:
        'Whether to return one page of assets as one item (assets, count, cursor, hasMore) instead of every asset: for libraries too large for one execution. Pass the cursor back to get the next page.',
      displayOptions: { show: { ...show, returnAll: [true] } },
    },
    {
      displayName: 'Cursor',
      name: 'cursor',
      type: 'string',
      default: '',
      placeholder: '={{ $json.cursor }}',
      description: 'Where to continue: the cursor of the previous page of this same search. Empty: the first page.',
      hint: 'Needs a sort by upload or change date (Newest First, Oldest First, Recently Changed First)',
      displayOptions: { show: { ...show, returnAll: [true], pageByPage: [true] } },
    },
  ];
}

/** Every matching asset (Return All or up to Limit), or one page and its cursor. */
export async function readAssets(ctx: IExecuteFunctions, client: MediaValetClient, index: number, search: SearchOptions): Promise<IDataObject | IDataObject[]> {
  const limit = limitOf(ctx, index);
  const signal = ctx.getExecutionCancelSignal();
  if (limit === undefined && ctx.getNodeParameter('pageByPage', index, false)) {
    const cursor = String(ctx.getNodeParameter('cursor', index, '') ?? '').trim() || undefined;
    const pages = searchPages(client, search, { cursor, signal });
    const page = (await pages.next()).value;
    await pages.return(undefined);
    const assets = (page?.items ?? []).map((asset: unknown) => assetOutput(ctx, index, asset));
    return { assets, count: assets.length, cursor: page?.cursor ?? '', hasMore: Boolean(page?.cursor), totalRecordsFound: page?.totalRecordsFound ?? null };
  }
  const assets: IDataObject[] = [];
  for await (const asset of searchAll(client, search, { limit, signal })) assets.push(assetOutput(ctx, index, asset));
  return assets;
}
