// The labels both editors show for the account settings. Core's messages name a field by
// the label the user sees (n8n credential, Node-RED config node), never by its internal name;
// both editors use these exact words.
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  authMode: 'Sign-in',
  identityUrl: 'Identity Server URL',
  apiUrl: 'API URL',
  apiVersion: 'API Version',
  clientId: 'Client ID',
  clientSecret: 'Client Secret',
  clientAuth: 'Client Authentication',
  subscriptionKey: 'Subscription Key',
  username: 'Username',
  password: 'Password',
  scope: 'Scope',
  redirectUri: 'Redirect URI Override',
  timeout: 'Timeout (Seconds)',
  allowInsecure: 'Allow Insecure (Local Testing)',
};

/** The label for a field, or the field name itself when it is not an account setting. */
export function labelOf(field: string): string {
  return FIELD_LABELS[field] ?? field;
}
