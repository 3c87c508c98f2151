// "Connect to MediaValet" from the Node-RED editor: admin routes that start the
// authorization-code flow (PKCE S256, one-time state bound to the config node, nonce),
// receive the callback, exchange the code through core/, and store the tokens; and
// "Test Connection" for password and client-credentials modes, which signs in once with what the dialog holds.
import {
  connect,
  authorizationServer,
  buildAuthorizationRequest,
  exchangeAuthorizationCode,
  isMediaValetError,
  type AuthorizationRequest,
  type AuthorizationServer,
  type ClientSettings,
  validateAuthorizationResponse,
} from '../core';
import { createAxiosTransport } from './axios-transport';
import { sleep } from './sleep';
import { describeError } from './adapter';
import { authModeOf, CALLBACK_PATH, type ConfigNode, fingerprintFor, fromEnv, settingsOf, storeFor, userLabel } from './account';
import type { RED } from './red';

interface Pending {
  nodeId: string;
  request: AuthorizationRequest;
  server: AuthorizationServer;
  client: ClientSettings;
  fingerprint: string;
  expiresAt: number;
}

/** What the editor sends for a password credential that is stored and was not retyped. */
const PASSWORD_PLACEHOLDER = '__PWRD__';

/** A dialog's credential as typed: the placeholder means the stored value. */
function typedValue(value: unknown, stored: string | undefined): string | undefined {
  if (value === PASSWORD_PLACEHOLDER) return stored;
  return typeof value === 'string' ? value : undefined;
}

/** A dialog's credential: the placeholder means the stored value, `${NAME}` the environment. */
function dialogValue(value: unknown, stored: string | undefined): string | undefined {
  return fromEnv(typedValue(value, stored));
}
/** Routes go on each admin app once (a runtime has one; test harnesses make several). */
const registered = new WeakSet<object>();

export function registerOAuthRoutes(RED: RED): void {
  if (registered.has(RED.httpAdmin)) return;
  registered.add(RED.httpAdmin);
  const pending = new Map<string, Pending>();
  const transport = createAxiosTransport();
  const ttlMs = () => Number(RED.settings.mediavaletStateTTLSeconds ?? 600) * 1000;

  RED.httpAdmin.post('/mediavalet/oauth/start', RED.auth.needsPermission('mediavalet-config.write'), (req, res) => {
    const body = req.body ?? {};
    try {
      if (!body.nodeId) throw new Error('nodeId is missing.');
      if (!body.clientId) throw new Error('Enter the Client ID first.');
      if (!body.redirectUri || !String(body.redirectUri).endsWith(CALLBACK_PATH)) throw new Error(`The redirect URI must end with ${CALLBACK_PATH}.`);
      const deployed = RED.nodes.getCredentials(body.nodeId) ?? {};
      const secret = dialogValue(body.clientSecret, deployed.clientSecret);
      const server = authorizationServer(body.identityUrl, body.allowInsecure === true || body.allowInsecure === 'true');
      const client: ClientSettings = { clientId: fromEnv(body.clientId) ?? '', clientSecret: secret || undefined, clientAuth: body.clientAuth === 'post' ? 'post' : 'basic' };
      const request = buildAuthorizationRequest(server, client, { redirectUri: body.redirectUri, scope: body.scope || undefined });
      const now = Date.now();
      for (const [state, p] of pending) if (p.expiresAt < now) pending.delete(state);
      const fingerprint = fingerprintFor({ mode: 'authorization_code', identityUrl: body.identityUrl, ...client });
      pending.set(request.state, { nodeId: body.nodeId, request, server, client, fingerprint, expiresAt: now + ttlMs() });
      res.json({ url: request.url, redirectUri: body.redirectUri });
    } catch (error) {
      res.status(400).json({ error: describeError(error) });
    }
  });

  RED.httpAdmin.get(CALLBACK_PATH, async (req, res) => {
    const state = String(req.query.state ?? '');
    const p = pending.get(state);
    // One use only, whatever happens next.
    pending.delete(state);
    if (!p || p.expiresAt < Date.now()) {
      page(res, 400, 'This sign-in link is unknown, expired or already used.', 'Close this window and press "Connect to MediaValet" again in the config node.');
      return;
    }
    try {
      const params = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)]));
      const { code } = validateAuthorizationResponse(p.server, state, params);
      const tokens = await exchangeAuthorizationCode(transport, p.server, p.client, { code, codeVerifier: p.request.codeVerifier, redirectUri: p.request.redirectUri, nonce: p.request.nonce });
      const live = RED.nodes.getNode(p.nodeId) as ConfigNode | null;
      if (live?.adoptTokens && live.fingerprint === p.fingerprint) await live.adoptTokens(tokens);
      else await storeFor(RED, p.nodeId).save(tokens, p.fingerprint, 'authorization_code');
      const user = String(tokens.claims?.name ?? tokens.claims?.preferred_username ?? tokens.claims?.sub ?? 'your MediaValet user');
      page(res, 200, `Connected to MediaValet as ${user}.`, 'You can close this window and deploy.', { type: 'mediavalet-connected', nodeId: p.nodeId, user });
    } catch (error) {
      page(res, 400, 'Connecting to MediaValet failed.', isMediaValetError(error) ? describeError(error) : 'Try again from the config node.');
    }
  });

  RED.httpAdmin.get('/mediavalet/oauth/status/:nodeId', RED.auth.needsPermission('mediavalet-config.read'), (req, res) => {
    const store = storeFor(RED, req.params.nodeId);
    const stored = store.read();
    // Tokens copied from another instance are not used here, so they do not count.
    const ours = stored && store.ownedBy(stored) ? stored : undefined;
    const claims = ours?.tokens.claims ?? {};
    res.json({
      connected: !!ours?.tokens.refreshToken || (!!ours && ours.tokens.expiresAt > Date.now()),
      // Which sign-in made them: the dialog shows "Connected as" for that mode only.
      mode: ours?.mode,
      user: ours ? String(claims.name ?? claims.preferred_username ?? claims.sub ?? '') : undefined,
      savedAt: ours?.savedAt,
    });
  });

  RED.httpAdmin.post('/mediavalet/test', RED.auth.needsPermission('mediavalet-config.write'), async (req, res) => {
    const body = req.body ?? {};
    const deployed = (body.nodeId ? RED.nodes.getCredentials(String(body.nodeId)) : undefined) ?? {};
    let connection: ReturnType<typeof connect> | undefined;
    try {
      // A fresh sign-in with what the dialog holds, deployed or not; nothing is stored.
      // Password unless the dialog says client credentials: older editors send no mode.
      const mode = authModeOf(body.authMode) === 'client_credentials' ? 'client_credentials' : 'password';
      const settings = settingsOf(
        { authMode: mode, identityUrl: body.identityUrl, apiUrl: body.apiUrl, apiVersion: body.apiVersion, scope: body.scope, clientAuth: body.clientAuth, allowInsecure: body.allowInsecure, timeout: body.timeout },
        // As typed: settingsOf reads `${NAME}` from the environment, as the deployed account does.
        {
          clientId: typedValue(body.clientId, deployed.clientId),
          clientSecret: typedValue(body.clientSecret, deployed.clientSecret) || undefined,
          subscriptionKey: typedValue(body.subscriptionKey, deployed.subscriptionKey),
          username: typedValue(body.username, deployed.username),
          password: typedValue(body.password, deployed.password),
        },
      );
      connection = connect(settings, { transport, sleep, client: { retry: { maxRetries: 1 } } });
      const me = await connection.client.request({ method: 'GET', path: '/users/current' });
      res.json({ user: userLabel(me.payload) });
    } catch (error) {
      res.status(400).json({ error: describeError(error), field: isMediaValetError(error) ? error.field : undefined });
    } finally {
      // The test's grant is not kept: end it rather than leave it to expire.
      void connection?.tokens.revoke().catch(() => undefined);
    }
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function page(res: any, status: number, title: string, detail: string, message?: Record<string, string>): void {
  const script = message
    ? `<script>try{window.opener&&window.opener.postMessage(${JSON.stringify(message).replace(/</g, '\\u003c')},window.location.origin)}catch(e){}setTimeout(function(){window.close()},1500)</script>`
    : '';
  res.status(status);
  res.type('html');
  res.send(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>MediaValet</title></head><body style="font-family:sans-serif;padding:24px"><h2 id="result">${escapeHtml(title)}</h2><p>${escapeHtml(detail)}</p>${script}</body></html>`);
}
