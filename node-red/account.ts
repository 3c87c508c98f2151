// What the MediaValet config node offers the other nodes and the admin routes. Kept out
// of mediavalet-config.ts because that module's export is the function Node-RED calls.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AuthMode, DEFAULT_IDENTITY_URL, DEFAULT_SCOPE, fingerprint, type MediaValetClient, type MediaValetConnection, type MediaValetSettings, type TokenSet } from '../core';
import type { Node, RED } from './red';
import { storeSecret, TokenStore } from './token-store';

export const CALLBACK_PATH = '/mediavalet/oauth/callback';

export interface ConfigNode extends Node {
  /** The client for this account; throws a ConfigurationError naming the field to fix. */
  getClient(): MediaValetClient;
  connection?: MediaValetConnection;
  settings: MediaValetSettings;
  fingerprint: string;
  /** Takes a token set from the editor's Connect flow. */
  adoptTokens(tokens: TokenSet): Promise<void>;
  /**
   * What the deploy found out about the sign-in, for the nodes using this account to show
   * (a config node has no status of its own); undefined when the stored tokens still fit.
   */
  deployCheck?: Promise<DeployCheck>;
}

export type DeployCheck = { ok: true; user?: string } | { ok: false; error: unknown } | { ok: 'connect' };

export interface ConfigSettings {
  name?: string;
  authMode?: AuthMode;
  identityUrl?: string;
  apiUrl?: string;
  apiVersion?: string;
  scope?: string;
  clientAuth?: 'basic' | 'post';
  allowInsecure?: boolean;
  /** Seconds; empty means core's default. */
  timeout?: string | number;
}

type SignInParts = Pick<MediaValetSettings, 'mode' | 'identityUrl' | 'clientId' | 'clientSecret' | 'clientAuth' | 'username' | 'password' | 'scope'>;

/**
 * The one-way fingerprint of everything a sign-in is made of, secrets included: a token
 * set is used only with the exact credentials that obtained it, so a changed password or
 * client secret signs in again at deploy instead of riding on the old tokens for days.
 * The subscription key is left out: it is checked by every API call, not by the sign-in.
 */
export function fingerprintFor(settings: SignInParts): string {
  const password = settings.mode === 'password';
  return fingerprint(
    'mediavalet-sign-in/2',
    settings.mode,
    (settings.identityUrl || DEFAULT_IDENTITY_URL).trim().replace(/\/+$/, '').toLowerCase(),
    settings.clientId?.trim(),
    settings.clientSecret ?? '',
    settings.clientAuth === 'post' ? 'post' : 'basic',
    password ? settings.username?.trim() : '',
    password ? settings.password : '',
    // Client credentials only (the other modes' fingerprints stay as saved): a token is for the scope it was asked with.
    ...(settings.mode === 'client_credentials' ? [settings.scope?.trim() ?? ''] : []),
  );
}

/** `${NAME}` in a credential field reads the environment variable NAME. */
export function fromEnv(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => process.env[name] ?? '');
}

/**
 * Which Node-RED instance this is. A token store copied with a user directory (a backup
 * restored on a second machine, a cloned container volume) must not replay refresh tokens
 * that the original instance keeps rotating: with rotation, one replay can revoke the
 * grant for both. The id is the host and the user directory's real path, unless
 * settings.js names the instance (mediavaletInstanceId), e.g. for a container that is
 * re-created with the same volume and a new host name.
 */
export function instanceId(RED: RED): string {
  const named = RED.settings.mediavaletInstanceId;
  if (typeof named === 'string' && named.trim()) return `named:${named.trim()}`;
  const dir = storeDir(RED);
  let real = dir;
  try {
    real = fs.realpathSync(path.dirname(dir));
  } catch {
    // Not created yet: the configured path is what will be used.
  }
  return createHash('sha256').update(`${os.hostname()}\n${machineId()}\n${real}`).digest('base64url').slice(0, 22);
}

function machineId(): string {
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch {
      // Not Linux, or not readable: the host name and path must do.
    }
  }
  return '';
}

/** A readable name for GET /users/current, whatever the letter case of its fields. */
export function userLabel(payload: unknown, fallback = 'your MediaValet user'): string {
  const fields = new Map(Object.entries((payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const text = (key: string) => (typeof fields.get(key) === 'string' ? (fields.get(key) as string).trim() : '');
  const name = [text('firstname'), text('lastname')].filter(Boolean).join(' ') || text('name') || text('displayname');
  const login = text('username') || text('email');
  return name || login || fallback;
}


/** The sign-in a saved or dialog value names; anything else is the authorization code, the first mode there was. */
export function authModeOf(value: unknown): AuthMode {
  return value === 'password' || value === 'client_credentials' ? value : 'authorization_code';
}

/** A config node's settings and credentials as core's settings (what the account node and the editor's pickers connect with). */
export function settingsOf(config: ConfigSettings, creds: Record<string, string | undefined>): MediaValetSettings {
  const mode = authModeOf(config.authMode);
  // The dialog's default scope is a user's (openid, offline_access): a client signing in as itself asks for core's service scope instead.
  const userDefault = mode === 'client_credentials' && config.scope?.trim() === DEFAULT_SCOPE;
  return {
    mode,
    identityUrl: config.identityUrl || undefined,
    apiUrl: config.apiUrl || undefined,
    apiVersion: config.apiVersion || undefined,
    scope: (!userDefault && config.scope) || undefined,
    clientAuth: config.clientAuth === 'post' ? 'post' : 'basic',
    allowInsecure: config.allowInsecure === true || (config.allowInsecure as unknown) === 'true',
    timeoutSeconds: config.timeout,
    clientId: fromEnv(creds.clientId) ?? '',
    clientSecret: fromEnv(creds.clientSecret),
    subscriptionKey: fromEnv(creds.subscriptionKey) ?? '',
    username: fromEnv(creds.username),
    password: fromEnv(creds.password),
  };
}

export function storeDir(RED: RED): string {
  return path.join(RED.settings.userDir ?? path.join(os.homedir(), '.node-red'), '.mediavalet');
}

export function storeFor(RED: RED, nodeId: string): TokenStore {
  const dir = storeDir(RED);
  return new TokenStore(dir, nodeId, storeSecret(RED.settings, dir), instanceId(RED));
}

