// Node-RED cannot save credentials a node changes at runtime (node-red issue 1055), yet
// MediaValet may rotate the refresh token on every renewal. So each config node keeps its
// token set in a file of its own under the user directory: AES-256-GCM encrypted with a
// key derived from Node-RED's credential secret, written atomically (temporary file +
// rename), and deleted with the config node. A crash mid-write leaves the previous file.
// Each file records the credentials' fingerprint and the instance that wrote it: tokens
// are used only by the same credentials on the same instance.
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
  /** Which credentials the tokens were issued for; other credentials ignore them. */
  fingerprint: string;
  /** The sign-in that obtained them (authorization_code or password). */
  mode?: string;
  /** Which Node-RED instance wrote them; absent in files from before instances were told apart. */
  instance?: string;
  tokens: TokenSet;
  savedAt: string;
}

/** Whether the stored tokens may be used: only `usable` ones are handed out. */
export type StoredState = 'usable' | 'none' | 'other-credentials' | 'other-instance';

export class TokenStore {
  private readonly file: string;
  private readonly key: Buffer;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    nodeId: string,
    secret: string,
    private readonly instance: string,
  ) {
    this.file = path.join(dir, `tokens-${nodeId.replace(/[^A-Za-z0-9_.-]/g, '_')}.enc`);
    this.key = createHash('sha256').update(`mediavalet-token-store:${secret}`).digest();
  }

  get path(): string {
    return this.file;
  }

  /** The tokens, when this instance saved them for exactly these credentials. */
  load(fingerprint: string): { tokens?: TokenSet; state: StoredState } {
    const payload = this.read();
    if (!payload) return { state: 'none' };
    if (payload.instance !== this.instance) return { state: 'other-instance' };
    if (payload.fingerprint !== fingerprint) return { state: 'other-credentials' };
    return { tokens: payload.tokens, state: 'usable' };
  }

  /** True when this instance saved the file (a copied store is not ours to show or use). */
  ownedBy(payload: Payload): boolean {
    return payload.instance === this.instance;
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
  save(tokens: TokenSet, fingerprint: string, mode?: string): Promise<void> {
    const run = this.queue.then(() => this.write({ fingerprint, mode, instance: this.instance, tokens, savedAt: new Date().toISOString() }));
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
