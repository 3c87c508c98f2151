import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

// n8n runs the authorization-code flow (with PKCE) and renews and stores the tokens,
// rotated refresh tokens included. MediaValet also needs the subscription key on every
// call; the MediaValet node adds it.
export class MediaValetOAuth2Api implements ICredentialType {
  name = 'mediaValetOAuth2Api';

  extends = ['oAuth2Api'];

  displayName = 'MediaValet OAuth2 API';

  icon: Icon = { light: 'file:mediavalet.svg', dark: 'file:mediavalet.dark.svg' };

  documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-mediavalet#before-you-start-what-to-ask-mediavalet-for';

  properties: INodeProperties[] = [
    {
      displayName:
        'Ask MediaValet support for a client ID, client secret and subscription key, and to whitelist the OAuth Redirect URL shown above.',
      name: 'notice',
      type: 'notice',
      default: '',
    },
    {
      displayName: 'Grant Type',
      name: 'grantType',
      type: 'hidden',
      default: 'pkce',
    },
    {
      displayName: 'Identity Server URL',
      name: 'identityUrl',
      type: 'string',
      default: 'https://login.mediavalet.com',
      description: 'MediaValet\'s sign-in server. Older accounts may use https://iam.mediavalet.com.',
    },
    {
      displayName: 'Authorization URL',
      name: 'authUrl',
      type: 'hidden',
      default: '={{$self["identityUrl"].replace(/\\/+$/, "")}}/connect/authorize',
    },
    {
      displayName: 'Access Token URL',
      name: 'accessTokenUrl',
      type: 'hidden',
      default: '={{$self["identityUrl"].replace(/\\/+$/, "")}}/connect/token',
    },
    {
      displayName: 'Scope',
      name: 'scope',
      type: 'hidden',
      default: 'openid api offline_access',
    },
    {
      displayName: 'Auth URI Query Parameters',
      name: 'authQueryParameters',
      type: 'hidden',
      default: '',
    },
    {
      displayName: 'Authentication',
      name: 'authentication',
      type: 'hidden',
      default: 'header',
    },
    {
      displayName: 'Subscription Key',
      name: 'subscriptionKey',
      type: 'string',
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
    },
    {
      displayName: 'API Version',
      name: 'apiVersion',
      type: 'options',
      options: [
        { name: '1.2 (Recommended)', value: '1.2' },
        { name: '1.1', value: '1.1' },
        { name: '1.0', value: '1.0' },
      ],
      default: '1.2',
      description: 'Version 1.2 reports missing permissions as 403 instead of 401',
    },
    {
      displayName: 'Allow Insecure (Local Testing)',
      name: 'allowInsecure',
      type: 'boolean',
      default: false,
      description: 'Whether to accept http:// for 127.0.0.1 and localhost, for the local MediaValet simulator. MediaValet itself needs HTTPS.',
    },
  ];

  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.apiUrl.replace(/\\/+$/, "")}}',
      url: '/users/current',
      headers: {
        'Ocp-Apim-Subscription-Key': '={{$credentials.subscriptionKey}}',
        'x-mv-api-version': '={{$credentials.apiVersion}}',
      },
    },
  };
}
