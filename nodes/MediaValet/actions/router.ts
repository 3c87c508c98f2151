// Runs the chosen operation once per input item. The item loop, pairedItem, continueOnFail
// and the conversion of core's errors into n8n errors live here, once, not in every operation.
import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, NodeOperationError } from 'n8n-workflow';
import { DEFAULT_IN_FLIGHT, isAccountRefused, isMediaValetError, mapInOrder, type MediaValetClient } from '../../../core';
import { mediaValetClient } from '../transport/client';
import { toN8nError } from '../transport/errors';
import { refusedEarlier, rememberRefusal } from '../transport/refusals';
import { apiRequest } from './apiRequest';
import { asset } from './asset';
import { attribute } from './attribute';
import { auth } from './auth';
import { category } from './category';
import { scoped } from './fields';
import { keyword } from './keyword';
import { ItemWithBinary, type OperationResult, type Resource } from './types';
import { upload } from './upload';
import { user } from './user';

export const resources: Record<string, Resource> = { asset, upload, category, keyword, attribute, user, apiRequest, auth };

/** The operation pickers, then every operation's fields scoped to it. */
export function operationProperties(): INodeProperties[] {
  const out: INodeProperties[] = [];
  for (const r of Object.values(resources)) out.push(r.operations);
  for (const [resourceName, r] of Object.entries(resources)) {
    for (const [operationName, operation] of Object.entries(r.byName)) out.push(...scoped(resourceName, operationName, operation.properties));
  }
  return out;
}

function toItems(result: OperationResult, index: number): INodeExecutionData[] {
  if (result instanceof ItemWithBinary) return [{ ...result.item, pairedItem: { item: index } }];
  const list = Array.isArray(result) ? result : [result];
  return list.map((json) => ({ json: json as IDataObject, pairedItem: { item: index } }));
}

/** Operations that only read: items on one asset may run side by side. */
const READS = new Set(['get', 'search', 'download', 'getHistory', 'getRenditions', 'getMany', 'getAssets', 'getCurrent', 'getToken']);

/** The asset an item writes to, when it writes to one (its key for running in order). */
function writeKey(ctx: IExecuteFunctions, index: number): string | undefined {
  try {
    const operation = ctx.getNodeParameter('operation', index) as string;
    if (READS.has(operation)) return undefined;
    const id = ctx.getNodeParameter('assetId', index, '', { extractValue: true });
    return typeof id === 'string' && id ? `asset:${id.trim().toLowerCase()}` : undefined;
  } catch {
    return undefined;
  }
}

export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const items = ctx.getInputData();
  const inFlight = Math.max(1, Math.floor(Number(ctx.getNodeParameter('itemsInFlight', 0, DEFAULT_IN_FLIGHT))) || 1);
  const continueOnFail = ctx.continueOnFail();
  // One client for the run: every item's calls share its limit on calls in flight.
  let client: Promise<MediaValetClient> | undefined;
  // Once MediaValet refuses the account (sign-in revoked, client rejected), the other items
  // get the same error without asking again: n8n would otherwise sign in or refresh per item.
  // Items in flight at that moment share the one sign-in (core's single flight). A credential
  // setting the client cannot be built with (an http:// URL, no subscription key) fails every
  // item the same way, so Continue On Fail still gives one error item each.
  let stop: unknown = refusedEarlier(ctx);
  const runItem = async (index: number): Promise<INodeExecutionData[]> => {
    try {
      if (stop) throw stop;
      client ??= mediaValetClient(ctx, inFlight);
      const ready = await client.catch((error) => {
        stop ??= error;
        throw error;
      });
      const resourceName = ctx.getNodeParameter('resource', index) as string;
      const operationName = ctx.getNodeParameter('operation', index) as string;
      const operation = resources[resourceName]?.byName[operationName];
      if (!operation) throw new NodeOperationError(ctx.getNode(), `The operation "${operationName}" is not known for "${resourceName}"`, { itemIndex: index });
      return toItems(await operation.execute({ ctx, client: ready, index }), index);
    } catch (error) {
      if (isAccountRefused(error) && !isAccountRefused(stop)) {
        stop = error;
        rememberRefusal(ctx, error);
      }
      const nodeError = toN8nError(ctx.getNode(), error, index);
      if (continueOnFail) {
        const details = isMediaValetError(error) ? { code: error.code, kind: error.kind, status: error.status, field: error.field, hint: error.hint } : {};
        return [{ json: { error: nodeError.message, ...details }, pairedItem: { item: index } }];
      }
      throw nodeError;
    }
  };
  // Items in flight, output in input order: as a loop would give it (core/limiter.ts); writes
  // to one asset one after another, so the asset ends as a loop would leave it.
  return [(await mapInOrder(items.length, inFlight, runItem, (index) => writeKey(ctx, index))).flat()];
}
