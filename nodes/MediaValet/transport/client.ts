// The MediaValet client for one node run: core's client over n8n's request helpers, with
// whichever of the three credential types the node uses.
import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { MediaValetClient, timeoutMs } from '../../../core';
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

export async function mediaValetClient(ctx: Context): Promise<MediaValetClient> {
  return mediaValetClientWith(ctx, credentialType(ctx));
}

/** The client with a credential type the caller read (webhook and hook contexts read parameters without an item index). */
export async function mediaValetClientWith(ctx: Context | IHookFunctions | IWebhookFunctions, type: string): Promise<MediaValetClient> {
  const credentials = await ctx.getCredentials(type);
  return new MediaValetClient({
    transport: n8nTransport((options) => ctx.helpers.httpRequestWithAuthentication.call(ctx, type, options), true),
    // Signed storage URLs carry their own authorization: no MediaValet credentials go there.
    storageTransport: n8nTransport((options) => ctx.helpers.httpRequest(options), false),
    subscriptionKey: credentials.subscriptionKey as string,
    apiUrl: (credentials.apiUrl as string) || undefined,
    apiVersion: (credentials.apiVersion as string) || undefined,
    allowInsecure: credentials.allowInsecure === true,
    timeoutMs: timeoutMs(credentials.timeout),
    sleep: n8nSleep,
    pageCaps,
  });
}
