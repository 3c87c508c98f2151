// Once MediaValet refuses the account (wrong password or client secret, sign-in revoked),
// nothing else in the same execution asks it again: accounts lock after a few wrong
// passwords, and n8n runs a node once per batch of a Loop Over Items, or several
// MediaValet nodes on one credential. Keyed by execution and credential id; a new
// execution (the user fixed the credential) asks again.
import type { IExecuteFunctions } from 'n8n-workflow';
import type { MediaValetError } from '../../../core';
import { credentialType } from './client';

const KEEP_MS = 60 * 60_000;
const MAX_ENTRIES = 500;
const refusals = new Map<string, { error: MediaValetError; at: number }>();

function keyOf(ctx: IExecuteFunctions): string | undefined {
  const id = ctx.getNode().credentials?.[credentialType(ctx)]?.id;
  const execution = ctx.getExecutionId();
  return id && execution ? `${execution} ${id}` : undefined;
}

export function refusedEarlier(ctx: IExecuteFunctions): MediaValetError | undefined {
  const key = keyOf(ctx);
  const entry = key ? refusals.get(key) : undefined;
  return entry && Date.now() - entry.at < KEEP_MS ? entry.error : undefined;
}

export function rememberRefusal(ctx: IExecuteFunctions, error: MediaValetError): void {
  const key = keyOf(ctx);
  if (!key) return;
  refusals.set(key, { error, at: Date.now() });
  // Oldest first: Map keeps insertion order.
  for (const [old, entry] of refusals) {
    if (refusals.size <= MAX_ENTRIES && Date.now() - entry.at < KEEP_MS) break;
    refusals.delete(old);
  }
}
