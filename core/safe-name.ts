// The one rule for a file name a host may use as a path (n8n binary fileName, Node-RED
// msg.filename). Anyone who can upload to the library names the asset, and a write-file
// node set to msg.filename writes wherever the name points: only a plain base name leaves.
// The record itself keeps the name as MediaValet stored it.

/** Longest name given out, in UTF-8 bytes (file systems stop at 255; room for a suffix). */
export const MAX_FILE_NAME_BYTES = 200;
/** An extension longer than this is not kept when a name is cut. */
const MAX_EXTENSION_CHARS = 16;

/** C0 and C1 controls and DEL (by code: a regular expression may not spell them). */
export function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * Characters no name or log line should carry: controls, and the bidirectional marks that
 * make "gnp.exe" read as "exe.png" (U+061C, U+200E-200F, U+202A-202E, U+2066-2069), the BOM,
 * line and paragraph separators.
 */
export function isUnsafeChar(code: number): boolean {
  return isControl(code) || code === 0x061c || code === 0x200e || code === 0x200f || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}

/** `text` with every unsafe character replaced by `replace(char)`. */
export function replaceUnsafe(text: string, replace: (char: string) => string = () => ''): string {
  let out = '';
  for (const char of text) out += isUnsafeChar(char.codePointAt(0) ?? 0) ? replace(char) : char;
  return out;
}
// Characters Windows refuses in a name (':' would also name an NTFS stream).
const WINDOWS_RESERVED_CHARS = /[<>:"|?*]/g;
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** The first characters of `text` that fit in `bytes` UTF-8 bytes, never splitting a character. */
function fitBytes(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}

function clean(name: string): string {
  let text = replaceUnsafe(name.normalize('NFC'));
  // The last segment after / or \ (both: a name from Windows is read on Linux too).
  text = text.split(/[\\/]/).pop() ?? '';
  // A drive prefix left without a separator ("C:evil.txt") names a folder on Windows.
  text = text.replace(/^[A-Za-z]:/, '');
  text = text.replace(WINDOWS_RESERVED_CHARS, '_');
  // Leading dots hide a file or name ".." / "."; trailing dots and spaces Windows drops.
  text = text.trim().replace(/^\.+/, '').replace(/[. ]+$/, '').trim();
  if (WINDOWS_DEVICE_NAMES.test(text)) text = `_${text}`;
  if (utf8Bytes(text) > MAX_FILE_NAME_BYTES) {
    const dot = text.lastIndexOf('.');
    const extension = dot > 0 && text.length - dot <= MAX_EXTENSION_CHARS + 1 ? text.slice(dot) : '';
    text = fitBytes(text.slice(0, text.length - extension.length), MAX_FILE_NAME_BYTES - utf8Bytes(extension)).replace(/[. ]+$/, '') + extension;
  }
  return text;
}

/**
 * A base name safe to use as a path: the last segment after / or \, no drive prefix, no
 * leading dots, no control or bidi-override characters, at most 200 UTF-8 bytes (the
 * extension kept when cut); `fallbackId` (the asset id) when nothing is left.
 */
export function safeFileName(name: unknown, fallbackId: string): string {
  const safe = typeof name === 'string' ? clean(name) : '';
  if (safe) return safe;
  return clean(String(fallbackId ?? '')) || 'file';
}
