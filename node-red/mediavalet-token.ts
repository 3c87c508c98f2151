// mediavalet-token: makes sure the token is fresh and puts ready headers on the message,
// so a core "http request" node can call any MediaValet endpoint.
import { onInput } from './adapter';
import type { Node, RED } from './red';

interface TokenConfig {
  account: string;
  emitToken?: boolean;
}

module.exports = function register(RED: RED) {
  function MediaValetTokenNode(this: Node, config: TokenConfig) {
    RED.nodes.createNode(this, config);
    onInput(RED, this, config.account, async (client, msg, send, account) => {
      const headers = await client.authHeaders();
      msg.headers = { ...(msg.headers as object | undefined), ...headers };
      const tokens = account.connection?.tokens.current;
      msg.mediavalet = { ...(msg.mediavalet as object | undefined), baseUrl: client.apiUrl, apiVersion: client.apiVersion, expiresAt: tokens ? new Date(tokens.expiresAt).toISOString() : undefined };
      // Only on request: the token then travels with the message (debug sidebar, context...).
      if (config.emitToken) msg.access_token = tokens?.accessToken;
      send(msg);
    });
  }
  RED.nodes.registerType('mediavalet-token', MediaValetTokenNode as unknown as (this: Node, config: unknown) => void);
};
