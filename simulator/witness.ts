// Every secret the simulator is given or hands out, written down when MV_SECRET_WITNESS
// names a directory. The test suite's leak scan then looks for each of them in everything
// the tests captured (logs, errors, node status, outputs). The simulator sees every secret
// in play (passwords, client secrets, subscription keys, codes, PKCE verifiers, tokens),
// so the scan needs no guessing at what a secret looks like.
import fs from 'node:fs';
import path from 'node:path';

export type SecretKind = 'password' | 'client_secret' | 'subscription_key' | 'code' | 'code_verifier' | 'access_token' | 'refresh_token' | 'id_token';

/** Shorter values are test inputs such as "x"; looking for them would only find ordinary words. */
const MIN_LENGTH = 10;

export class Witness {
  private readonly seen = new Set<string>();
  private readonly file?: string;

  constructor(dir = process.env.MV_SECRET_WITNESS) {
    if (dir) this.file = path.join(dir, `secrets-${process.pid}.tsv`);
  }

  get enabled(): boolean {
    return this.file !== undefined;
  }

  add(kind: SecretKind, value: unknown): void {
    if (!this.file || typeof value !== 'string' || value.length < MIN_LENGTH || this.seen.has(value)) return;
    this.seen.add(value);
    // Synchronous on purpose: the simulator may be killed right after answering.
    fs.appendFileSync(this.file, `${kind}\t${value}\n`);
  }

  /** The client secret from an HTTP Basic header (RFC 6749 2.3.1: form-encoded id and secret). */
  addBasic(header: unknown): void {
    const m = /^Basic\s+(\S+)/i.exec(String(header ?? ''));
    if (!m) return;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return;
    try {
      this.add('client_secret', decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')));
    } catch {
      this.add('client_secret', decoded.slice(colon + 1));
    }
  }
}
