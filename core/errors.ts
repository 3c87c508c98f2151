// One error taxonomy for everything core does. Hosts turn these into their own
// error types (NodeApiError in n8n, done(err) in Node-RED) without parsing text:
// `kind` says whether retrying can help, `field` says what the user must fix.
import { redact } from './redact';

export type ErrorKind =
  /** Retrying will not help: the user must change a setting or reconnect. */
  | 'terminal'
  /** Network trouble, throttling or a server fault: trying again later may work. */
  | 'transient'
  /** MediaValet refused this request (bad input, not found, no permission). */
  | 'request';

export type ErrorCode =
  | 'invalid_grant'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'reconnect_required'
  | 'invalid_subscription_key'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'rejected_fields'
  | 'conflict'
  | 'throttled'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'response_too_large'
  | 'invalid_response'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'nonce_mismatch'
  | 'invalid_id_token'
  | 'insecure_url'
  | 'invalid_config'
  | 'upload_failed'
  | 'download_failed'
  | 'aborted'
  /** The account has no SkyHOOK (MediaValet's Enterprise plan). */
  | 'skyhook_unavailable'
  /** The webhook URL did not answer the CloudEvents handshake, so MediaValet refused the subscription. */
  | 'handshake_failed';

export interface MediaValetErrorOptions {
  code: ErrorCode;
  kind: ErrorKind;
  /** HTTP status MediaValet answered with, when there was an answer. */
  status?: number;
  /** MediaValet's own words (already redacted), kept so users see what the server said. */
  serverMessage?: string;
  /** How to fix it, in the user's terms. */
  hint?: string;
  /** The credential or node field the user must change, when one is to blame. */
  field?: string;
  /** Fields MediaValet rejected on a write (JSON-Patch paths, attribute ids). */
  rejectedFields?: string[];
  /** Seconds MediaValet asked us to wait (Retry-After). */
  retryAfterSeconds?: number;
  /** Network errors only: true when the request certainly never reached the server. */
  notSent?: boolean;
  cause?: unknown;
}

export class MediaValetError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly hint?: string;
  readonly field?: string;
  readonly rejectedFields?: string[];
  readonly retryAfterSeconds?: number;
  readonly notSent: boolean;

  constructor(message: string, options: MediaValetErrorOptions) {
    super(redact(message));
    this.name = new.target.name;
    this.code = options.code;
    this.kind = options.kind;
    this.status = options.status;
    this.serverMessage = options.serverMessage === undefined ? undefined : redact(options.serverMessage);
    this.hint = options.hint === undefined ? undefined : redact(options.hint);
    this.field = options.field;
    this.rejectedFields = options.rejectedFields;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.notSent = options.notSent ?? false;
    // Only a bare copy of a low-level cause is kept: an axios or host error holds the request
    // headers (bearer token, subscription key), and util.inspect shows a cause even when it
    // is not enumerable, so hosts that log the error object would print them.
    if (options.cause !== undefined) Object.defineProperty(this, 'cause', { value: bareCause(options.cause), enumerable: false });
  }

  get retryable(): boolean {
    return this.kind === 'transient';
  }

  /** What hosts show: the message plus the hint, both already free of secrets. */
  describe(): string {
    if (!this.hint) return this.message;
    // MediaValet's own words often end without a full stop; the hint is a sentence of its own.
    return `${this.message}${/[.!?)]$/.test(this.message) ? '' : '.'} ${this.hint}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      kind: this.kind,
      status: this.status,
      serverMessage: this.serverMessage,
      hint: this.hint,
      field: this.field,
      rejectedFields: this.rejectedFields,
    };
  }
}

/** The identity server refused a grant or the account must be reconnected. */
export class AuthenticationError extends MediaValetError {}
/** The MediaValet API answered with an error. */
export class ApiError extends MediaValetError {}
/** No usable answer: connection refused or reset, timeout, oversize body. */
export class NetworkError extends MediaValetError {}
/** A setting is missing or unsafe; raised before anything is sent. */
export class ConfigurationError extends MediaValetError {}
/** A protocol check failed: state, issuer, nonce, malformed token response. */
export class ProtocolError extends MediaValetError {}
/** An upload or download failed part way; says which step. */
export class TransferError extends MediaValetError {}

/** A cause reduced to its name, code and (redacted) message; our own errors are already safe. */
function bareCause(cause: unknown): unknown {
  if (cause instanceof MediaValetError) return cause;
  const source = (cause ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  const bare = new Error(redact(String(source.message ?? cause)));
  if (typeof source.name === 'string') bare.name = source.name;
  if (typeof source.code === 'string') Object.assign(bare, { code: source.code });
  bare.stack = `${bare.name}: ${bare.message}`;
  return bare;
}

/** Answers that refuse the account itself, not one request: every later call would meet them too. */
const ACCOUNT_REFUSED: ReadonlySet<ErrorCode> = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'unsupported_grant_type', 'reconnect_required']);

/** True when the sign-in or the client was refused: stop asking MediaValet until the user acts. */
export function isAccountRefused(error: unknown): error is MediaValetError {
  return error instanceof MediaValetError && ACCOUNT_REFUSED.has(error.code);
}

export function isMediaValetError(error: unknown): error is MediaValetError {
  return error instanceof MediaValetError;
}

/** Returns the error with every known secret value scrubbed from its text fields. */
export function scrubError<E extends MediaValetError>(error: E, scrub: (text: string) => string): E {
  const fields = ['message', 'serverMessage', 'hint'] as const;
  for (const key of fields) {
    const value = error[key];
    if (typeof value === 'string') Object.defineProperty(error, key, { value: scrub(value), enumerable: key !== 'message', writable: true });
  }
  if (typeof error.stack === 'string') error.stack = scrub(error.stack);
  return error;
}
