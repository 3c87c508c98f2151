// A one-way fingerprint of the settings that make a sign-in: lets a host tell whether a
// stored token set, or a sign-in already under way, belongs to exactly these credentials
// without keeping or comparing the secrets themselves.
import { createHash } from 'node:crypto';

/**
 * SHA-256 over the parts, each prefixed by its length so that ("ab", "c") and ("a", "bc")
 * differ. Undefined and empty parts are distinct from each other. Returns base64url.
 */
export function fingerprint(...parts: Array<string | undefined | null>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    if (part === undefined || part === null) {
      hash.update('-;');
      continue;
    }
    const bytes = Buffer.from(part, 'utf8');
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
    hash.update(';');
  }
  return hash.digest('base64url');
}
