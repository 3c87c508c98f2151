// Settings shared by every host, with the defaults from MediaValet's documentation
// and the checks that stop an unsafe or incomplete setting before anything is sent.
import { ConfigurationError } from './errors';
import { labelOf } from './labels';

export const DEFAULT_IDENTITY_URL = 'https://login.mediavalet.com';
export const DEFAULT_API_URL = 'https://api.mediavalet.com';
export const DEFAULT_SCOPE = 'openid api offline_access';
/**
 * What a client-credentials sign-in asks for. MediaValet has not shipped the grant yet; a derived
 * API description names this scope, so it is the suggestion, and the scope field stays editable.
 */
export const DEFAULT_SERVICE_SCOPE = 'api:service_principal';
/**
 * Pinned API version. 1.2 is the first version that answers a permission failure
 * with 403 instead of 401, so a missing permission is never mistaken for an expired
 * token (which would trigger a pointless refresh and a misleading "reconnect").
 */
export const DEFAULT_API_VERSION = '1.2';

export type ClientAuthMethod = 'basic' | 'post';

export interface ClientSettings {
  clientId: string;
  clientSecret?: string;
  /** HTTP Basic (the default, as in MediaValet's sample) or client_id/client_secret in the body. */
  clientAuth?: ClientAuthMethod;
}

export interface ConnectionSettings {
  identityUrl?: string;
  apiUrl?: string;
  apiVersion?: string;
  subscriptionKey: string;
  /** Allows http:// for loopback hosts only: the simulator and local tests. */
  allowInsecure?: boolean;
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\]|::1)$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * Parses a host setting and enforces HTTPS. Plain HTTP is accepted only for loopback
 * hosts and only when the user turned on "allow insecure (local testing)".
 */
export function secureUrl(value: string | undefined, field: string, allowInsecure = false): URL {
  // Messages name the field by the label the editor shows.
  const label = labelOf(field);
  if (!value || !value.trim()) {
    throw new ConfigurationError(`The ${label} setting is empty.`, { code: 'invalid_config', kind: 'terminal', field, hint: `Enter a URL such as ${field === 'apiUrl' ? DEFAULT_API_URL : DEFAULT_IDENTITY_URL}.` });
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigurationError(`The ${label} setting "${value}" is not a URL.`, { code: 'invalid_config', kind: 'terminal', field, hint: 'Enter a full URL starting with https://.' });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowInsecure && isLoopbackHost(url.hostname)) return url;
  throw new ConfigurationError(`The ${label} setting must use https:// (got ${url.protocol}//${url.host}).`, {
    code: 'insecure_url',
    kind: 'terminal',
    field,
    hint:
      url.protocol === 'http:' && isLoopbackHost(url.hostname)
        ? `For a local simulator, turn on "${labelOf('allowInsecure')}".`
        : 'MediaValet only serves HTTPS; plain HTTP would expose tokens and the subscription key.',
  });
}

/** URL without a trailing slash, so paths can be appended. */
export function baseUrl(url: URL): string {
  return url.toString().replace(/\/+$/, '');
}

export const DEFAULT_TIMEOUT_SECONDS = 60;

/** A user's "timeout in seconds" (empty: the default) as milliseconds, or an error naming the field. */
export function timeoutMs(seconds: unknown, field = 'timeout'): number {
  if (seconds === undefined || seconds === null || seconds === '') return DEFAULT_TIMEOUT_SECONDS * 1000;
  const value = Number(seconds);
  if (!Number.isFinite(value) || value < 1 || value > 3600) {
    throw new ConfigurationError(`The ${labelOf(field)} setting must be between 1 and 3600 seconds (it is "${String(seconds)}").`, {
      code: 'invalid_config',
      kind: 'terminal',
      field,
      hint: `Set the ${labelOf(field)} field of the MediaValet account in seconds, or leave it empty for ${DEFAULT_TIMEOUT_SECONDS}.`,
    });
  }
  return Math.round(value * 1000);
}

/** `what` is kept for old callers; the message names the field by the label the editors show. */
export function requireValue(value: string | undefined, field: string, what = labelOf(field)): string {
  if (typeof value !== 'string' || value.trim() === '') {
    const label = labelOf(field) === field ? what : labelOf(field);
    throw new ConfigurationError(`The ${label} is missing.`, { code: 'invalid_config', kind: 'terminal', field, hint: `Fill in the "${label}" field of the MediaValet credentials.` });
  }
  return value.trim();
}
