// Two readings of what the facts sheet leaves open. `strict` takes the side that breaks a
// client built on easy assumptions (the default: tests must meet the hard side first);
// `lenient` takes the other documented side. Every setting can still be overridden one
// by one, and changed at run time through the control API.

export type ProfileName = 'strict' | 'lenient';

export interface ProfileSettings {
  /** Seconds an access token lives. */
  accessTokenTTL: number;
  /** A refresh hands out a new refresh token and retires the old one (a replay then revokes the grant). */
  rotateRefreshTokens: boolean;
  requirePkce: boolean;
  /** The redirect back carries iss (RFC 9207), which clients must then check; lenient: no iss. */
  issOnCallback: boolean;
  /**
   * true: each client authenticates only the way it registered (client_secret_basic or
   * client_secret_post), and a Basic header must be form-encoded (RFC 6749 2.3.1).
   * false: either way for any client, and a Basic header with a raw secret is accepted too.
   */
  strictClientAuth: boolean;
  /** Largest page. */
  pageSizeCap: number;
  /** A count above the cap: 400 ('reject') or quietly served at the cap ('clip'). */
  pageSizeOverCap: 'reject' | 'clip';
  /** A search asked for an offset above this answers 400 (0: no ceiling; facts sheet: likely 100,000). */
  offsetCeiling: number;
  /** RecordCount.StartingRecord counts from 1 (facts sheet) or from 0. */
  startingRecordBase: 0 | 1;
  /** PascalCase envelope members (Payload, RecordCount, ApiVersion, Meta), as MediaValet's docs show. */
  pascalCase: boolean;
  /** false: a 429 never carries Retry-After (MediaValet documents none), whatever a fault rule says. */
  retryAfterOn429: boolean;
  /** 'created': 201 {id, uploadUrl, uploadFileName, mediaFileId} (derived OpenAPI); 'sample': 200 {id, uploadUrl, UploadFilename} (official sample). */
  uploadAnswer: 'created' | 'sample';
  /** PUT /uploads/{id} must carry the file name POST /uploads returned (which differs from the local one). */
  requireServerFilename: boolean;
  /** 'links': {message, _links, translationKeys, interpolations, permissions}; 'exception': {Message, ExceptionMessage, ExceptionType}. */
  errorBodyForm: 'links' | 'exception';
  /** PATCH needs Content-Type application/json-patch+json (415 otherwise). */
  requirePatchContentType: boolean;
  /** Seconds a signed read link (media.*) lives. */
  sasTTLSeconds: number;
  /** Seconds a signed upload URL lives. */
  uploadSasTTLSeconds: number;
  /** Fields a request did not need (and include/exclude/max-length) come back as Meta.Warnings; the call still runs. */
  warnUnneededFields: boolean;
  /** SkyHOOK: 0 when enabled; 401, 403 or 404 is what /skyhook answers, as to an account without the Enterprise plan. */
  skyhookRefusal: number;
  /** 'empty': creating a subscription answers an empty text/plain 200 (the published examples); 'id': JSON carrying SubscriptionId. */
  skyhookCreateAnswer: 'empty' | 'id';
  /** Every Nth event is delivered twice, as at-least-once delivery allows (0: never). */
  skyhookDuplicateEvery: number;
  /** Events raised within this many ms are sent together... */
  skyhookBatchMs: number;
  /** ...in reverse order (no order guarantee). */
  skyhookReorder: boolean;
  /** Event Grid's retry schedule (10 s, 30 s, 1 min, 5 min, ... up to 24 h) multiplied by this; tests compress it. */
  skyhookRetryScale: number;
  /** Per-try delivery timeout (Event Grid: 30 s). */
  skyhookTimeoutMs: number;
}

export const PROFILES: Record<ProfileName, ProfileSettings> = {
  strict: {
    accessTokenTTL: 20,
    rotateRefreshTokens: true,
    requirePkce: true,
    issOnCallback: true,
    strictClientAuth: true,
    pageSizeCap: 50,
    pageSizeOverCap: 'reject',
    offsetCeiling: 100_000,
    startingRecordBase: 1,
    pascalCase: true,
    retryAfterOn429: false,
    uploadAnswer: 'created',
    requireServerFilename: true,
    errorBodyForm: 'links',
    requirePatchContentType: true,
    sasTTLSeconds: 50,
    uploadSasTTLSeconds: 15 * 60,
    warnUnneededFields: true,
    skyhookRefusal: 0,
    skyhookCreateAnswer: 'empty',
    skyhookDuplicateEvery: 3,
    skyhookBatchMs: 50,
    skyhookReorder: true,
    skyhookRetryScale: 1,
    skyhookTimeoutMs: 30_000,
  },
  lenient: {
    accessTokenTTL: 3600,
    rotateRefreshTokens: false,
    requirePkce: false,
    issOnCallback: false,
    strictClientAuth: false,
    pageSizeCap: 1000,
    pageSizeOverCap: 'clip',
    offsetCeiling: 0,
    startingRecordBase: 0,
    pascalCase: false,
    retryAfterOn429: true,
    uploadAnswer: 'sample',
    requireServerFilename: false,
    errorBodyForm: 'exception',
    requirePatchContentType: false,
    sasTTLSeconds: 3600,
    uploadSasTTLSeconds: 24 * 3600,
    warnUnneededFields: false,
    skyhookRefusal: 0,
    skyhookCreateAnswer: 'id',
    skyhookDuplicateEvery: 0,
    skyhookBatchMs: 0,
    skyhookReorder: false,
    skyhookRetryScale: 1,
    skyhookTimeoutMs: 30_000,
  },
};

export function profileNamed(name: string | undefined): ProfileName {
  if (name === undefined || name === 'strict') return 'strict';
  if (name === 'lenient') return 'lenient';
  throw new Error(`Unknown simulator profile "${name}": use strict or lenient.`);
}

/** For --help and the README: one line per setting, strict | lenient. */
export function describeProfiles(): string {
  const keys = Object.keys(PROFILES.strict) as Array<keyof ProfileSettings>;
  const width = Math.max(...keys.map((k) => k.length));
  const row = (name: string, strict: unknown, lenient: unknown) => `  ${name.padEnd(width)}  ${String(strict).padEnd(9)} ${String(lenient)}`;
  return [row('setting', 'strict', 'lenient'), ...keys.map((k) => row(k, PROFILES.strict[k], PROFILES.lenient[k]))].join('\n');
}
