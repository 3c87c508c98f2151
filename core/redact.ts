// Secrets must never reach logs, error messages, node status or output items.
// Two layers: the exact values a client knows are secret, and patterns that catch
// secrets we were never told about (a token echoed back in an error body, say).

const REDACTED = '[redacted]';

const PATTERNS: RegExp[] = [
  // Authorization header values and bearer tokens anywhere in text.
  /(\bBearer\s+)[A-Za-z0-9\-._~+/]+=*/gi,
  /(\bBasic\s+)[A-Za-z0-9+/]+=*/gi,
  // Form or query parameters that carry secrets.
  /(\b(?:access_token|refresh_token|id_token|code|code_verifier|client_secret|password|subscription-key|subscription_key)=)[^&\s"']+/gi,
  // JSON members that carry secrets.
  /("(?:access_token|refresh_token|id_token|code_verifier|client_secret|password|accessToken|refreshToken|idToken|clientSecret|subscriptionKey)"\s*:\s*")[^"]*/g,
  // The subscription-key header as text.
  /(Ocp-Apim-Subscription-Key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  // Azure SAS signatures in URLs.
  /([?&]sig=)[^&\s"']+/gi,
  // Anything shaped like a JWT.
  /()\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
];

/** Replaces every known secret value, then every secret-shaped pattern, with `[redacted]`. */
export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real secrets are longer.
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
  return out;
}
