import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';
import { allowInsecure, clientId, clientSecret, connection, identityUrl, subscriptionKey, testRequest, timeout } from './fields';

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
        'Ask MediaValet support for a client ID and client secret, and to whitelist the OAuth Redirect URL shown above. The subscription key is in MediaValet\'s developer portal.',
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
    // Replace oAuth2Api's own Client ID and Secret in place (first on the form), saying where to get them.
    clientId,
    clientSecret,
    subscriptionKey,
    // No Advanced Settings switch here: n8n merges an extending credential's fields by name, so
    // advanced()'s copies of one setting would collapse into one, and a setting hidden behind
    // the switch would reach the node empty. The settings follow a notice instead.
    {
      displayName: 'The settings below suit MediaValet\'s cloud as they are: change them only if MediaValet asks.',
      name: 'advancedNotice',
      type: 'notice',
      default: '',
    },
    identityUrl,
    ...connection,
    // n8n's OAuth client puts the client secret into the Basic header as it is, without the
    // form-encoding RFC 6749 2.3.1 asks for; MediaValet's identity server decodes it, so a
    // secret with ":", "+" or "%" never matches that way. In the body it always arrives intact.
    {
      displayName: 'Client Authentication',
      name: 'authentication',
      type: 'options',
      options: [
        { name: 'In the Request Body (Recommended)', value: 'body', description: 'Works with any client secret' },
        { name: 'HTTP Basic Header', value: 'header', description: 'Fails when the client secret contains : + % or other reserved characters' },
      ],
      default: 'body',
      description:
        'How n8n sends the client ID and secret to MediaValet. Keep "In the Request Body": with "HTTP Basic Header", n8n sends the secret without the encoding MediaValet expects, so a secret containing : + % or similar characters is rejected as invalid_client when you connect.',
    },
    timeout,
    allowInsecure,
    {
      displayName:
        'If connecting fails with "invalid_client" and your client secret contains : + % or other punctuation, switch Client Authentication to "In the Request Body".',
      name: 'headerNotice',
      type: 'notice',
      default: '',
      displayOptions: { show: { authentication: ['header'] } },
    },
  ];

  test: ICredentialTestRequest = {
    request: {
      ...testRequest,
      headers: {
        'Ocp-Apim-Subscription-Key': '={{$credentials.subscriptionKey}}',
        'x-mv-api-version': '={{$credentials.apiVersion}}',
      },
    },
  };
}
