// The MediaValet client for one node run: core's client over n8n's request helpers, with
// whichever of the three credential types the node uses. The credential is read and decrypted
// once per run, not once per request.
import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { DEFAULT_API_URL, MediaValetClient, secureUrl, sharedSignIns, timeoutMs } from '../../../core';
import { signInRequest } from './credential-sign-in';
import { n8nTransport } from './n8n-transport';
import { n8nSleep } from './sleep';

/** The node's Authentication choice → the credential type it uses. */
export function credentialTypeFor(authentication: string): string {
  if (authentication === 'password') return 'mediaValetPasswordApi';
  if (authentication === 'clientCredentials') return 'mediaValetClientCredentialsApi';
  return 'mediaValetOAuth2Api';
}

type Context = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export function credentialType(ctx: Context): string {
  return credentialTypeFor(ctx.getNodeParameter('authentication', 0, 'oAuth2') as string);
}

/** Page caps learned from MediaValet, per API URL, for the process: n8n builds a client per run. */
const pageCaps = new Map<string, number>();

export async function mediaValetClient(ctx: Context, inFlight?: number): Promise<MediaValetClient> {
  return mediaValetClientWith(ctx, credentialType(ctx), inFlight);
}

/** The client with a credential type the caller read (webhook and hook contexts read parameters without an item index). */
export async function mediaValetClientWith(ctx: Context | IHookFunctions | IWebhookFunctions, type: string, inFlight?: number): Promise<MediaValetClient> {
  const credentials = await ctx.getCredentials(type);
  // n8n's plain helper still applies its proxy and SSRF settings; only the credential step is ours.
  const plain = n8nTransport((options) => ctx.helpers.httpRequest(options), false);
  const common = {
    // Signed storage URLs carry their own authorization: no MediaValet credentials go there.
    storageTransport: plain,
    subscriptionKey: credentials.subscriptionKey as string,
    apiUrl: (credentials.apiUrl as string) || undefined,
    apiVersion: (credentials.apiVersion as string) || undefined,
    allowInsecure: credentials.allowInsecure === true,
    timeoutMs: timeoutMs(credentials.timeout),
    sleep: n8nSleep,
    inFlight,
    pageCaps,
  };
  if (type === 'mediaValetPasswordApi' || type === 'mediaValetClientCredentialsApi') {
    // Password and client-credentials tokens come from the process's shared sign-in (core/shared-sign-in.ts)
    // whatever the request helper: taking them from there directly spares every request n8n's
    // credential read, decryption and header expressions, and lets core see which token a 401
    // refused. The credential's preAuthentication still serves its Test and other nodes.
    // The API URL is checked before the sign-in's: the settings are named in the order the client checks them.
    secureUrl((credentials.apiUrl as string) || DEFAULT_API_URL, 'apiUrl', credentials.allowInsecure === true);
    const login = type === 'mediaValetPasswordApi' ? { username: credentials.username as string, password: credentials.password as string } : undefined;
    const tokens = sharedSignIns.source(signInRequest(plain, credentials, login));
    return new MediaValetClient({ ...common, transport: plain, tokens });
  }
  // OAuth2: n8n keeps the tokens (renewal on 401, rotated refresh tokens saved); one renewal at a time per credential.
  const renewalKey = `${type} ${ctx.getNode().credentials?.[type]?.id ?? ctx.getNode().name}`;
  return new MediaValetClient({ ...common, transport: n8nTransport((options) => ctx.helpers.httpRequestWithAuthentication.call(ctx, type, options), true, renewalKey) });
}
