// Every input a node passes to MediaValet is checked here before anything is sent: a wrong
// type, an empty or oversized value, or an id that cannot be one fails naming the field in
// the editor's words. A 10 MB id never becomes a 10 MB URL, and `{}` never becomes
// "/assets/[object Object]" blamed on a deleted record.
import { ConfigurationError, quote } from './errors';
import { isControl } from './safe-name';

/** True when `text` holds a control character other than those in `allowed`. */
function hasControl(text: string, allowed = ''): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i)) && !allowed.includes(text[i])) return true;
  return false;
}

/** Asset, category and attribute ids are GUIDs (seen in working code and in every record). */
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Ids MediaValet does not document as GUIDs (keyword ids, upload ids) stay below this. */
const MAX_ID_LENGTH = 100;

/** Bounds on text MediaValet stores; generous, they stop mistakes (a whole file as a title), not content. */
export const TEXT_LIMITS = {
  /** Titles, keywords, names, alt text. */
  line: 1_000,
  /** Descriptions, attribute values. */
  text: 10_000,
  /** Search text and filter expressions (they travel in a POST body). */
  query: 4_000,
  /** A file name a user gives an upload or an update. */
  fileName: 255,
  /** A URL or an API path: proxies and gateways refuse longer request lines. */
  url: 8_000,
} as const;

/** `field` is the label unless a field has its own established key (Upload From URL's `url`). */
export function invalidInput(label: string, problem: string, hint: string, field = label): ConfigurationError {
  return new ConfigurationError(`${label} ${problem}`, { code: 'invalid_input', kind: 'request', field, hint });
}

/** "an object", "a list", "a number"… for a message about the wrong type. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return Buffer.isBuffer(value) ? 'binary data' : 'an object';
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

function asText(value: unknown, label: string, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalidInput(label, `must be ${what}, not ${typeName(value)}.`, `Give ${what}; an expression or msg property may have picked the wrong value.`);
}

/**
 * An id checked before it goes into a URL: text (or a number), not empty, not oversized, and
 * a GUID where MediaValet's ids are GUIDs (assets, categories, attributes).
 */
export function checkId(value: unknown, label: string, options: { guid?: boolean } = {}): string {
  const guid = options.guid ?? true;
  const text = asText(value, label, 'an ID (text)').trim();
  if (!text) throw invalidInput(label, 'is empty.', 'Give the ID, e.g. from a search or the watch/trigger output.');
  if (guid && !GUID.test(text)) {
    throw invalidInput(
      label,
      text.length > 36 ? `is ${text.length} characters long: a MediaValet ID has 36.` : `${quote(text)} is not a MediaValet ID.`,
      'A MediaValet ID looks like 3f2504e0-4f89-41d3-9a0c-0305e82c3301 (a GUID).',
    );
  }
  if (text.length > MAX_ID_LENGTH) throw invalidInput(label, `is ${text.length} characters long: too long for an ID.`, 'Give the ID itself, not a record or a list.');
  if (/[/\\?#]/.test(text) || hasControl(text)) throw invalidInput(label, `${quote(text)} is not an ID: it holds a character an ID cannot (/, \\, ?, # or a control character).`, 'Give the ID itself.');
  return text;
}

/** Several ids (a list or comma-separated text), each checked. */
export function checkIds(values: string[], label: string, options: { guid?: boolean } = {}): string[] {
  return values.map((v) => checkId(v, label, options));
}

/**
 * Optional text: undefined/null/'' stay undefined; anything else must be text within `max`
 * characters. `singleLine` refuses control characters (a title or keyword cannot hold them).
 */
export function checkText(value: unknown, label: string, options: { max?: number; singleLine?: boolean } = {}): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof text !== 'string') throw invalidInput(label, `must be text, not ${typeName(value)}.`, 'Give text; an expression or msg property may have picked the wrong value.');
  const max = options.max ?? TEXT_LIMITS.line;
  if (text.length > max) throw invalidInput(label, `is ${text.length} characters long: at most ${max} are accepted.`, 'Shorten it; an expression or msg property may have picked the wrong value.');
  if (hasControl(text, options.singleLine ? '' : '\t\n\r')) throw invalidInput(label, `${quote(text)} holds a control character.`, options.singleLine ? 'Remove line breaks, tabs and other control characters.' : 'Remove control characters.');
  return text;
}

/** A list of short texts (keywords): each one checked. */
export function checkTextList(values: unknown[], label: string, max: number = TEXT_LIMITS.line): string[] {
  return values.map((v) => checkText(v, label, { max, singleLine: true })).filter((v): v is string => v !== undefined);
}

/** A whole number within bounds (page sizes, limits); undefined/'' stays undefined. */
export function checkCount(value: unknown, label: string, options: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const min = options.min ?? 1;
  const max = options.max ?? 1_000_000;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    const shown = typeof value === 'string' ? quote(value) : typeof value === 'number' ? String(value) : typeName(value);
    throw invalidInput(label, `must be a whole number from ${min} to ${max}, not ${shown}.`, `Give a number from ${min} to ${max}.`);
  }
  return n;
}

/** A path under the API URL for API Request: /something, no scheme or host, no dot segments. */
export function checkApiPath(value: unknown, label: string): string {
  const text = asText(value, label, 'a path such as /assets').trim();
  if (!text) throw invalidInput(label, 'is empty.', 'Give a path under the API URL, e.g. /assets or /categories.');
  if (text.length > TEXT_LIMITS.url) throw invalidInput(label, `is ${text.length} characters long: at most ${TEXT_LIMITS.url} are accepted.`, 'Give a path such as /assets/<id>; put long values in the body.');
  if (!text.startsWith('/') || /^\/\//.test(text) || /^[a-z][a-z0-9+.-]*:/i.test(text)) {
    throw invalidInput(label, `${quote(text)} is not a path under the API URL: it must start with a single /.`, 'Give the part after the API URL, e.g. /assets; the credential says which MediaValet is called.');
  }
  if (text.includes(' ') || hasControl(text)) throw invalidInput(label, `${quote(text)} holds a space or a control character.`, 'Encode spaces as %20, or pass values as query parameters.');
  // URLs resolve . and .. (also as %2e) before sending: /assets/../users would call /users.
  const segments = text.split(/[?#]/)[0].split('/').map((segment) => segment.toLowerCase().replace(/%2e/g, '.'));
  if (segments.some((segment) => segment === '.' || segment === '..')) throw invalidInput(label, `${quote(text)} holds a . or .. segment.`, 'Give the path without . or .. parts.');
  return text;
}

/** An http(s) URL to read a file from (Upload From URL). */
export function checkUrl(value: unknown, label: string): string {
  if (typeof value !== 'string') throw invalidInput(label, `must be a web address (text), not ${typeName(value)}.`, 'Give a full http:// or https:// address.', 'url');
  const text = value.trim();
  if (!text) throw invalidInput(label, 'is empty.', 'Give a full http:// or https:// address.', 'url');
  if (text.length > TEXT_LIMITS.url) throw invalidInput(label, `is ${text.length} characters long: at most ${TEXT_LIMITS.url} are accepted.`, 'Give a shorter link to the file.', 'url');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw invalidInput(label, `${quote(text)} is not a URL.`, 'Give a full http:// or https:// address.', 'url');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalidInput(label, `must start with http:// or https:// (it starts with ${quote(parsed.protocol, 20)}).`, 'Give a web address of the file.', 'url');
  return text;
}

/** Attribute values by name or id: an object of text values. */
export function checkAttributes(value: unknown, label: string): Record<string, string> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
    throw invalidInput(label, `must be an object of attribute name to value, not ${typeName(value)}.`, 'e.g. {"Photographer": "Ana"}.');
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const key = checkText(name, `${label} (a name)`, { max: TEXT_LIMITS.line, singleLine: true });
    if (!key) continue;
    const text = checkText(v, `${label} ${quote(key, 60)}`, { max: TEXT_LIMITS.text });
    out[key] = text ?? '';
  }
  return out;
}

/**
 * "a, b" or ["a", "b"] → ["a", "b"], as both hosts take keyword and category lists; anything
 * else (an object, a Buffer) fails naming the field instead of reading as "no keywords".
 */
export function listFrom(value: unknown, label: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : typeof value === 'number' ? [value] : undefined;
  if (!parts) throw invalidInput(label, `must be a comma-separated text or a list, not ${typeName(value)}.`, 'e.g. "summer, beach" or ["summer", "beach"].');
  if (parts.length > 1_000) throw invalidInput(label, `has ${parts.length} entries: at most 1000 are sent at once.`, 'Split the list over several messages or items.');
  return parts
    .map((part) => {
      if (typeof part !== 'string' && typeof part !== 'number') throw invalidInput(label, `holds ${typeName(part)}: each entry must be text.`, 'e.g. ["summer", "beach"].');
      return String(part).trim();
    })
    .filter(Boolean);
}

/** A text the operation cannot do without (a new category's or keyword's name). */
export function requiredText(value: unknown, label: string, options: { max?: number; singleLine?: boolean } = {}): string {
  const text = checkText(typeof value === 'string' ? value.trim() : value, label, options);
  if (!text) throw invalidInput(label, 'is empty.', `Give the ${label.toLowerCase()}.`);
  return text;
}
