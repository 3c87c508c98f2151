// Node-RED cannot save credentials a node changes at runtime (node-red issue 1055), yet
// MediaValet may rotate the refresh token on every renewal. So each config node keeps its
// token set in a file of its own under the user directory: AES-256-GCM encrypted with a
// key derived from Node-RED's credential secret, written atomically (temporary file +
// rename), and deleted with the config node. A crash mid-write leaves the previous file.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TokenSet } from '../core';

interface StoredFile {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

interface Payload {
  /** Which settings the tokens were issued for; other settings ignore them. */
  fingerprint: string;
  tokens: TokenSet;
  savedAt: string;
}

export class TokenStore {
  private readonly file: string;
  private readonly key: Buffer;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    nodeId: string,
    secret: string,
  ) {
    this.file = path.join(dir, `tokens-${nodeId.replace(/[^A-Za-z0-9_.-]/g, '_')}.enc`);
    this.key = createHash('sha256').update(`mediavalet-token-store:${secret}`).digest();
  }

  get path(): string {
    return this.file;
  }

  load(fingerprint: string): TokenSet | undefined {
    const payload = this.read();
    return payload && payload.fingerprint === fingerprint ? payload.tokens : undefined;
  }

  /** What is stored, whatever settings it belongs to (for the editor's status line). */
  read(): Payload | undefined {
    let stored: StoredFile;
    try {
      stored = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return undefined;
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(stored.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
      const text = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]).toString('utf8');
      return JSON.parse(text) as Payload;
    } catch {
      // Another credential secret (or a damaged file): the account must be connected again.
      return undefined;
    }
  }

  /** Saves are queued so two renewals can never interleave their writes. */
  save(tokens: TokenSet, fingerprint: string): Promise<void> {
    const run = this.queue.then(() => this.write({ fingerprint, tokens, savedAt: new Date().toISOString() }));
    this.queue = run.catch(() => undefined);
    return run;
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }

  private async write(payload: Payload): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    const stored: StoredFile = { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await fs.promises.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(stored));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, this.file);
  }
}

/** The fingerprint of the settings a token set belongs to. */
export function fingerprintOf(parts: Array<string | undefined>): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\n')).digest('hex').slice(0, 32);
}

/**
 * The secret the store's key derives from: the user's credentialSecret, else the one
 * Node-RED generated, else a key file of our own (when credential encryption is off).
 */
export function storeSecret(settings: { get?(key: string): unknown }, dir: string): string {
  const read = (key: string) => {
    try {
      const value = settings.get?.(key);
      return typeof value === 'string' && value ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const configured = read('credentialSecret') ?? read('_credentialSecret');
  if (configured) return configured;
  const keyFile = path.join(dir, 'key');
  try {
    return fs.readFileSync(keyFile, 'utf8');
  } catch {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32).toString('hex');
    fs.writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
    return fs.readFileSync(keyFile, 'utf8');
  }
}
