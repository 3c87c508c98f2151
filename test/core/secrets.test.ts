import { inspect } from 'node:util';
import { authorizationServer, buildAuthorizationRequest, redact, uploadAsset } from '../../core';
import { SEED_IDS } from '../../simulator/index';
import { caught, Sim } from '../helpers/simulator';

// Canary values for every secret: if one shows up in any error, the test names it.
const CANARY = {
  password: 'CANARY-pw-9b1f2e77',
  clientSecret: 'CANARY-cs-5d0c8a13',
  subscriptionKey: 'CANARY-sk-3e7d4b90',
};
let sim: Sim;
const errors: unknown[] = [];

beforeAll(async () => {
  sim = await Sim.start({
    users: [{ id: 'u-canary', username: 'canary@mediavalet.test', password: CANARY.password, name: 'Canary', email: 'canary@mediavalet.test', role: 'editor' }],
    clients: [{ client_id: 'canary-client', client_secret: CANARY.clientSecret, redirect_uris: ['http://127.0.0.1:1880/mediavalet/oauth/callback'] }],
    subscriptionKeys: [CANARY.subscriptionKey],
  });
});
afterAll(() => sim.stop());

const settings = { username: 'canary@mediavalet.test', password: CANARY.password, clientId: 'canary-client', clientSecret: CANARY.clientSecret, subscriptionKey: CANARY.subscriptionKey };

/** Every text a host could show or log of an error. */
function renderings(error: any): string[] {
  return [String(error), error?.message, error?.stack, error?.hint, error?.serverMessage, JSON.stringify(error), inspect(error, { depth: 5 })].map((t) => String(t ?? ''));
}

function assertClean(texts: string[], secrets: string[]): void {
  for (const text of texts) for (const secret of secrets) if (secret && text.includes(secret)) throw new Error(`secret leaked: ${secret.slice(0, 12)}… in ${text.slice(0, 200)}`);
}

describe('no secret appears in any error', () => {
  it('collects errors from every failure path with canary secrets', async () => {
    const { client, tokens } = sim.connect(settings);
    await client.request({ method: 'GET', path: `/assets/${SEED_IDS.firstAsset}` });
    const live = tokens.current!;

    const scenarios: Array<() => Promise<unknown>> = [
      () => sim.connect({ ...settings, password: `${CANARY.password}-wrong` }).client.request({ method: 'GET', path: '/assets' }),
      () => sim.connect({ ...settings, clientSecret: `${CANARY.clientSecret}-wrong` }).client.request({ method: 'GET', path: '/assets' }),
      () => sim.connect({ ...settings, subscriptionKey: `${CANARY.subscriptionKey}-wrong` }).client.request({ method: 'GET', path: '/assets' }),
      async () => {
        await sim.faults({ server: 'api', status: 500, body: { Message: `echo Bearer ${live.accessToken}`, ExceptionMessage: `key=${CANARY.subscriptionKey}` }, times: 0 });
        try {
          return await client.request({ method: 'POST', path: '/keywords', body: { keywordName: 'x' } });
        } finally {
          await sim.clearFaults();
        }
      },
      async () => {
        await sim.faults({ server: 'storage', status: 403, body: `<Error><Code>AuthenticationFailed</Code><Message>sig mismatch</Message></Error>`, times: 0 });
        try {
          return await uploadAsset(client, { data: Buffer.from('hello'), filename: 'leak.txt' });
        } finally {
          await sim.clearFaults();
        }
      },
      async () => {
        await sim.faults({ server: 'api', reset: true });
        return client.request({ method: 'POST', path: '/keywords', body: { keywordName: 'y' } });
      },
      () => sim.connect({ ...settings, identityUrl: 'http://127.0.0.1:9' }).client.request({ method: 'GET', path: '/assets' }),
      // Last: it leaves this client's token manager in a terminal state.
      async () => {
        // Both the refresh and the password fallback meet an identity server echoing secrets.
        await sim.faults({ server: 'identity', status: 400, body: { error: 'invalid_request', error_description: `refresh_token=${live.refreshToken} password=${CANARY.password}` }, times: 0 });
        tokens.invalidate();
        try {
          return await client.request({ method: 'GET', path: '/assets' });
        } finally {
          await sim.clearFaults();
        }
      },
    ];
    for (const scenario of scenarios) errors.push(await caught(scenario));
    expect(errors).toHaveLength(scenarios.length);

    const secrets = [CANARY.password, CANARY.clientSecret, CANARY.subscriptionKey, live.accessToken, live.refreshToken!, live.idToken!, tokens.current!.accessToken];
    for (const error of errors) assertClean(renderings(error), secrets);
    // The simulator's own log is clean too (it sees every secret).
    assertClean([sim.stderr], secrets);
  });

  it('keeps MediaValet\'s message while removing the secrets in it', () => {
    const echoed = errors[3] as any;
    expect(echoed.status).toBe(500);
    expect(echoed.message).toMatch(/echo Bearer \[redacted\]/);
    expect(echoed.serverMessage).toMatch(/key=\[redacted\]/);
  });

  it('keeps PKCE verifiers and codes out of what it shows', () => {
    const server = authorizationServer('https://login.mediavalet.com');
    const request = buildAuthorizationRequest(server, { clientId: 'c' }, { redirectUri: 'https://n8n.example/rest/oauth2-credential/callback' });
    expect(request.url).not.toContain(request.codeVerifier);
    expect(redact(`code=abc123def&code_verifier=${request.codeVerifier}&state=s`)).toBe('code=[redacted]&code_verifier=[redacted]&state=s');
  });
});

describe('redact()', () => {
  it.each([
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
    ['Basic bXYtZGVtbzpzZWNyZXQ=', 'Basic [redacted]'],
    ['grant_type=password&username=u&password=hunter22', 'grant_type=password&username=u&password=[redacted]'],
    ['{"access_token":"abc","refresh_token":"def"}', '{"access_token":"[redacted]","refresh_token":"[redacted]"}'],
    ['Ocp-Apim-Subscription-Key: 0123456789abcdef', 'Ocp-Apim-Subscription-Key: [redacted]'],
    ['https://x.blob.core.windows.net/c/b?sv=1&sig=AbC%2B&se=2', 'https://x.blob.core.windows.net/c/b?sv=1&sig=[redacted]&se=2'],
    ['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln here', 'token [redacted] here'],
  ])('%s', (input, output) => {
    expect(redact(input)).toBe(output);
  });
  it('replaces known values anywhere', () => {
    expect(redact('the key is s3cr3t-value!', ['s3cr3t-value'])).toBe('the key is [redacted]!');
  });
});
