import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_API_URL, DEFAULT_API_VERSION, DEFAULT_IDENTITY_URL, DEFAULT_TIMEOUT_SECONDS } from '../core';

// The MediaValet credential style, shared by every credential type:
// 1. the fields a user must fill come first, each saying where to get its value;
// 2. everything else waits behind one "Advanced Settings" switch (advanced() below).

/** Where the values come from, said once so every credential says the same. */
export const WHERE_FROM = {
  client: 'MediaValet support issues it for your integration (ask them for API access)',
  subscriptionKey:
    'From MediaValet\'s developer portal: sign in, open your profile and copy the primary key of your API subscription (MediaValet support approves the subscription). Sent as Ocp-Apim-Subscription-Key.',
};

export const clientId: INodeProperties = {
  displayName: 'Client ID',
  name: 'clientId',
  type: 'string',
  default: '',
  required: true,
  description: `The client ID of your integration. ${WHERE_FROM.client}.`,
};

export const clientSecret: INodeProperties = {
  displayName: 'Client Secret',
  name: 'clientSecret',
  type: 'string',
  typeOptions: { password: true },
  default: '',
  required: true,
  description: `The client secret that came with the client ID. ${WHERE_FROM.client}.`,
};

export const subscriptionKey: INodeProperties = {
  displayName: 'Subscription Key',
  name: 'subscriptionKey',
  type: 'string',
  // A secret: it authorises every call to MediaValet's API gateway.
  typeOptions: { password: true },
  default: '',
  required: true,
  description: WHERE_FROM.subscriptionKey,
};

/** The one switch; off for new credentials. */
export const advancedSwitch: INodeProperties = {
  displayName: 'Advanced Settings',
  name: 'showAdvanced',
  type: 'boolean',
  default: false,
  description:
    'Whether to show the sign-in server, API address and version, client authentication, timeout and local-testing settings. Their defaults suit MediaValet\'s cloud: change them only if MediaValet asks.',
};

/**
 * The settings behind the switch. n8n hands a node only the credential fields whose display
 * conditions hold (applyDefaultsAndOverwrites drops the others), so each setting is listed
 * three times under one name and exactly one copy holds in every state: shown with the switch
 * on; shown with the switch off once its value is not the default (a regional API URL, an
 * older identity server, a credential saved before the switch existed, so nothing a user set
 * is ever out of sight); an invisible copy otherwise. Every value reaches the node.
 */
export function advanced(fields: INodeProperties[]): INodeProperties[] {
  return fields.flatMap((field) => {
    const when = (showAdvanced: boolean, value?: object) => ({ show: { ...field.displayOptions?.show, showAdvanced: [showAdvanced], ...(value ? { [field.name]: [value] } : {}) } });
    return [
      { ...field, displayOptions: when(true) },
      { ...field, displayOptions: when(false, { _cnd: { not: field.default } }) },
      { displayName: field.displayName, name: field.name, type: 'hidden' as const, default: field.default, displayOptions: when(false, { _cnd: { eq: field.default } }) },
    ];
  });
}

export const identityUrl: INodeProperties = {
  displayName: 'Identity Server URL',
  name: 'identityUrl',
  type: 'string',
  default: DEFAULT_IDENTITY_URL,
  description: 'MediaValet\'s sign-in server. Older accounts may use https://iam.mediavalet.com.',
};

export const apiUrl: INodeProperties = {
  displayName: 'API URL',
  name: 'apiUrl',
  type: 'string',
  default: DEFAULT_API_URL,
  description: 'MediaValet\'s API gateway. Change it only if MediaValet gave you a regional address.',
};

export const apiVersion: INodeProperties = {
  displayName: 'API Version',
  name: 'apiVersion',
  type: 'options',
  options: [
    { name: '1.0', value: '1.0' },
    { name: '1.1', value: '1.1' },
    { name: '1.2 (Recommended)', value: '1.2' },
  ],
  default: DEFAULT_API_VERSION,
  description: 'The API version sent with every call (x-mv-api-version). Version 1.2 reports missing permissions as 403 instead of 401.',
};

/** API URL and version, which every credential type carries. */
export const connection: INodeProperties[] = [apiUrl, apiVersion];

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
  default: DEFAULT_TIMEOUT_SECONDS,
  description: 'How long to wait for each answer from MediaValet before retrying (reads) or failing (writes)',
};

/** Client authentication for the credentials that sign in through our own code (Password, Client Credentials). */
export const clientAuth: INodeProperties = {
  displayName: 'Client Authentication',
  name: 'clientAuth',
  type: 'options',
  options: [
    { name: 'HTTP Basic (Default)', value: 'basic' },
    { name: 'In the Request Body', value: 'post' },
  ],
  default: 'basic',
  description: 'How the client ID and secret are sent when signing in; change it only if MediaValet asks',
};

export const testRequest = {
  baseURL: '={{$credentials.apiUrl.replace(/\\/+$/, "")}}',
  url: '/users/current',
};
