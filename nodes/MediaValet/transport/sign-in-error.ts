// How a failed sign-in leaves the Password credential's preAuthentication, and how the
// node finds it again. n8n wraps whatever preAuthentication throws in a NodeApiError whose
// `cause` is our error: its own message comes from the status ("Bad request - please check
// your parameters"), and the credential test shows `cause.code` ("invalid_grant") when it
// has one. So core's error travels inside a carrier with no code and no status: the test
// shows the carrier's message (core's field-naming message and hint), and the node unwraps
// core's error, which says whether retrying can help.
import { isMediaValetError, type MediaValetError } from '../../../core';

// Some n8n versions lose an Error cause inside NodeApiError (a class field resets it) and keep
// only its message; the latest refusals are found again by that text, which nothing else produces.
const recent = new Map<string, MediaValetError>();
const RECENT_MAX = 20;

export class SignInError extends Error {
  // Not named `error`, `response` or `body`: NodeApiError looks for a status under those.
  constructor(readonly signInError: MediaValetError) {
    super(signInError.describe());
    this.name = 'MediaValetSignInError';
    Object.defineProperty(this, 'cause', { value: signInError, enumerable: false });
    recent.delete(this.message);
    recent.set(this.message, signInError);
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
  }
}

/** Runs a credential's sign-in; core's errors leave it in the carrier n8n can show. */
export async function signingIn<T>(signIn: () => Promise<T>): Promise<T> {
  try {
    return await signIn();
  } catch (error) {
    throw isMediaValetError(error) ? new SignInError(error) : error;
  }
}

/** Core's error anywhere in a chain of n8n wrappers (NodeApiError → carrier → error). */
export function mediaValetErrorIn(error: unknown): MediaValetError | undefined {
  let current = error as { cause?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if (isMediaValetError(current)) return current;
    if (current instanceof SignInError) return current.signInError;
    current = current.cause as typeof current;
  }
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? recent.get(message) : undefined;
}
