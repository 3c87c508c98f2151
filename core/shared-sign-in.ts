// One sign-in per process for everyone holding the same password credentials. n8n calls a
// credential's preAuthentication for every request that finds the stored token empty or
// rejected, with no lock: hundreds of executions in flight would each sign in, which an
// identity server takes for an attack (throttling, lockout). Here they share a TokenManager,
// whose single flight and invalidate(token) already do the right thing: concurrent callers
// wait for one grant, and a caller whose token was rejected after a newer one arrived
// just gets the newer one.
import type { ClientSettings } from './config';
import { isAccountRefused } from './errors';
import { fingerprint } from './fingerprint';
import type { AuthorizationServer, ProtocolOptions } from './oauth';
import { type AccessTokenSource, type PasswordLogin, TokenManager } from './token-manager';
import type { HttpTransport } from './transport';

export interface SharedSignInRequest {
  /** The caller's own transport: the next token request goes out through the latest caller's. */
  transport: HttpTransport;
  server: AuthorizationServer;
  client: ClientSettings;
  login: PasswordLogin;
  protocol?: ProtocolOptions;
}

export interface SignInPoolOptions {
  /** Credential sets kept at once; the least recently used goes first (default 100). */
  maxEntries?: number;
  /**
   * How long a refused sign-in is answered from memory before MediaValet is asked again with
   * the same settings (default 15 minutes). Changed settings are a new entry and are tried at
   * once; the same wrong password is tried once per period per process, far below any lockout.
   */
  refusalMs?: number;
  now?: () => number;
}

interface Entry {
  manager: TokenManager;
  transport: HttpTransport;
  refusedAt?: number;
  /** When the current token arrived. */
  obtainedAt: number;
}

/** A token obtained this recently is taken to postdate whatever refused another process's token. */
const FRESH_MS = 10_000;

export class SignInPool {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly refusalMs: number;
  private readonly now: () => number;

  constructor(options: SignInPoolOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 100);
    this.refusalMs = options.refusalMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * An access token for these credentials. `rejected` is the token MediaValet refused, if any:
   * only that one is dropped, so callers still holding an older token share the new one.
   */
  async accessToken(request: SharedSignInRequest, rejected?: string): Promise<string> {
    const entry = this.entry(request);
    entry.transport = request.transport;
    if (rejected) this.reject(entry, rejected);
    try {
      return await entry.manager.getAccessToken();
    } catch (error) {
      if (isAccountRefused(error) && entry.refusedAt === undefined) entry.refusedAt = this.now();
      throw error;
    }
  }

  /**
   * These credentials' shared token as core's client takes it (n8n's Password credential sends
   * with the plain request helper and these headers): the client then sees exactly which token
   * was refused and follows the pool's current one (core/client.ts).
   */
  source(request: SharedSignInRequest): AccessTokenSource {
    const manager = () => this.entry(request).manager;
    return {
      getAccessToken: () => this.accessToken(request),
      invalidate: (token) => manager().invalidate(token),
      secrets: () => [...manager().secrets(), request.login.password],
      get current() {
        return manager().current;
      },
    };
  }

  private reject(entry: Entry, rejected: string): void {
    const current = entry.manager.current?.accessToken;
    if (rejected === current) {
      // Ours failed: renew.
      entry.manager.invalidate(rejected);
      return;
    }
    // Another token failed: an older one of ours still stored in some n8n credential, or
    // another process's (n8n keeps one token per credential in its database, shared by every
    // worker). Whatever refused it (a revocation, which can take every token of the user) may
    // have refused ours too, unless ours arrived since: renew when ours is not fresh. A burst
    // of such refusals renews once, since the renewed token is fresh for the rest of it.
    if (current && this.now() - entry.obtainedAt > FRESH_MS) entry.manager.invalidate(current);
  }

  private entry(request: SharedSignInRequest): Entry {
    const key = keyOf(request);
    let entry = this.entries.get(key);
    if (entry?.refusedAt !== undefined && this.now() - entry.refusedAt >= this.refusalMs) entry = undefined;
    if (entry) {
      this.entries.delete(key); // re-inserted below: Map order is the recency order
    } else {
      const { server, client, login, protocol } = request;
      const created: Entry = { transport: request.transport, obtainedAt: 0 } as unknown as Entry;
      // Token requests go through whichever caller asked last: a transport may belong to one
      // execution, and the one that started the pool's entry may be long finished.
      const transport: HttpTransport = { request: (r) => created.transport.request(r) };
      const onTokens = () => {
        created.obtainedAt = this.now();
      };
      created.manager = new TokenManager({ transport, server, client, mode: 'password', login, protocol, onTokens });
      entry = created;
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}

/** Who signs in where, readable; the secrets only as a one-way fingerprint. */
function keyOf({ server, client, login }: SharedSignInRequest): string {
  const secrets = fingerprint(login.password, client.clientSecret, client.clientAuth, login.scope);
  return JSON.stringify([server.tokenEndpoint, client.clientId, login.username, secrets]);
}

/** The process-wide pool the n8n password credential uses. */
export const sharedSignIns = new SignInPool();
