// When and how long to wait before trying a request again.
import { MediaValetError } from './errors';
import type { HttpMethod } from './transport';
import { IDEMPOTENT_METHODS } from './transport';

export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  maxRetries: number;
  /** Backoff base; attempt n waits up to base * 2^n (default 500 ms). */
  baseDelayMs: number;
  /** Cap of one backoff wait (default 20 s). */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the call fails and says when to retry (default 120 s). */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterSeconds: 120 };

/** Full jitter (AWS architecture blog): spreads a crowd of clients that failed together. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/**
 * 429 and 503 mean the request was not processed, so any method may be retried.
 * Other 5xx answers may come after the work was done: only idempotent requests retry,
 * which are idempotent methods and reads sent as POST that their caller marked so (a search).
 */
export function retryableStatus(status: number, method: HttpMethod, idempotent = IDEMPOTENT_METHODS.has(method)): boolean {
  if (status === 429 || status === 503) return true;
  return status >= 500 && idempotent;
}

/** A network failure is retried when repeating cannot do the work twice. */
export function retryableNetworkError(error: MediaValetError, method: HttpMethod, idempotent = IDEMPOTENT_METHODS.has(method)): boolean {
  if (error.kind !== 'transient') return false;
  return idempotent || error.notSent;
}

/**
 * Waits `ms`, or rejects with the signal's reason once it aborts. Core has no timer of its
 * own (n8n Cloud forbids setTimeout in community nodes): the host passes one in, n8n
 * n8n-workflow's sleep, Node-RED Node's timers.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
