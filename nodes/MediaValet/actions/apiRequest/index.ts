// API Request: any endpoint, authenticated by the credential, retried and throttled like
// every other operation, so users reach what this node does not model without a token.
import { type IDataObject, NodeOperationError } from 'n8n-workflow';
import type { HttpMethod } from '../../../../core';
import { resource } from '../fields';
import { ItemWithBinary, type Operation } from '../types';

const send: Operation = {
  properties: [
    {
      displayName: 'Method',
      name: 'method',
      type: 'options',
      options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ name: m, value: m })),
      default: 'GET',
    },
    {
      displayName: 'Path',
      name: 'path',
      type: 'string',
      default: '',
      required: true,
      placeholder: '/assets/{ID}/comments',
      description: 'The endpoint, after the API URL',
    },
    {
      displayName: 'Query Parameters',
      name: 'query',
      type: 'fixedCollection',
      placeholder: 'Add Parameter',
      typeOptions: { multipleValues: true },
      default: {},
      options: [
        {
          displayName: 'Parameter',
          name: 'parameter',
          values: [
            { displayName: 'Name', name: 'name', type: 'string', default: '' },
            { displayName: 'Value', name: 'value', type: 'string', default: '' },
          ],
        },
      ],
    },
    {
      displayName: 'Body',
      name: 'body',
      type: 'json',
      default: '',
      displayOptions: { show: { method: ['POST', 'PUT', 'PATCH'] } },
      description: 'The JSON body',
    },
    {
      displayName: 'Response',
      name: 'responseFormat',
      type: 'options',
      options: [
        { name: 'JSON (Payload Unwrapped)', value: 'json' },
        { name: 'File', value: 'binary' },
      ],
      default: 'json',
    },
    {
      displayName: 'Put Output File in Field',
      name: 'binaryPropertyName',
      type: 'string',
      default: 'data',
      displayOptions: { show: { responseFormat: ['binary'] } },
    },
  ],
  async execute({ ctx, client, index }) {
    const method = ctx.getNodeParameter('method', index) as HttpMethod;
    const path = ctx.getNodeParameter('path', index) as string;
    const rows = (ctx.getNodeParameter('query.parameter', index, []) as Array<{ name: string; value: string }>) ?? [];
    const query = Object.fromEntries(rows.filter((r) => r.name).map((r) => [r.name, r.value]));
    let body: unknown;
    if (['POST', 'PUT', 'PATCH'].includes(method)) {
      const raw = ctx.getNodeParameter('body', index, '') as string | object;
      if (typeof raw === 'string' && raw.trim()) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new NodeOperationError(ctx.getNode(), 'The Body is not valid JSON', { description: 'Check for a missing quote or comma.', itemIndex: index });
        }
      } else if (raw && typeof raw === 'object') body = raw;
    }
    if (ctx.getNodeParameter('responseFormat', index) === 'binary') {
      const response = await client.request<Buffer>({ method, path, query, body, responseType: 'buffer' });
      const fileName = path.split('/').filter(Boolean).pop() ?? 'response';
      const binary = await ctx.helpers.prepareBinaryData(response.payload, fileName, response.headers['content-type']);
      return new ItemWithBinary({ json: { statusCode: response.status }, binary: { [ctx.getNodeParameter('binaryPropertyName', index) as string]: binary } });
    }
    const response = await client.request<unknown>({ method, path, query, body });
    const payload = response.payload;
    if (Array.isArray(payload)) return payload as IDataObject[];
    return payload && typeof payload === 'object' ? (payload as IDataObject) : { statusCode: response.status, payload: payload as IDataObject };
  },
};

export const apiRequest = resource(
  'apiRequest',
  [{ value: 'send', name: 'Send', action: 'Send an API request', description: 'Call any MediaValet endpoint with this credential', operation: send }],
  'send',
);
