import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestHelper, Icon, INodeProperties } from 'n8n-workflow';
import { advanced, advancedSwitch, allowInsecure, clientAuth, clientId, clientSecret, connection, identityUrl, subscriptionKey, timeout } from './fields';
import { credentialSignIn, signedInHeaders, signedInTest, signedInToken } from '../nodes/MediaValet/transport/credential-sign-in';

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
    signedInToken,
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

  async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
    return credentialSignIn(this, credentials, { username: credentials.username as string, password: credentials.password as string });
  }

  authenticate = signedInHeaders;

  test = signedInTest;
}
