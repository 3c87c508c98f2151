// Credentials as a user would save them in n8n for the simulator: the password and client-credentials types, and the
// OAuth2 type after "Connect my account" (a real sign-in; n8n stores the token response).
import { authorizationServer, buildAuthorizationRequest, exchangeAuthorizationCode, validateAuthorizationResponse } from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { signInOverHttp } from '../helpers/browserless-login';
import { DEMO, type Sim } from '../helpers/simulator';
import { TestCredentialsHelper } from './credentials-helper';

const REDIRECT = DEMO.redirectUris[1];

/** What both credential types hold beside their sign-in: the simulator's hosts, key and secret. */
function connection(sim: Sim) {
  return { clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, apiUrl: sim.apiUrl, identityUrl: sim.identityUrl, allowInsecure: true, timeout: 10 };
}

export function passwordCredentials(sim: Sim, overrides: Record<string, unknown> = {}): TestCredentialsHelper {
  return new TestCredentialsHelper({
    mediaValetPasswordApi: {
      username: DEMO.users[0].username,
      password: DEMO.users[0].password,
      clientId: DEMO.clientId,
      ...connection(sim),
      ...overrides,
    },
  });
}

/** The Client Credentials type for a client the simulator has the grant enabled for (HTTP Basic unless told). */
export function clientCredentials(sim: Sim, overrides: Record<string, unknown> = {}): TestCredentialsHelper {
  return new TestCredentialsHelper({
    mediaValetClientCredentialsApi: {
      clientId: DEMO.serviceClientId,
      showAdvanced: true,
      ...connection(sim),
      ...overrides,
    },
  });
}

export async function oauth2Credentials(sim: Sim): Promise<TestCredentialsHelper> {
  const server = authorizationServer(sim.identityUrl, true);
  // The OAuth2 credential's default Client Authentication is the request body; on the strict
  // profile each client takes one way only, and mv-post-client is the body one.
  const client = { clientId: DEMO.postClientId, clientSecret: DEMO.clientSecret, clientAuth: 'post' as const };
  const request = buildAuthorizationRequest(server, client, { redirectUri: REDIRECT, scope: 'openid api offline_access' });
  const callback = await signInOverHttp(request.url, DEMO.users[0].username, DEMO.users[0].password, REDIRECT);
  const { code } = validateAuthorizationResponse(server, request.state, callback.searchParams);
  const tokens = await exchangeAuthorizationCode(createAxiosTransport(), server, client, { code, codeVerifier: request.codeVerifier, redirectUri: REDIRECT, nonce: request.nonce });
  return new TestCredentialsHelper({
    mediaValetOAuth2Api: {
      clientId: DEMO.postClientId,
      ...connection(sim),
      oauthTokenData: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, token_type: 'Bearer', expires_in: 20, scope: tokens.scope },
    },
  });
}
