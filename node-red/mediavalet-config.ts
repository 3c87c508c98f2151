// The MediaValet account (config node): settings and credentials, one TokenManager
// shared by every node that uses this account, and token persistence that survives
// restarts and refresh-token rotation.
import { connect } from '../core';
import { createAxiosTransport } from '../core/axios-transport';
import { type ConfigNode, type ConfigSettings, fingerprintFor, storeFor } from './account';
import { registerOAuthRoutes } from './oauth-routes';
import { registerPickerRoutes } from './picker-routes';
import type { Node, RED } from './red';

/** `${NAME}` in a credential field reads the environment variable NAME. */
function fromEnv(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => process.env[name] ?? '');
}

module.exports = function register(RED: RED) {
  registerOAuthRoutes(RED);
  registerPickerRoutes(RED);

  function MediaValetConfigNode(this: ConfigNode, config: ConfigSettings) {
    RED.nodes.createNode(this, config);
    const node = this;
    const creds = node.credentials ?? {};
    const mode = config.authMode === 'password' ? 'password' : 'authorization_code';
    node.settings = {
      mode,
      identityUrl: config.identityUrl || undefined,
      apiUrl: config.apiUrl || undefined,
      apiVersion: config.apiVersion || undefined,
      scope: config.scope || undefined,
      clientAuth: config.clientAuth === 'post' ? 'post' : 'basic',
      allowInsecure: config.allowInsecure === true,
      timeoutSeconds: config.timeout,
      clientId: fromEnv(creds.clientId) ?? '',
      clientSecret: fromEnv(creds.clientSecret),
      subscriptionKey: fromEnv(creds.subscriptionKey) ?? '',
      username: fromEnv(creds.username),
      password: fromEnv(creds.password),
    };
    node.fingerprint = fingerprintFor(mode, node.settings.identityUrl, node.settings.clientId, node.settings.username);
    const store = storeFor(RED, node.id);
    let failure: unknown;
    try {
      node.connection = connect(node.settings, {
        transport: createAxiosTransport(),
        tokens: store.load(node.fingerprint),
        onTokens: (tokens) => store.save(tokens, node.fingerprint),
      });
    } catch (error) {
      // Reported by the nodes that use this account, with the field to fix.
      failure = error;
    }

    node.getClient = () => {
      if (!node.connection) throw failure;
      return node.connection.client;
    };
    node.adoptTokens = async (tokens) => {
      if (node.connection) await node.connection.tokens.setTokens(tokens);
      else await store.save(tokens, node.fingerprint);
    };
    node.on('close', (removed, done) => {
      // Deleted (or disabled): its token file goes with it. A redeploy keeps it.
      if (removed) store.remove();
      done();
    });
  }

  RED.nodes.registerType('mediavalet-config', MediaValetConfigNode as unknown as (this: Node, config: unknown) => void, {
    credentials: {
      clientId: { type: 'text' },
      clientSecret: { type: 'password' },
      subscriptionKey: { type: 'password' },
      username: { type: 'text' },
      password: { type: 'password' },
    },
  });
};
