// API Request: any endpoint, authenticated by the credential, retried and throttled like
// every other operation, so users reach what this node does not model without a token.
import { type IDataObject, type INodeProperties, NodeOperationError } from 'n8n-workflow';
import { checkApiPath, checkText, type HttpMethod, quote, safeFileName, TEXT_LIMITS } from '../../../../core';
import { limitOf, resource, returnAll } from '../fields';
import { ItemWithBinary, type Operation } from '../types';

/** Name/value rows, as n8n's HTTP Request node takes query parameters and headers. */
function nameValueRows(displayName: string, name: string, row: string, rowName: string, description: string, what: string): INodeProperties {
  return {
    displayName,
    name,
    type: 'fixedCollection',
    placeholder: `Add ${row}`,
    typeOptions: { multipleValues: true },
    default: {},
    description,
    options: [
      {
        displayName: row,
        name: rowName,
        values: [
          { displayName: 'Name', name: 'name', type: 'string', default: '', description: `The ${what}'s name` },
          { displayName: 'Value', name: 'value', type: 'string', default: '', description: `The ${what}'s value` },
        ],
      },
    ],
  };
}

const send: Operation = {
  properties: [
    {
      displayName: 'Method',
      name: 'method',
      type: 'options',
      options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ name: m, value: m })),
      default: 'GET',
      description: 'The HTTP method of the request',
    },
    {
      displayName: 'Path',
      name: 'path',
      type: 'string',
      default: '',
      required: true,
      placeholder: '/assets/{ID}/comments',
      description: 'The endpoint, after the API URL',
      hint: 'E.g. /assets/{ID}/relatedassets. The bearer token, subscription key and API version are added for you.',
    },
    nameValueRows('Query Parameters', 'query', 'Parameter', 'parameter', 'Added to the URL as ?name=value', 'query parameter'),
    nameValueRows('Headers', 'headers', 'Header', 'header', 'Extra request headers, e.g. Accept-Language', 'header'),
    {
      displayName: 'Body',
      name: 'body',
      type: 'json',
      default: '',
      displayOptions: { show: { method: ['POST', 'PUT', 'PATCH'] } },
      description: 'The JSON body',
    },
    {
      displayName: 'Page Through Results',
      name: 'paginate',
      type: 'boolean',
      default: false,
      displayOptions: { show: { method: ['GET', 'POST'], responseFormat: ['json'] } },
      description: 'Whether to follow MediaValet\'s offset paging (offset and count) and output every record as an item, instead of one request',
    },
    ...returnAll('records', { show: { method: ['GET', 'POST'], responseFormat: ['json'], paginate: [true] } }),
    {
      displayName: 'Response',
      name: 'responseFormat',
      type: 'options',
      options: [
        { name: 'JSON (Payload Unwrapped)', value: 'json', description: 'The envelope\'s payload; a list becomes one item per record' },
        { name: 'File', value: 'binary', description: 'The raw answer as binary data, e.g. a file' },
      ],
      default: 'json',
      description: 'How to read the answer',
    },
    {
      displayName: 'Put Output File in Field',
      name: 'binaryPropertyName',
      type: 'string',
      default: 'data',
      displayOptions: { show: { responseFormat: ['binary'] } },
      hint: 'The name of the output binary field to put the file in',
    },
  ],
  async execute({ ctx, client, index }) {
    const method = ctx.getNodeParameter('method', index) as HttpMethod;
    const path = checkApiPath(ctx.getNodeParameter('path', index), 'Path');
    const rows = (ctx.getNodeParameter('query.parameter', index, []) as Array<{ name: string; value: string }>) ?? [];
    const query = Object.fromEntries(rows.filter((r) => r.name).map((r) => [checkText(r.name, 'Query Parameters: Name', { singleLine: true }) ?? '', checkText(r.value, `Query Parameters: ${quote(r.name, 60)}`, { max: TEXT_LIMITS.url }) ?? '']));
    const headerRows = (ctx.getNodeParameter('headers.header', index, []) as Array<{ name: string; value: string }>) ?? [];
    const headers = headerRows.length
      ? Object.fromEntries(headerRows.filter((r) => r.name).map((r) => [checkText(r.name, 'Headers: Name', { max: 200, singleLine: true }) ?? '', checkText(r.value, `Headers: ${quote(r.name, 60)}`, { max: TEXT_LIMITS.url, singleLine: true }) ?? '']))
      : undefined;
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
      const response = await client.request<Buffer>({ method, path, query, body, headers, responseType: 'buffer' });
      // The path's last part names the file; n8n may write it to disk under that name.
      const fileName = safeFileName(path.split(/[?#]/)[0].split('/').filter(Boolean).pop(), 'response');
      const binary = await ctx.helpers.prepareBinaryData(response.payload, fileName, response.headers['content-type']);
      return new ItemWithBinary({ json: { statusCode: response.status }, binary: { [ctx.getNodeParameter('binaryPropertyName', index) as string]: binary } });
    }
    if ((method === 'GET' || method === 'POST') && ctx.getNodeParameter('paginate', index, false)) {
      const records: IDataObject[] = [];
      const pages = client.paginate<IDataObject>({ method, path, query, body: body as Record<string, unknown> | undefined, headers, limit: limitOf(ctx, index), signal: ctx.getExecutionCancelSignal() });
      for await (const record of pages) records.push(record);
      return records;
    }
    const response = await client.request<unknown>({ method, path, query, body, headers });
    const payload = response.payload;
    if (Array.isArray(payload)) return payload as IDataObject[];
    return payload && typeof payload === 'object' ? (payload as IDataObject) : { statusCode: response.status, payload: payload as IDataObject };
  },
};

export const apiRequest = resource(
  'apiRequest',
  [{ value: 'send', name: 'Send', action: 'Send API request', description: 'Call any MediaValet endpoint with this credential', operation: send }],
  'send',
);
