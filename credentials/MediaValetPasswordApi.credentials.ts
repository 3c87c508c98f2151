import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestHelper, Icon, INodeProperties } from 'n8n-workflow';
import { allowInsecure, connection, identityUrl, timeout } from './fields';
import { credentialSignIn, signedInHeaders, signedInTest } from '../nodes/MediaValet/transport/credential-sign-in';

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
    {
      displayName: 'Username',
      name: 'username',
      type: 'string',
      default: '',
      required: true,
      description: 'A MediaValet user, ideally a service account for this workflow',
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
    {
      displayName: 'Client ID',
      name: 'clientId',
      type: 'string',
      default: '',
      required: true,
      description: 'The client ID MediaValet support issued for this integration',
    },
    {
      displayName: 'Client Secret',
      name: 'clientSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      description: 'The client secret that came with the client ID',
    },
    // The sign-in server before the API settings: the order a user fills them in.
    identityUrl,
    ...connection,
    {
      displayName: 'Client Authentication',
      name: 'clientAuth',
      type: 'options',
      options: [
        { name: 'HTTP Basic (Default)', value: 'basic' },
        { name: 'In the Request Body', value: 'post' },
      ],
      default: 'basic',
      description: 'How the client ID and secret are sent when signing in; change it only if MediaValet asks',
    },
    timeout,
    allowInsecure,
  ];

  async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
    return credentialSignIn(this, credentials, { username: credentials.username as string, password: credentials.password as string });
  }

  authenticate = signedInHeaders;

  test = signedInTest;
}
