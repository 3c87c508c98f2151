import type {
  IAuthenticateGeneric,
  ICredentialDataDecryptedObject,
  ICredentialTestRequest,
  ICredentialType,
  IHttpRequestHelper,
  Icon,
  INodeProperties,
} from 'n8n-workflow';
import { authorizationServer, sharedSignIns } from '../core';
import { advanced, advancedSwitch, allowInsecure, clientAuth, clientId, clientSecret, connection, identityUrl, subscriptionKey, testRequest, timeout } from './fields';
import { n8nTransport } from '../nodes/MediaValet/transport/n8n-transport';
import { signingIn } from '../nodes/MediaValet/transport/sign-in-error';

// Resource-owner password grant, for unattended workflows. n8n keeps the access token in
// a hidden expirable field; preAuthentication signs in again (through core, over n8n's
// request helper) when it is empty or MediaValet answered 401, once per process however
// many executions ask at the same moment.
export class MediaValetPasswordApi implements ICredentialType {
  name = 'mediaValetPasswordApi';

  displayName = 'MediaValet Password API';

  icon: Icon = { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' };

  documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-mediavalet#before-you-start-what-to-ask-mediavalet-for';

  properties: INodeProperties[] = [
    {
      displayName: 'Access Token',
      name: 'accessToken',
      type: 'hidden',
      typeOptions: { expirable: true, password: true },
      default: '',
    },
    // What a user must fill, in the order they have it to hand; where each comes from in its description.
    {
      displayName: 'Username',
      name: 'username',
      type: 'string',
      default: '',
      required: true,
      description: 'A MediaValet user, ideally a service account made for this workflow (your MediaValet administrator creates it)',
    },
    {
      displayName: 'Password',
      name: 'password',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'That user\'s MediaValet password',
    },
    clientId,
    clientSecret,
    subscriptionKey,
    advancedSwitch,
    ...advanced([identityUrl, ...connection, clientAuth, timeout, allowInsecure]),
  ];

  // A refused sign-in leaves as an error the credential test and the node can both show.
  async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
    return signingIn(() => signIn(this, credentials));
  }

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: {
        Authorization: '=Bearer {{$credentials.accessToken}}',
        'Ocp-Apim-Subscription-Key': '={{$credentials.subscriptionKey}}',
        'x-mv-api-version': '={{$credentials.apiVersion}}',
      },
    },
  };

  test: ICredentialTestRequest = {
    request: testRequest,
    rules: [
      {
        type: 'responseCode',
        properties: {
          value: 401,
          message: 'MediaValet rejected the subscription key (HTTP 401). Check the Subscription Key field.',
        },
      },
    ],
  };
}

async function signIn(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
  const server = authorizationServer(credentials.identityUrl as string, credentials.allowInsecure === true);
  // Shared by every execution in this process: one sign-in for a burst of expired or rejected tokens.
  const accessToken = await sharedSignIns.accessToken(
    {
      transport: n8nTransport((options) => helper.helpers.httpRequest(options), false),
      server,
      client: { clientId: credentials.clientId as string, clientSecret: credentials.clientSecret as string, clientAuth: credentials.clientAuth === 'post' ? 'post' : 'basic' },
      login: { username: credentials.username as string, password: credentials.password as string },
    },
    (credentials.accessToken as string) || undefined,
  );
  return { accessToken };
}
