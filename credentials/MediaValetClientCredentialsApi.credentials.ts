import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestHelper, Icon, INodeProperties } from 'n8n-workflow';
import { DEFAULT_SERVICE_SCOPE } from '../core';
import { advanced, advancedSwitch, allowInsecure, apiUrl, apiVersion, clientAuth, clientId, clientSecret, identityUrl, subscriptionKey, timeout } from './fields';
import { credentialSignIn, signedInHeaders, signedInTest, signedInToken } from '../nodes/MediaValet/transport/credential-sign-in';

// The client-credentials grant: the integration signs in as itself, with no user's password,
// which MediaValet announces as its preferred sign-in once it ships. There is no refresh token:
// preAuthentication asks for a new token when n8n's is empty or refused, through our own code
// (n8n's OAuth2 client would put the raw secret in a Basic header, which MediaValet's identity
// server decodes), once per process however many executions share the credential.
export class MediaValetClientCredentialsApi implements ICredentialType {
  name = 'mediaValetClientCredentialsApi';

  displayName = 'MediaValet Client Credentials API';

  icon: Icon = { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' };

  documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-mediavalet#which-sign-in';

  properties: INodeProperties[] = [
    signedInToken,
    {
      displayName:
        'MediaValet enables client credentials per client and has announced them as "coming soon": ask MediaValet support to enable them for your client ID. Until then, use the Password credential.',
      name: 'notice',
      type: 'notice',
      default: '',
    },
    clientId,
    clientSecret,
    subscriptionKey,
    {
      displayName: 'Scope',
      name: 'scope',
      type: 'string',
      default: DEFAULT_SERVICE_SCOPE,
      description: `What the integration asks MediaValet for. Keep ${DEFAULT_SERVICE_SCOPE} unless MediaValet support gives you another scope.`,
    },
    advancedSwitch,
    ...advanced([identityUrl, apiUrl, apiVersion, clientAuth, timeout, allowInsecure]),
  ];

  async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
    return credentialSignIn(this, credentials);
  }

  authenticate = signedInHeaders;

  test = signedInTest;
}
