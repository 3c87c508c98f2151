// What n8n's CredentialsHelper (packages/cli) does with our credential types, for
// in-process runs where n8n's database and credential store are absent:
// - stored data gets the type's defaults and its `={{…}}` expressions resolved ($self too),
//   as n8n's applyDefaultsAndOverwrites does, so the OAuth2 URLs come from identityUrl;
// - preAuthentication runs when the expirable field is empty, and again when n8n-core says a
//   request got 401 (credentialsExpired), and what it returns is saved;
// - a generic `authenticate` sets its headers with `$credentials` expressions resolved;
// - oauthTokenData that n8n-core renews (its own requestOAuth2) is saved, rotation included.
// The real-n8n e2e proves n8n's own layer; this proves our code against n8n-core.
import {
  type ICredentialDataDecryptedObject,
  type ICredentials,
  ICredentialsHelper,
  type ICredentialType,
  type IHttpRequestHelper,
  type IHttpRequestOptions,
  type INode,
  type INodeCredentialsDetails,
  type INodeParameters,
  type INodeProperties,
  type IRequestOptionsSimplified,
  NodeHelpers,
  Workflow,
} from 'n8n-workflow';
import { MediaValetClientCredentialsApi } from '../../credentials/MediaValetClientCredentialsApi.credentials';
import { MediaValetOAuth2Api } from '../../credentials/MediaValetOAuth2Api.credentials';
import { MediaValetPasswordApi } from '../../credentials/MediaValetPasswordApi.credentials';
import { nodeTypes } from './node-types';

// The fields of n8n's own oAuth2Api (nodes-base) that our OAuth2 credential inherits and
// n8n-core's requestOAuth2 reads; the child's hidden fields override the rest.
const oAuth2Api: ICredentialType = {
  name: 'oAuth2Api',
  displayName: 'OAuth2 API',
  properties: [
    { displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
    { displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: '' },
    { displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: '' },
    { displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
    { displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '' },
    { displayName: 'Scope', name: 'scope', type: 'hidden', default: '' },
    { displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
    { displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
    { displayName: 'Ignore SSL Issues', name: 'ignoreSSLIssues', type: 'boolean', default: false },
  ],
};

const types: Record<string, ICredentialType> = Object.fromEntries([new MediaValetOAuth2Api(), new MediaValetPasswordApi(), new MediaValetClientCredentialsApi(), oAuth2Api].map((t) => [t.name, t]));

function typeNamed(name: string): ICredentialType {
  const type = types[name];
  if (!type) throw new Error(`unknown credential type ${name}`);
  return type;
}

// Expressions in credentials resolve on a node-less workflow, as in n8n.
const resolver = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: nodeTypes() });
const mockNode: INode = { id: 'credentials', name: '', typeVersion: 1, type: 'mock', position: [0, 0], parameters: {} };

function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

export class TestCredentialsHelper extends ICredentialsHelper {
  /** What n8n would hold in its database, by credential type. */
  readonly stored: Record<string, ICredentialDataDecryptedObject> = {};

  /** How often preAuthentication signed in, and n8n-core saved renewed OAuth2 tokens. */
  readonly counts = { preAuthentication: 0, oauthTokenSaves: 0 };

  constructor(credentials: Record<string, ICredentialDataDecryptedObject>) {
    super();
    for (const [type, data] of Object.entries(credentials)) this.stored[type] = { ...data };
  }

  getParentTypes(name: string): string[] {
    const parents = typeNamed(name).extends ?? [];
    return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
  }

  getCredentialsProperties(type: string): INodeProperties[] {
    const definition = typeNamed(type);
    if (!definition.extends) {
      return type === 'oAuth2Api' ? [...definition.properties, { displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', default: {} }] : definition.properties;
    }
    const merged: INodeProperties[] = [];
    for (const parent of definition.extends) NodeHelpers.mergeNodeProperties(merged, this.getCredentialsProperties(parent));
    NodeHelpers.mergeNodeProperties(merged, definition.properties);
    return merged;
  }

  async getCredentials(): Promise<ICredentials> {
    throw new Error('not used: the stored data is read through getDecrypted');
  }

  async getDecrypted(_additionalData: unknown, _nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
    const original = this.stored[type];
    if (!original) throw new Error(`no ${type} credential stored for this test`);
    const properties = this.getCredentialsProperties(type);
    const withDefaults = NodeHelpers.getNodeParameters(properties, original as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
    if (original.oauthTokenData !== undefined) withDefaults.oauthTokenData = original.oauthTokenData;
    return resolver.expression.getComplexParameterValue(mockNode, withDefaults as INodeParameters, 'internal', {}, undefined, undefined, withDefaults) as ICredentialDataDecryptedObject;
  }

  async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
    this.stored[type] = { ...data };
  }

  async updateCredentialsOauthTokenData(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
    this.counts.oauthTokenSaves++;
    this.stored[type] = { ...this.stored[type], oauthTokenData: data.oauthTokenData };
  }

  async preAuthentication(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string, node: INode, credentialsExpired: boolean): Promise<ICredentialDataDecryptedObject | undefined> {
    const type = typeNamed(typeName);
    const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
    if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
    if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
    this.counts.preAuthentication++;
    const output = await type.preAuthentication.call(helpers, credentials);
    if (output[expirable.name] === undefined) return undefined;
    if (!node.credentials) return undefined;
    // Saved without overwriting a field the user wrote as an expression.
    const stored = this.stored[typeName] ?? {};
    const toSave = { ...stored };
    for (const [key, value] of Object.entries(output)) if (key === expirable.name || !isExpression(stored[key])) toSave[key] = value;
    await this.updateCredentials(node.credentials[typeName], typeName, toSave);
    return Object.assign(credentials, output);
  }

  async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions | IRequestOptionsSimplified, workflow: Workflow, node: INode): Promise<IHttpRequestOptions> {
    const { authenticate } = typeNamed(typeName);
    if (typeof authenticate === 'function') return authenticate(credentials, requestOptions as IHttpRequestOptions);
    if (authenticate?.type === 'generic') {
      const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
      for (const [section, values] of Object.entries(authenticate.properties)) {
        target[section] ??= {};
        for (const [key, value] of Object.entries(values as Record<string, string>)) {
          const resolve = (v: string) => (isExpression(v) ? String(workflow.expression.getSimpleParameterValue(node, v, 'internal', { $credentials: credentials }, undefined, '') ?? '') : v);
          target[section][resolve(key)] = resolve(value);
        }
      }
    }
    return requestOptions as IHttpRequestOptions;
  }
}
