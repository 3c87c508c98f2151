// What a MediaValet nobody on the team wrote may hand out, on demand (profiles.ts):
// file names chosen by whoever uploaded the asset, and records shaped as MediaValet's docs
// show them (PascalCase, file.mimeType, sasExpiry under media) rather than as this
// simulator writes them. Both off by default; tests of the hardening turn them on.

/** Names an uploader may give an asset: paths, drives, dot files, controls, bidi overrides, a very long one. */
export const HOSTILE_FILE_NAMES: readonly string[] = [
  '../../mv-evil.txt',
  '/tmp/mv-evil-abs.txt',
  '..\\..\\mv-evil.txt',
  'C:\\Windows\\System32\\mv-evil.dll',
  'C:mv-evil.txt',
  '.bashrc',
  '..',
  'report\u202Egnp.exe',
  'line\r\nbreak\u0000.png',
  `${'a'.repeat(600)}.png`,
  '名前 😀.png',
  'CON.txt',
  '',
];

/** The hostile name this asset is handed out with: a fixed pick by its id, so a test knows it. */
export function hostileNameFor(id: string): string {
  let sum = 0;
  for (const char of id) sum = (sum * 31 + char.charCodeAt(0)) >>> 0;
  return HOSTILE_FILE_NAMES[sum % HOSTILE_FILE_NAMES.length];
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [pascal(k), pascalKeys(v)]));
}

/**
 * The record as the other shape: contentType → mimeType, sasExpiry under media, no
 * assetType (AssetType only), every member PascalCase; the media links' own names kept.
 */
export function alternateShape(record: Record<string, unknown>): Record<string, unknown> {
  const { file, media, sasExpiry, assetType, ...rest } = record as Record<string, any>;
  const { contentType, sizeInBytes, ...fileRest } = file ?? {};
  return {
    ...(pascalKeys(rest) as Record<string, unknown>),
    AssetType: assetType,
    File: { ...(pascalKeys(fileRest) as Record<string, unknown>), MimeType: contentType, FileSize: sizeInBytes },
    Media: { ...media, SasExpiry: sasExpiry },
  };
}

export interface HostileSettings {
  /** Assets carry a hostile file name (hostileNameFor their id) instead of their own. */
  hostileFileNames: boolean;
  /** 'simulator': this simulator's record shape; 'alternate': alternateShape(). */
  recordShape: 'simulator' | 'alternate';
}

/** An asset record as handed out under these settings. */
export function handedOut(record: Record<string, unknown>, settings: HostileSettings): Record<string, unknown> {
  let out = record;
  if (settings.hostileFileNames) out = { ...out, file: { ...(out.file as object), fileName: hostileNameFor(String(out.id)) } };
  return settings.recordShape === 'alternate' ? alternateShape(out) : out;
}
