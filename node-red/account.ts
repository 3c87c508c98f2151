// What the MediaValet config node offers the other nodes and the admin routes. Kept out
// of mediavalet-config.ts because that module's export is the function Node-RED calls.
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_IDENTITY_URL, type MediaValetClient, type MediaValetConnection, type MediaValetSettings, type TokenSet } from '../core';
import type { Node, RED } from './red';
import { fingerprintOf, storeSecret, TokenStore } from './token-store';

export const CALLBACK_PATH = '/mediavalet/oauth/callback';

export interface ConfigNode extends Node {
  /** The client for this account; throws a ConfigurationError naming the field to fix. */
  getClient(): MediaValetClient;
  connection?: MediaValetConnection;
  settings: MediaValetSettings;
  fingerprint: string;
  /** Takes a token set from the editor's Connect flow. */
  adoptTokens(tokens: TokenSet): Promise<void>;
}

export interface ConfigSettings {
  name?: string;
  authMode?: 'authorization_code' | 'password';
  identityUrl?: string;
  apiUrl?: string;
  apiVersion?: string;
  scope?: string;
  clientAuth?: 'basic' | 'post';
  allowInsecure?: boolean;
  /** Seconds; empty means core's default. */
  timeout?: string | number;
}

export function fingerprintFor(mode: string, identityUrl: string | undefined, clientId: string | undefined, username?: string): string {
  return fingerprintOf([mode, (identityUrl || DEFAULT_IDENTITY_URL).replace(/\/+$/, ''), clientId, mode === 'password' ? username : '']);
}

/** `${NAME}` in a credential field reads the environment variable NAME. */
export function fromEnv(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => process.env[name] ?? '');
}

/** A config node's settings and credentials as core's settings (what the account node and the editor's pickers connect with). */
export function settingsOf(config: ConfigSettings, creds: Record<string, string | undefined>): MediaValetSettings {
  return {
    mode: config.authMode === 'password' ? 'password' : 'authorization_code',
    identityUrl: config.identityUrl || undefined,
    apiUrl: config.apiUrl || undefined,
    apiVersion: config.apiVersion || undefined,
    scope: config.scope || undefined,
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
  return new TokenStore(dir, nodeId, storeSecret(RED.settings, dir));
}

