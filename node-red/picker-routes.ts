// The editor's pickers: the category tree and the attribute list of an account, asked of
// MediaValet through that account. GET uses the deployed account; POST takes the values
// the editor holds (an account not deployed yet, or edited since), with Node-RED's
// `__PWRD__` placeholder (or a field the editor never loaded) meaning "the deployed value".
import { categoryTree, fingerprint, isMediaValetError, labelOf, listAttributes, type MediaValetClient, MediaValetClient as Client, redact, type MediaValetConnection, connect, timeoutMs } from '../core';
import { createAxiosTransport } from './axios-transport';
import { sleep } from './sleep';
import { type ConfigNode, type ConfigSettings, fingerprintFor, settingsOf, storeFor } from './account';
import type { RED } from './red';

const PASSWORD_PLACEHOLDER = '__PWRD__';
const CREDENTIALS = ['clientId', 'clientSecret', 'subscriptionKey', 'username', 'password'] as const;
const SETTINGS = ['authMode', 'identityUrl', 'apiUrl', 'apiVersion', 'scope', 'clientAuth', 'allowInsecure', 'timeout'] as const;
/** How long a connection made from editor values lives: one sign-in serves a dialog session, and a refused one is not asked again. */
const TEMPORARY_TTL_MS = 10 * 60_000;
const TEMPORARY_MAX = 20;
const registered = new WeakSet<object>();

type Lister = (client: MediaValetClient) => Promise<unknown>;
const LISTS: Record<string, Lister> = { categories: (c) => categoryTree(c), attributes: async (c) => (await listAttributes(c)).sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id)) };

export function registerPickerRoutes(RED: RED): void {
  if (registered.has(RED.httpAdmin)) return;
  registered.add(RED.httpAdmin);
  const transport = createAxiosTransport();
  const temporary = new Map<string, { connection: MediaValetConnection; expiresAt: number }>();

  /** The client for editor-held values: the deployed one when nothing that matters differs. */
  function clientFor(id: string, body: { settings?: Partial<ConfigSettings>; credentials?: Record<string, unknown> }): MediaValetClient {
    const deployed = RED.nodes.getCredentials(id) ?? {};
    const creds: Record<string, string | undefined> = {};
    for (const key of CREDENTIALS) {
      const value = body.credentials?.[key];
      creds[key] = value === undefined || value === null || value === PASSWORD_PLACEHOLDER ? deployed[key] : String(value);
    }
    const config: ConfigSettings = {};
    for (const key of SETTINGS) if (body.settings?.[key] !== undefined) (config as Record<string, unknown>)[key] = body.settings[key];
    const settings = settingsOf(config, creds);
    const live = RED.nodes.getNode(id) as ConfigNode | null;
    const key = fingerprint(JSON.stringify(settings));
    if (live?.settings && fingerprint(JSON.stringify(live.settings)) === key) return live.getClient();
    const signIn = fingerprintFor(settings);
    if (settings.mode === 'authorization_code' && live?.connection && live.fingerprint === signIn) {
      // Same connected sign-in, other API settings: share the deployed token manager, so a rotated refresh token is never held twice.
      return new Client({ transport, sleep, tokens: live.connection.tokens, subscriptionKey: settings.subscriptionKey, apiUrl: settings.apiUrl, apiVersion: settings.apiVersion, allowInsecure: settings.allowInsecure, timeoutMs: timeoutMs(settings.timeoutSeconds) });
    }
    const now = Date.now();
    for (const [k, t] of temporary) if (t.expiresAt < now) temporary.delete(k);
    let entry = temporary.get(key);
    if (!entry) {
      const store = storeFor(RED, id);
      // Authorization-code accounts use what "Connect to MediaValet" stored for these settings, and keep each rotation.
      // Password accounts sign in with the values given, so a mistyped password shows now, not after deploying.
      const code = settings.mode === 'authorization_code';
      const connection = connect(settings, { transport, sleep, tokens: code ? store.load(signIn).tokens : undefined, onTokens: code ? (t) => store.save(t, signIn, settings.mode) : undefined });
      entry = { connection, expiresAt: now + TEMPORARY_TTL_MS };
      if (temporary.size >= TEMPORARY_MAX) temporary.delete(temporary.keys().next().value as string);
      temporary.set(key, entry);
    }
    return entry.connection.client;
  }

  async function answer(res: any, list: string, client: () => MediaValetClient): Promise<void> {
    try {
      res.json(await LISTS[list](client()));
    } catch (error) {
      // 400, never 401: the editor takes a 401 from an admin route as its own session ending.
      const status = isMediaValetError(error) && error.kind === 'transient' ? 502 : 400;
      const field = isMediaValetError(error) ? error.field : undefined;
      res.status(status).json({ error: isMediaValetError(error) ? error.describe() : redact(String((error as Error)?.message ?? error)), field, label: field ? labelOf(field) : undefined });
    }
  }

  for (const list of Object.keys(LISTS)) {
    RED.httpAdmin.get(`/mediavalet/:configId/${list}`, RED.auth.needsPermission('mediavalet-config.read'), (req, res) => {
      const live = RED.nodes.getNode(req.params.configId) as ConfigNode | null;
      if (!live?.getClient) {
        res.status(404).json({ error: 'This MediaValet account is not deployed: deploy it, or let the editor send its settings (POST).' });
        return;
      }
      void answer(res, list, () => live.getClient());
    });
    // Write permission: the editor's values may send the deployed secrets to another identity server or API URL.
    RED.httpAdmin.post(`/mediavalet/:configId/${list}`, RED.auth.needsPermission('mediavalet-config.write'), (req, res) => {
      void answer(res, list, () => clientFor(req.params.configId, req.body ?? {}));
    });
  }
}
