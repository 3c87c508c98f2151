// One call that turns user settings into a ready client, for every host but n8n's
// password credential (which only needs the token step). Validates all settings up
// front so a missing field fails before anything is sent.
import { MediaValetClient, type MediaValetClientOptions } from './client';
import { type ClientAuthMethod, DEFAULT_SCOPE, DEFAULT_SERVICE_SCOPE, requireValue, timeoutMs } from './config';
import { authorizationServer, type AuthorizationServer, type TokenSet } from './oauth';
import { type AuthMode, TokenManager } from './token-manager';
import type { Sleep } from './retry';
import type { HttpTransport } from './transport';

export interface MediaValetSettings {
  mode: AuthMode;
  identityUrl?: string;
  apiUrl?: string;
  apiVersion?: string;
  clientId: string;
  clientSecret?: string;
  clientAuth?: ClientAuthMethod;
  subscriptionKey: string;
  scope?: string;
  username?: string;
  password?: string;
  allowInsecure?: boolean;
  /** How long to wait for each answer from MediaValet, in seconds (default 60). */
  timeoutSeconds?: number | string;
}

export interface ConnectOptions {
  /** n8n passes its request helper; Node-RED, tests and tools the axios adapter (node-red/axios-transport). */
  transport: HttpTransport;
  /** The host's timer for waits between retries (node-red/sleep for Node; `client.sleep` overrides it). */
  sleep: Sleep;
  tokens?: TokenSet;
  onTokens?: (tokens: TokenSet) => void | Promise<void>;
  refreshSkewSeconds?: number;
  client?: Partial<Omit<MediaValetClientOptions, 'transport' | 'tokens' | 'subscriptionKey' | 'apiUrl' | 'apiVersion' | 'allowInsecure'>>;
  now?: () => number;
}

export interface MediaValetConnection {
  server: AuthorizationServer;
  tokens: TokenManager;
  client: MediaValetClient;
  transport: HttpTransport;
}

export function connect(settings: MediaValetSettings, options: ConnectOptions): MediaValetConnection {
  const transport = options.transport;
  const server = authorizationServer(settings.identityUrl, settings.allowInsecure);
  const service = settings.mode === 'client_credentials';
  const clientSettings = {
    clientId: requireValue(settings.clientId, 'clientId', 'Client ID'),
    // The client is the one signing in: without its secret there is nothing to authenticate with.
    clientSecret: service ? requireValue(settings.clientSecret, 'clientSecret', 'Client Secret') : settings.clientSecret,
    clientAuth: settings.clientAuth,
  };
  const login =
    settings.mode === 'password'
      ? {
          username: requireValue(settings.username, 'username', 'Username'),
          password: requireValue(settings.password, 'password', 'Password'),
          scope: settings.scope || DEFAULT_SCOPE,
        }
      : undefined;
  const tokens = new TokenManager({
    transport,
    server,
    client: clientSettings,
    mode: settings.mode,
    login,
    serviceScope: service ? settings.scope || DEFAULT_SERVICE_SCOPE : undefined,
    tokens: options.tokens,
    onTokens: options.onTokens,
    refreshSkewSeconds: options.refreshSkewSeconds,
    protocol: options.now ? { now: options.now } : undefined,
  });
  const client = new MediaValetClient({
    ...options.client,
    sleep: options.client?.sleep ?? options.sleep,
    timeoutMs: options.client?.timeoutMs ?? timeoutMs(settings.timeoutSeconds),
    transport,
    tokens,
    subscriptionKey: settings.subscriptionKey,
    apiUrl: settings.apiUrl,
    apiVersion: settings.apiVersion,
    allowInsecure: settings.allowInsecure,
  });
  return { server, tokens, client, transport };
}
