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

export function storeDir(RED: RED): string {
  return path.join(RED.settings.userDir ?? path.join(os.homedir(), '.node-red'), '.mediavalet');
}

export function storeFor(RED: RED, nodeId: string): TokenStore {
  const dir = storeDir(RED);
  return new TokenStore(dir, nodeId, storeSecret(RED.settings, dir));
}

