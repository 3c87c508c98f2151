// Get Token: for endpoints this node does not model, hands a downstream HTTP Request node
// ready headers. The token then sits in the execution data, hence the warning.
import { resource } from '../fields';
import type { Operation } from '../types';
import { credentialType } from '../../transport/client';

function jwtExpiry(token: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null;
  } catch {
    return null;
  }
}

const getToken: Operation = {
  properties: [
    {
      displayName:
        'The access token is stored in this workflow\'s execution data, where anyone who can see executions can read it. Prefer the API Request operation, which calls any endpoint without exposing the token.',
      name: 'tokenNotice',
      type: 'notice',
      default: '',
    },
  ],
  async execute({ ctx, client }) {
    // An authenticated call first: an expired token is renewed on its 401 (OAuth2: n8n stores it).
    await client.request({ method: 'GET', path: '/users/current' });
    const headers = await client.authHeaders();
    // Password: the client's own token, from the shared sign-in. OAuth2: the one n8n stored.
    const ours = headers.Authorization?.replace(/^Bearer /, '');
    const credentials = ours ? undefined : await ctx.getCredentials(credentialType(ctx));
    const tokenData = credentials?.oauthTokenData as { access_token?: string; expires_in?: number } | undefined;
    const accessToken = ours ?? tokenData?.access_token ?? (credentials?.accessToken as string);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresAt: jwtExpiry(accessToken),
      baseUrl: client.apiUrl,
      headers: { ...headers, Authorization: `Bearer ${accessToken}` },
    };
  },
};

export const auth = resource(
  'auth',
  [{ value: 'getToken', name: 'Get Token', action: 'Get an access token', description: 'Output a token and ready headers for an HTTP Request node', operation: getToken }],
  'getToken',
);
