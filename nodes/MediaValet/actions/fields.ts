// Fields several operations share, and the displayOptions plumbing.
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeCredentialDescription, INodeProperties, INodePropertyMode } from 'n8n-workflow';
import { ASSET_URL_PATTERN, CATEGORY_URL_PATTERN, compactAsset, locatedId } from '../../../core';
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

/** Version 1 took a plain asset id; version 2 picks, pastes a link or types an id. */
export type Show = NonNullable<IDisplayOptions['show']>;
export const v1: Show = { '@version': [1] };
export const v2: Show = { '@version': [{ _cnd: { gte: 2 } }] };
/** Version 3 shows Upload From URL's destination as main fields; versions 1 and 2 keep it in Options. */
export const v3: Show = { '@version': [{ _cnd: { gte: 3 } }] };
export const beforeV3: Show = { '@version': [{ _cnd: { lte: 2 } }] };

/** A resource locator's By URL mode: a MediaValet page link, checked and read with core's pattern. */
function urlMode(kind: string, plural: string, pattern: string, after: string): INodePropertyMode {
  return {
    displayName: 'By URL',
    name: 'url',
    type: 'string' as const,
    placeholder: `https://yourcompany.mediavalet.com/${plural}/3f1c2d4e-…`,
    hint: `The link of the ${kind}'s page in MediaValet: any link with the ${kind}'s ID after /${after}`,
    validation: [{ type: 'regex', properties: { regex: pattern, errorMessage: `Not a MediaValet ${kind} link: it needs the ${kind} ID (a GUID) after /${plural}/` } }],
    extractValue: { type: 'regex', regex: pattern },
  };
}

const assetIdV1: INodeProperties = {
  displayName: 'Asset ID',
  name: 'assetId',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'e.g. 3f1c2d4e-…',
  description: 'The ID of the asset, for example from a Search operation or the MediaValet trigger',
  displayOptions: { show: v1 },
};

const assetLocator: INodeProperties = {
  displayName: 'Asset',
  name: 'assetId',
  type: 'resourceLocator',
  default: { mode: 'list', value: '' },
  required: true,
  description: 'The asset: search it by title, paste the link of its page in MediaValet, or give its ID (for example from a Search)',
  modes: [
    { displayName: 'From List', name: 'list', type: 'list', placeholder: 'Search by title…', typeOptions: { searchListMethod: 'searchAssets', searchable: true, searchFilterRequired: false } },
    urlMode('asset', 'assets', ASSET_URL_PATTERN, 'asset/ or /assets/'),
    { displayName: 'ID', name: 'id', type: 'string', placeholder: 'e.g. 3f1c2d4e-0000-4000-8000-000000000001', hint: 'The asset\'s ID, e.g. {{ $json.id }} from a Search or the trigger' },
  ],
  displayOptions: { show: v2 },
};

/** The asset field, in both versions' shapes. */
export const assetId: INodeProperties[] = [assetIdV1, assetLocator];

/** The asset id however it was given: v1's plain id, a picked asset, a link or an id (what an AI agent passes). */
export function assetIdOf(ctx: IExecuteFunctions, index: number): string {
  return locatedId('asset', valueOf(ctx.getNodeParameter('assetId', index, '')), 'Asset');
}

/** A locator's value (or v1's plain one) as given: core checks its type, so `{}` is refused, not sent as "[object Object]". */
function valueOf(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && ('__rl' in raw || ('mode' in raw && 'value' in raw))) return (raw as Record<string, unknown>).value ?? '';
  return raw ?? '';
}

export const category: INodeProperties = {
  displayName: 'Category',
  name: 'category',
  type: 'resourceLocator',
  default: { mode: 'list', value: '' },
  description: 'Pick the category from the tree, paste the link of its page in MediaValet, or give its ID',
  modes: [
    { displayName: 'From List', name: 'list', type: 'list', placeholder: 'Search by name or path…', typeOptions: { searchListMethod: 'searchCategories', searchable: true } },
    urlMode('category', 'categories', CATEGORY_URL_PATTERN, 'category/ or /categories/'),
    { displayName: 'ID', name: 'id', type: 'string', placeholder: 'e.g. c0000000-0000-4000-8000-000000000001' },
  ],
};

/** Version 2: the compact asset by default, as n8n's own nodes simplify. */
export const simplify: INodeProperties = {
  displayName: 'Simplify',
  name: 'simplify',
  type: 'boolean',
  default: true,
  description:
    'Whether to return a compact asset (ID, title, file name, type, size, dates, categories, keywords, thumbnail and original links) instead of the whole record. The compact form suits AI agents.',
  displayOptions: { show: v2 },
};

/** An asset as the node outputs it: compact when Simplify is on (version 1 has no Simplify: whole). */
export function assetOutput(ctx: IExecuteFunctions, index: number, asset: unknown): IDataObject {
  return (ctx.getNodeParameter('simplify', index, false) ? compactAsset(asset) : asset) as IDataObject;
}

export function returnAll(what: string, options: { defaultAll?: boolean; show?: Show } = {}): INodeProperties[] {
  const toggle: INodeProperties = {
    displayName: 'Return All',
    name: 'returnAll',
    type: 'boolean',
    default: false,
    description: 'Whether to return all results or only up to a given limit',
    ...(options.show ? { displayOptions: { show: options.show } } : {}),
  };
  return [
    options.defaultAll ? { ...toggle, default: true } : toggle,
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 50,
      description: 'Max number of results to return',
      displayOptions: { show: { ...options.show, returnAll: [false] } },
      hint: `How many ${what} to return at most`,
    },
  ];
}

/** undefined for Return All, else the limit. */
export function limitOf(ctx: IExecuteFunctions, index: number): number | undefined {
  return ctx.getNodeParameter('returnAll', index, false) ? undefined : (ctx.getNodeParameter('limit', index, 50) as number);
}

/** The category id however it was given; an optional one left empty is ''. */
export function categoryId(ctx: IExecuteFunctions, index: number, name = 'category', optional = false): string {
  const value = valueOf(ctx.getNodeParameter(name, index, ''));
  return optional && (value === '' || (typeof value === 'string' && !value.trim())) ? '' : locatedId('category', value, name.endsWith('parent') ? 'Parent Category' : 'Category');
}

/** Both nodes offer the three credential types. */
export const authentication: INodeProperties = {
  displayName: 'Authentication',
  name: 'authentication',
  type: 'options',
  options: [
    { name: 'OAuth2 (Sign In Once)', value: 'oAuth2', description: 'Sign in once in the browser; n8n keeps the session fresh' },
    { name: 'Password (Unattended)', value: 'password', description: 'A MediaValet user name and password, for service accounts' },
    {
      name: 'Client Credentials (Unattended, No User)',
      value: 'clientCredentials',
      description: 'The integration signs in as itself, once MediaValet has enabled client credentials for its client ID',
    },
  ],
  default: 'oAuth2',
  description: 'How the node signs in to MediaValet',
};

export const credentials: INodeCredentialDescription[] = [
  { name: 'mediaValetOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
  { name: 'mediaValetPasswordApi', required: true, displayOptions: { show: { authentication: ['password'] } } },
  { name: 'mediaValetClientCredentialsApi', required: true, displayOptions: { show: { authentication: ['clientCredentials'] } } },
];

/** Category scope: the search operation and the trigger. */
export const categoryScope: INodeProperties[] = [
  { ...category, displayName: 'Category', description: 'Only assets in this category: pick it, paste its link or give its ID' },
  {
    displayName: 'Include Subcategories',
    name: 'includeSubcategories',
    type: 'boolean',
    default: true,
    description: 'Whether assets in the category\'s subcategories count too',
    // Means nothing without a category.
    displayOptions: { show: { category: [{ _cnd: { exists: true } }] } },
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
        { displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The attribute\'s value; dates as YYYY-MM-DD' },
      ],
    },
  ],
};

/** The rows of an attributes collection as attribute (name or id) → value. */
export function attributeValues(rows: Array<{ name: string; value: string }> | undefined): Record<string, string> | undefined {
  return rows?.length ? Object.fromEntries(rows.map((r) => [r.name, r.value])) : undefined;
}
