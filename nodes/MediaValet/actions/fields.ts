// Fields several operations share, and the displayOptions plumbing.
import type { IExecuteFunctions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import type { Operation, Resource } from './types';

/** Shows an operation's fields only for its resource and operation. */
export function scoped(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
  return properties.map((p) => ({
    ...p,
    displayOptions: { ...p.displayOptions, show: { ...p.displayOptions?.show, resource: [resource], operation: [operation] } },
  }));
}

export function resource(name: string, operations: Array<{ value: string; name: string; action: string; description: string; operation: Operation }>, defaultOp: string): Resource {
  return {
    operations: {
      displayName: 'Operation',
      name: 'operation',
      type: 'options',
      noDataExpression: true,
      displayOptions: { show: { resource: [name] } },
      options: operations.map(({ value, name: label, action, description }) => ({ name: label, value, action, description })),
      default: defaultOp,
    },
    byName: Object.fromEntries(operations.map((o) => [o.value, o.operation])),
  };
}

export const assetId: INodeProperties = {
  displayName: 'Asset ID',
  name: 'assetId',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'e.g. 3f1c2d4e-…',
  description: 'The ID of the asset, for example from a Search operation or the MediaValet trigger',
};

export const category: INodeProperties = {
  displayName: 'Category',
  name: 'category',
  type: 'resourceLocator',
  default: { mode: 'list', value: '' },
  modes: [
    { displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchCategories', searchable: true } },
    { displayName: 'ID', name: 'id', type: 'string', placeholder: 'e.g. c0000000-0000-4000-8000-000000000001' },
  ],
};

export function returnAll(what: string): INodeProperties[] {
  return [
    {
      displayName: 'Return All',
      name: 'returnAll',
      type: 'boolean',
      default: false,
      description: 'Whether to return all results or only up to a given limit',
    },
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 50,
      description: 'Max number of results to return',
      displayOptions: { show: { returnAll: [false] } },
      hint: `How many ${what} to return at most`,
    },
  ];
}

/** undefined for Return All, else the limit. */
export function limitOf(ctx: IExecuteFunctions, index: number): number | undefined {
  return ctx.getNodeParameter('returnAll', index, false) ? undefined : (ctx.getNodeParameter('limit', index, 50) as number);
}

export function categoryId(ctx: IExecuteFunctions, index: number, name = 'category'): string {
  return (ctx.getNodeParameter(name, index, '', { extractValue: true }) as string) ?? '';
}

/** Both nodes offer both credential types. */
export const authentication: INodeProperties = {
  displayName: 'Authentication',
  name: 'authentication',
  type: 'options',
  options: [
    { name: 'OAuth2 (Sign In Once)', value: 'oAuth2' },
    { name: 'Password (Unattended)', value: 'password' },
  ],
  default: 'oAuth2',
};

export const credentials: INodeCredentialDescription[] = [
  { name: 'mediaValetOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
  { name: 'mediaValetPasswordApi', required: true, displayOptions: { show: { authentication: ['password'] } } },
];

/** Category scope: the search operation and the trigger. */
export const categoryScope: INodeProperties[] = [
  { ...category, displayName: 'Category', description: 'Only assets in this category' },
  {
    displayName: 'Include Subcategories',
    name: 'includeSubcategories',
    type: 'boolean',
    default: true,
    description: 'Whether assets in the category\'s subcategories count too',
  },
];

/** Attribute values picked by name: asset update and upload. */
export const attributes: INodeProperties = {
  displayName: 'Attributes',
  name: 'attributes',
  type: 'fixedCollection',
  placeholder: 'Add Attribute',
  typeOptions: { multipleValues: true },
  default: {},
  options: [
    {
      displayName: 'Attribute',
      name: 'attribute',
      values: [
        {
          displayName: 'Name or ID',
          name: 'name',
          type: 'options',
          typeOptions: { loadOptionsMethod: 'getAttributes' },
          default: '',
          description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
        },
        { displayName: 'Value', name: 'value', type: 'string', default: '' },
      ],
    },
  ],
};

/** The rows of an attributes collection as attribute (name or id) → value. */
export function attributeValues(rows: Array<{ name: string; value: string }> | undefined): Record<string, string> | undefined {
  return rows?.length ? Object.fromEntries(rows.map((r) => [r.name, r.value])) : undefined;
}
