// Owns one account's token set: hands out a fresh access token, refreshes it before
// it expires, lets any number of concurrent callers share one token request, and
// hands every new token set (rotated refresh token included) to the host to persist.
import type { ClientSettings } from './config';
import { AuthenticationError, isAccountRefused, MediaValetError } from './errors';
import {
  type AuthorizationServer,
  passwordGrant,
  type ProtocolOptions,
  refreshTokenGrant,
  revokeToken,
  type TokenSet,
} from './oauth';
import type { HttpTransport } from './transport';

export type AuthMode = 'authorization_code' | 'password';

export interface PasswordLogin {
  username: string;
  password: string;
  scope?: string;
}

export interface TokenManagerOptions {
  transport: HttpTransport;
  server: AuthorizationServer;
  client: ClientSettings;
  mode: AuthMode;
  /** Password mode: the resource owner's login, used for the first token and whenever refreshing fails. */
  login?: PasswordLogin;
  /** A token set restored from storage (authorization-code mode needs one). */
  tokens?: TokenSet;
  /**
   * Called with every new token set before it is used. Persist it here: a rotated
   * refresh token that is not saved is lost at the next restart.
   */
  onTokens?: (tokens: TokenSet) => void | Promise<void>;
  /**
   * Renew at most this many seconds before expiry (default 60). The margin is also at most a
   * fifth of the token's lifetime, so a 20-second token is renewed about once per lifetime
   * instead of at every call.
   */
  refreshSkewSeconds?: number;
  protocol?: ProtocolOptions;
}

/** What the API client needs from a token source; TokenManager is the real one. */
export interface AccessTokenSource {
  getAccessToken(): Promise<string>;
  /** The API said this token is no longer valid: the next call gets a new one. */
  invalidate(accessToken?: string): void;
  /** Values to scrub from any text that leaves core. */
  secrets(): Iterable<string>;
  /** The token set held now, without asking the server: lets a caller tell an older token's 401 from the current one's. */
  readonly current?: TokenSet;
}

export class TokenManager implements AccessTokenSource {
  private tokens?: TokenSet;
  private inflight?: Promise<TokenSet>;
  /**
   * A dead grant or client is remembered so callers fail fast instead of hammering the
   * identity server; other errors (even terminal-looking ones from a proxy) are not.
   */
  private terminal?: MediaValetError;
  /** Set when onTokens threw: persistence is tried again on the next call. */
  private unsaved?: TokenSet;
  private readonly skewMs: number;
  private readonly now: () => number;
  /** How long the current access token was valid when it came; unknown (infinite) for a token set from before issuedAt was kept. */
  private lifetimeMs = Number.POSITIVE_INFINITY;

  constructor(private readonly options: TokenManagerOptions) {
    this.skewMs = (options.refreshSkewSeconds ?? 60) * 1000;
    this.now = options.protocol?.now ?? Date.now;
    this.hold(options.tokens);
  }

  /** Renewal margin for the current token: the configured skew, at most a fifth of its lifetime. */
  get refreshMarginMs(): number {
    return Math.min(this.skewMs, this.lifetimeMs / 5);
  }

  private hold(tokens: TokenSet | undefined): void {
    this.tokens = tokens;
    this.lifetimeMs = tokens?.issuedAt !== undefined ? Math.max(0, tokens.expiresAt - tokens.issuedAt) : Number.POSITIVE_INFINITY;
  }

  /** The token set as it stands, without contacting the server. */
  get current(): TokenSet | undefined {
    return this.tokens;
  }

  /** Replaces the token set, e.g. after the user connected again. Clears a remembered failure. */
  async setTokens(tokens: TokenSet): Promise<void> {
    this.hold(tokens);
    this.terminal = undefined;
    await this.persist(tokens);
  }

  async getAccessToken(): Promise<string> {
    return (await this.getTokens()).accessToken;
  }

  /** A token set valid for at least the refresh skew; one token request however many callers wait. */
  async getTokens(): Promise<TokenSet> {
    if (this.unsaved) await this.persist(this.unsaved);
    const tokens = this.tokens;
    if (tokens && tokens.expiresAt - this.refreshMarginMs > this.now()) return tokens;
    if (this.terminal) throw this.terminal;
    if (!this.inflight) {
      this.inflight = this.obtain().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  invalidate(accessToken?: string): void {
    // Only the token that failed: a 401 that raced a refresh must not discard the new token.
    if (this.tokens && (accessToken === undefined || this.tokens.accessToken === accessToken)) {
      this.tokens = { ...this.tokens, expiresAt: 0 };
    }
  }

  secrets(): string[] {
    const values = [this.options.client.clientSecret, this.options.login?.password, this.tokens?.accessToken, this.tokens?.refreshToken, this.tokens?.idToken];
    return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
  }

  /** Revokes the refresh token (ending the grant) and forgets the token set. */
  async revoke(): Promise<void> {
    const tokens = this.tokens;
    this.tokens = undefined;
    if (!tokens) return;
    const { transport, server, client, protocol } = this.options;
    if (tokens.refreshToken) await revokeToken(transport, server, client, tokens.refreshToken, 'refresh_token', protocol);
    else await revokeToken(transport, server, client, tokens.accessToken, 'access_token', protocol);
  }

  private async obtain(): Promise<TokenSet> {
    const { transport, server, client, mode, login, protocol } = this.options;
    const previous = this.tokens;
    if (previous?.refreshToken) {
      try {
        const fresh = await refreshTokenGrant(transport, server, client, previous.refreshToken, protocol);
        // Servers that do not rotate send no refresh token: the old one stays valid.
        return await this.accept({ ...fresh, refreshToken: fresh.refreshToken ?? previous.refreshToken, claims: fresh.claims ?? previous.claims });
      } catch (error) {
        const terminal = error instanceof MediaValetError && error.kind === 'terminal';
        if (!(terminal && mode === 'password' && login)) {
          this.remember(error);
          throw error;
        }
        // Password mode can always start over with a fresh login.
      }
    }
    if (mode === 'password') {
      if (!login) throw this.fail('No username and password are set for password mode.', 'invalid_config', 'Fill in the Username and Password fields.');
      try {
        return await this.accept(await passwordGrant(transport, server, client, login, protocol));
      } catch (error) {
        this.remember(error);
        throw error;
      }
    }
    throw (this.terminal = this.fail(
      previous ? 'The MediaValet sign-in has expired and cannot be renewed (no refresh token).' : 'This MediaValet account is not connected yet.',
      'reconnect_required',
      previous ? 'Reconnect the MediaValet account; keep the offline_access scope so it can renew itself.' : 'Connect the MediaValet account first.',
    ));
  }

  private remember(error: unknown): void {
    if (isAccountRefused(error)) this.terminal = error;
  }

  private async accept(fresh: TokenSet): Promise<TokenSet> {
    // Kept with the set, so a host that restores it (a restart, n8n's next execution) renews at the same margin.
    const tokens = fresh.issuedAt === undefined ? { ...fresh, issuedAt: this.now() } : fresh;
    this.hold(tokens);
    await this.persist(tokens);
    return tokens;
  }

  private async persist(tokens: TokenSet): Promise<void> {
    if (!this.options.onTokens) return;
    this.unsaved = tokens;
    await this.options.onTokens(tokens);
    if (this.unsaved === tokens) this.unsaved = undefined;
  }

  private fail(message: string, code: 'reconnect_required' | 'invalid_config', hint: string): AuthenticationError {
    return new AuthenticationError(message, { code, kind: 'terminal', hint, field: code === 'invalid_config' ? 'password' : undefined });
  }
}
