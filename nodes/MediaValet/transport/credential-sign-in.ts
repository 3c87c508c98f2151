// The sign-in of the credentials whose tokens our code obtains (Password, Client Credentials):
// n8n keeps the access token in a hidden expirable field and calls preAuthentication when it is
// empty or MediaValet answered 401. The process's shared sign-in makes that one token request
// however many executions ask at the same moment.
import type { IAuthenticateGeneric, ICredentialDataDecryptedObject, ICredentialTestRequest, IHttpRequestHelper, INodeProperties } from 'n8n-workflow';
import { authorizationServer, DEFAULT_IDENTITY_URL, type HttpTransport, type PasswordLogin, type SharedSignInRequest, sharedSignIns } from '../../../core';
import { testRequest } from '../../../credentials/fields';
import { n8nTransport } from './n8n-transport';
import { signingIn } from './sign-in-error';

/** Where n8n keeps the token: hidden, and expirable, so n8n calls preAuthentication when it is empty or refused. */
export const signedInToken: INodeProperties = {
  displayName: 'Access Token',
  name: 'accessToken',
  type: 'hidden',
  typeOptions: { expirable: true, password: true },
  default: '',
};

/** What the process's shared sign-in needs for these credentials: a user's login for Password, none for Client Credentials. */
export function signInRequest(transport: HttpTransport, credentials: ICredentialDataDecryptedObject, login?: PasswordLogin): SharedSignInRequest {
  return {
    transport,
    server: authorizationServer((credentials.identityUrl as string) || DEFAULT_IDENTITY_URL, credentials.allowInsecure === true),
    client: { clientId: credentials.clientId as string, clientSecret: credentials.clientSecret as string, clientAuth: credentials.clientAuth === 'post' ? 'post' : 'basic' },
    login,
    serviceScope: login ? undefined : (credentials.scope as string) || undefined,
  };
}

/** An access token for these credentials. A refusal leaves as an error the credential test and the node can both show. */
export function credentialSignIn(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, login?: PasswordLogin): Promise<{ accessToken: string }> {
  return signingIn(async () => {
    const transport = n8nTransport((options) => helper.helpers.httpRequest(options), false);
    const accessToken = await sharedSignIns.accessToken(signInRequest(transport, credentials, login), (credentials.accessToken as string) || undefined);
    return { accessToken };
  });
}

/** The bearer token, the subscription key and the API version on every request. */
export const signedInHeaders: IAuthenticateGeneric = {
  type: 'generic',
  properties: {
    headers: {
      Authorization: '=Bearer {{$credentials.accessToken}}',
      'Ocp-Apim-Subscription-Key': '={{$credentials.subscriptionKey}}',
      'x-mv-api-version': '={{$credentials.apiVersion}}',
    },
  },
};

/** The Test button: signs in (preAuthentication), then reads the current user. */
export const signedInTest: ICredentialTestRequest = {
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
