import type { INodeProperties } from 'n8n-workflow';

// Fields both MediaValet credential types carry.

export const identityUrl: INodeProperties = {
  displayName: 'Identity Server URL',
  name: 'identityUrl',
  type: 'string',
  default: 'https://login.mediavalet.com',
  description: 'MediaValet\'s sign-in server. Older accounts may use https://iam.mediavalet.com.',
};

export const connection: INodeProperties[] = [
  {
    displayName: 'Subscription Key',
    name: 'subscriptionKey',
    type: 'string',
    // A secret: it authorises every call to MediaValet's API gateway.
    typeOptions: { password: true },
    default: '',
    required: true,
    description: 'The API subscription key from MediaValet\'s developer portal (sent as Ocp-Apim-Subscription-Key)',
  },
  {
    displayName: 'API URL',
    name: 'apiUrl',
    type: 'string',
    default: 'https://api.mediavalet.com',
    description: 'MediaValet\'s API gateway. Change it only if MediaValet gave you a regional address.',
  },
  {
    displayName: 'API Version',
    name: 'apiVersion',
    type: 'options',
    options: [
      { name: '1.0', value: '1.0' },
      { name: '1.1', value: '1.1' },
      { name: '1.2 (Recommended)', value: '1.2' },
    ],
    default: '1.2',
    description: 'The API version sent with every call (x-mv-api-version). Version 1.2 reports missing permissions as 403 instead of 401.',
  },
];

export const allowInsecure: INodeProperties = {
  displayName: 'Allow Insecure (Local Testing)',
  name: 'allowInsecure',
  type: 'boolean',
  default: false,
  description: 'Whether to accept http:// for 127.0.0.1 and localhost, for the local MediaValet simulator. MediaValet itself needs HTTPS.',
};

export const timeout: INodeProperties = {
  displayName: 'Timeout (Seconds)',
  name: 'timeout',
  type: 'number',
  typeOptions: { minValue: 1, maxValue: 3600 },
  default: 60,
  description: 'How long to wait for each answer from MediaValet before retrying (reads) or failing (writes)',
};

export const testRequest = {
  baseURL: '={{$credentials.apiUrl.replace(/\\/+$/, "")}}',
  url: '/users/current',
};
