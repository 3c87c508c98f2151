// MediaValet wraps answers in { apiVersion, meta, recordCount, payload, warnings, errors }.
// The docs show PascalCase, the wire camelCase: every read here ignores case.

export interface RecordCount {
  totalRecordsFound?: number;
  startingRecord?: number;
}

export interface Envelope<T = unknown> {
  payload: T;
  recordCount?: RecordCount;
  meta?: Record<string, unknown>;
  /** Top-level `warnings` and `Meta.Warnings` together. */
  warnings?: unknown[];
  errors?: unknown[];
  apiVersion?: string;
}

/** Reads a member by name, whatever its case. */
export function member(value: unknown, name: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export function readEnvelope<T = unknown>(body: unknown): Envelope<T> {
  const isEnvelope = member(body, 'payload') !== undefined || member(body, 'recordCount') !== undefined || member(body, 'apiVersion') !== undefined;
  if (!isEnvelope) return { payload: body as T };
  const rc = member(body, 'recordCount');
  const meta = member(body, 'meta');
  const warnings = [member(body, 'warnings'), member(meta, 'warnings')].filter(Array.isArray).flat() as unknown[];
  const errors = member(body, 'errors');
  return {
    payload: member(body, 'payload') as T,
    recordCount: rc && typeof rc === 'object'
      ? { totalRecordsFound: numberOrUndefined(member(rc, 'totalRecordsFound')), startingRecord: numberOrUndefined(member(rc, 'startingRecord')) }
      : undefined,
    meta: meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : undefined,
    warnings: warnings.length ? warnings : undefined,
    errors: Array.isArray(errors) ? errors : undefined,
    apiVersion: typeof member(body, 'apiVersion') === 'string' ? (member(body, 'apiVersion') as string) : undefined,
  };
}

const LIST_MEMBERS = ['assets', 'items', 'records', 'categories', 'keywords', 'attributes', 'results'];

/** The records of a list answer: the payload itself, or its one array member. */
export function itemsOf<T = unknown>(payload: unknown): T[] {
  if (Array.isArray(payload)) return payload as T[];
  if (!payload || typeof payload !== 'object') return [];
  for (const name of LIST_MEMBERS) {
    const value = member(payload, name);
    if (Array.isArray(value)) return value as T[];
  }
  const arrays = Object.values(payload as Record<string, unknown>).filter(Array.isArray);
  return arrays.length === 1 ? (arrays[0] as T[]) : [];
}

export interface RejectedField {
  field: string;
  message: string;
}

/** Errors a write reported while still answering 2xx (skipped JSON-Patch lines, unknown attributes). */
export function rejectedFields(envelope: Envelope): RejectedField[] {
  const lists = [member(envelope.meta, 'errors'), envelope.errors].filter(Array.isArray) as unknown[][];
  const out: RejectedField[] = [];
  for (const list of lists) {
    for (const entry of list) {
      if (typeof entry === 'string') {
        out.push({ field: '', message: entry });
        continue;
      }
      const field = member(entry, 'path') ?? member(entry, 'field') ?? member(entry, 'property') ?? member(entry, 'memberName') ?? '';
      const message = member(entry, 'message') ?? member(entry, 'errorMessage') ?? member(entry, 'error') ?? JSON.stringify(entry);
      out.push({ field: String(field), message: String(message) });
    }
  }
  return out;
}

/**
 * Warnings as "field: message" lines. MediaValet still did the work (an unneeded field
 * ignored, an unsupported parameter skipped): something to show, never a failure.
 */
export function warningMessages(envelope: Envelope): string[] {
  return (envelope.warnings ?? []).map((entry) => {
    if (typeof entry === 'string') return entry;
    const field = member(entry, 'field') ?? member(entry, 'path') ?? member(entry, 'property') ?? member(entry, 'parameter');
    const message = member(entry, 'message') ?? member(entry, 'warning') ?? member(entry, 'description');
    if (typeof message !== 'string') return JSON.stringify(entry);
    return typeof field === 'string' && field && !message.includes(field) ? `${field}: ${message}` : message;
  });
}

/**
 * The human part of an error body, in either of MediaValet's forms: { Message, ExceptionMessage,
 * ExceptionType } or { message, _links, translationKeys, interpolations, permissions } (the
 * permissions a refusal names are added), and APIM's { message }, OAuth's error_description.
 */
export function serverMessageOf(body: unknown): string | undefined {
  for (const name of ['message', 'exceptionMessage', 'error_description', 'detail', 'title', 'error']) {
    const value = member(body, name);
    if (typeof value === 'string' && value.trim()) {
      const extra = name === 'message' ? member(body, 'exceptionMessage') : undefined;
      const permissions = member(body, 'permissions');
      const missing = Array.isArray(permissions) && permissions.length ? ` (permission needed: ${permissions.map(String).join(', ')})` : '';
      return typeof extra === 'string' && extra.trim() && extra !== value ? `${value} (${extra})${missing}` : `${value}${missing}`;
    }
  }
  const errors = member(body, 'errors');
  if (Array.isArray(errors) && errors.length) return errors.map((e) => (typeof e === 'string' ? e : serverMessageOf(e) ?? JSON.stringify(e))).join('; ');
  return undefined;
}
