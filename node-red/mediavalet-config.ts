// The MediaValet account (config node): settings and credentials, one TokenManager
// shared by every node that uses this account, and token persistence that survives
// restarts and refresh-token rotation.
import { connect } from '../core';
import { createAxiosTransport } from './axios-transport';
import { sleep } from './sleep';
import { authModeOf, type ConfigNode, type ConfigSettings, type DeployCheck, fingerprintFor, settingsOf, storeFor, userLabel } from './account';
import { describeError } from './adapter';
import { registerOAuthRoutes } from './oauth-routes';
import { registerPickerRoutes } from './picker-routes';
import type { Node, RED } from './red';

module.exports = function register(RED: RED) {
  registerOAuthRoutes(RED);
  registerPickerRoutes(RED);

  function MediaValetConfigNode(this: ConfigNode, config: ConfigSettings) {
    RED.nodes.createNode(this, config);
    const node = this;
    const creds = node.credentials ?? {};
    const mode = authModeOf(config.authMode);
    node.settings = settingsOf(config, creds);
    node.fingerprint = fingerprintFor(node.settings);
    const store = storeFor(RED, node.id);
    const stored = store.load(node.fingerprint);
    if (stored.state === 'other-instance') {
      node.warn('The saved MediaValet tokens were written by another Node-RED instance (a copied user directory?). They are not used: with rotating refresh tokens, using them here could sign the other instance out. This instance signs in on its own.');
    }
    let failure: unknown;
    try {
      node.connection = connect(node.settings, {
        transport: createAxiosTransport(),
        sleep,
        tokens: stored.tokens,
        onTokens: (tokens) => store.save(tokens, node.fingerprint, mode),
      });
    } catch (error) {
      // Reported by the nodes that use this account, with the field to fix.
      failure = error;
    }
    if (stored.state !== 'usable' || failure) node.deployCheck = checkAtDeploy();

    /**
     * New or changed credentials are tried now rather than at the first message, possibly
     * days later: password and client-credentials modes sign in (once; a refusal is
     * remembered, accounts lock) and read the current user, authorization-code mode asks for Connect.
     */
    async function checkAtDeploy(): Promise<DeployCheck> {
      if (!node.connection) return { ok: false, error: failure };
      if (mode === 'authorization_code') return { ok: 'connect' };
      try {
        const me = await node.connection.client.request({ method: 'GET', path: '/users/current' });
        return { ok: true, user: userLabel(me.payload) };
      } catch (error) {
        node.warn(`MediaValet sign-in failed: ${describeError(error)}`);
        return { ok: false, error };
      }
    }

    node.getClient = () => {
      if (!node.connection) throw failure;
      return node.connection.client;
    };
    node.adoptTokens = async (tokens) => {
      if (node.connection) await node.connection.tokens.setTokens(tokens);
      else await store.save(tokens, node.fingerprint, mode);
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
