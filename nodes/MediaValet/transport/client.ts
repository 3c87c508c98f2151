// The MediaValet client for one node run: core's client over n8n's request helpers, with
// whichever of the two credential types the node uses.
import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { MediaValetClient } from '../../../core';
import { n8nTransport } from './n8n-transport';

export const CREDENTIAL_TYPES = {
  oAuth2: 'mediaValetOAuth2Api',
  password: 'mediaValetPasswordApi',
} as const;

export type Authentication = keyof typeof CREDENTIAL_TYPES;

type Context = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export function credentialType(ctx: Context): string {
  const authentication = ctx.getNodeParameter('authentication', 0, 'oAuth2') as Authentication;
  return CREDENTIAL_TYPES[authentication] ?? CREDENTIAL_TYPES.oAuth2;
}

export async function mediaValetClient(ctx: Context): Promise<MediaValetClient> {
  const type = credentialType(ctx);
  const credentials = await ctx.getCredentials(type);
  return new MediaValetClient({
    transport: n8nTransport((options) => ctx.helpers.httpRequestWithAuthentication.call(ctx, type, options), true),
    // Signed storage URLs carry their own authorization: no MediaValet credentials go there.
    storageTransport: n8nTransport((options) => ctx.helpers.httpRequest(options), false),
    subscriptionKey: credentials.subscriptionKey as string,
    apiUrl: (credentials.apiUrl as string) || undefined,
    apiVersion: (credentials.apiVersion as string) || undefined,
    allowInsecure: credentials.allowInsecure === true,
  });
}
