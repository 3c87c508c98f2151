// The client-credentials grant (RFC 6749 4.4), MediaValet's "coming soon" sign-in, against the
// strict simulator: only clients it is enabled for, no refresh token, Basic (form-encoded) and
// body client authentication, errors that say what to do, and one token request per renewal
// however many callers share it.
import {
  authorizationServer,
  clientCredentialsGrant,
  DEFAULT_SERVICE_SCOPE,
  type AuthorizationServer,
  type HttpRequest,
  type HttpTransport,
  SignInPool,
} from '../../core';
import { createAxiosTransport } from '../../node-red/axios-transport';
import { caught, DEMO, Sim } from '../helpers/simulator';

const transport = createAxiosTransport({ maxSockets: 64 });
let sim: Sim;
let server: AuthorizationServer;
const service = { clientId: DEMO.serviceClientId, clientSecret: DEMO.clientSecret };
const servicePost = { clientId: DEMO.servicePostClientId, clientSecret: DEMO.clientSecret, clientAuth: 'post' as const };

beforeAll(async () => {
  sim = await Sim.start();
  server = authorizationServer(sim.identityUrl, true);
});
afterAll(() => sim.stop());
beforeEach(() => sim.resetCounters());

async function currentUser(token: string): Promise<{ status: number; body: string }> {
  const response = await transport.request({
    method: 'GET',
    url: `${sim.apiUrl}/users/current`,
    headers: { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': DEMO.subscriptionKey, 'x-mv-api-version': '1.2' },
    responseType: 'buffer',
  });
  return { status: response.status, body: (response.body as Buffer).toString('utf8') };
}

describe('the grant', () => {
  const recorded: HttpRequest[] = [];
  const recording: HttpTransport = { request: (r) => (recorded.push(r), transport.request(r)) };
  beforeEach(() => {
    recorded.length = 0;
  });

  it('signs in with HTTP Basic, form-encoded (RFC 6749 2.3.1), asks for api:service_principal and gets no refresh token', async () => {
    const tokens = await clientCredentialsGrant(recording, server, service);
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.idToken).toBeUndefined();
    expect(tokens.scope).toBe(DEFAULT_SERVICE_SCOPE);
    expect(DEMO.clientSecret).toMatch(/[+:%]/);
    expect(recorded[0].headers.authorization).toBe(`Basic ${Buffer.from(`${encodeURIComponent(DEMO.serviceClientId)}:${encodeURIComponent(DEMO.clientSecret)}`).toString('base64')}`);
    const form = new URLSearchParams(String(recorded[0].body));
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('api:service_principal');
    expect(form.has('client_secret')).toBe(false);
    const me = await currentUser(tokens.accessToken);
    expect(me.status).toBe(200);
    expect((await sim.state()).identity.grants.client_credentials).toBe(1);
  });

  it('signs in with the client id and secret in the body when asked', async () => {
    const tokens = await clientCredentialsGrant(recording, server, servicePost, { scope: 'api:service_principal' });
    expect(recorded[0].headers.authorization).toBeUndefined();
    const form = new URLSearchParams(String(recorded[0].body));
    expect(form.get('client_id')).toBe(DEMO.servicePostClientId);
    expect(form.get('client_secret')).toBe(DEMO.clientSecret);
    expect((await currentUser(tokens.accessToken)).status).toBe(200);
  });

  it('a client MediaValet has not enabled it for: says to ask MediaValet support or use Password sign-in', async () => {
    const error = await caught(() => clientCredentialsGrant(transport, server, { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret }));
    expect(error.code).toBe('unauthorized_client');
    expect(error.kind).toBe('terminal');
    expect(error.field).toBe('clientId');
    expect(error.message).toMatch(/^MediaValet has not enabled client credentials for this client yet: ask MediaValet support, or use Password sign-in\./);
    // The simulator's own words say the same, as IdentityServer's would name the client.
    expect(error.serverMessage).toMatch(/ask MediaValet support/);
    expect((await sim.state()).identity.grantErrors.client_credentials).toBe(1);
  });

  it('a wrong secret names the client fields; the way the client authenticates must be the registered one', async () => {
    const wrong = await caught(() => clientCredentialsGrant(transport, server, { ...service, clientSecret: 'wrong-secret' }));
    expect(wrong.code).toBe('invalid_client');
    expect(wrong.field).toBe('clientSecret');
    expect(wrong.hint).toMatch(/Client ID and Client Secret/);
    const otherWay = await caught(() => clientCredentialsGrant(transport, server, { ...service, clientAuth: 'post' }));
    expect(otherWay.code).toBe('invalid_client');
  });

  it('a scope MediaValet refuses names the Scope field and suggests api:service_principal', async () => {
    const error = await caught(() => clientCredentialsGrant(transport, server, service, { scope: 'openid api offline_access' }));
    expect(error.code).toBe('invalid_scope');
    expect(error.field).toBe('scope');
    expect(error.hint).toMatch(/Scope field.*api:service_principal/);
  });
});

describe('token renewal through connect()', () => {
  it('needs the client secret before anything is sent', async () => {
    const error = await caught(async () => sim.connect({ mode: 'client_credentials', clientId: DEMO.serviceClientId, clientSecret: '' }));
    expect(error.code).toBe('invalid_config');
    expect(error.field).toBe('clientSecret');
    expect((await sim.state()).identity.tokenRequests).toBe(0);
  });

  it('one token request for concurrent callers; a new one (not a refresh) before the token expires', async () => {
    let offset = 0;
    const { client, tokens } = sim.connect(
      { mode: 'client_credentials', clientId: DEMO.serviceClientId, username: undefined, password: undefined },
      { now: () => Date.now() + offset },
    );
    const all = await Promise.all(Array.from({ length: 12 }, () => tokens.getAccessToken()));
    expect(new Set(all).size).toBe(1);
    const me = await client.request({ method: 'GET', path: '/users/current' });
    expect(me.payload).toMatchObject({ id: DEMO.users[0].id });
    // The strict profile's tokens live 20 s; the manager renews within the last fifth of that.
    offset = 17_000;
    const renewed = await tokens.getAccessToken();
    expect(renewed).not.toBe(all[0]);
    const state = await sim.state();
    expect(state.identity.grants.client_credentials).toBe(2);
    expect(state.identity.grants.refresh_token ?? 0).toBe(0);
    expect(tokens.current?.refreshToken).toBeUndefined();
  });

  it('the scope setting is sent as typed', async () => {
    const { tokens } = sim.connect({ mode: 'client_credentials', clientId: DEMO.serviceClientId, scope: 'api' });
    await tokens.getAccessToken();
    expect(tokens.current?.scope).toBe('api');
  });

  it('a refused client is remembered: later callers fail without asking MediaValet again', async () => {
    const { tokens } = sim.connect({ mode: 'client_credentials', clientId: DEMO.clientId });
    const first = await caught(() => tokens.getAccessToken());
    const second = await caught(() => tokens.getAccessToken());
    expect(first.code).toBe('unauthorized_client');
    expect(second).toBe(first);
    expect((await sim.state()).identity.grantErrors.client_credentials).toBe(1);
  });
});

describe('the shared sign-in (n8n: one token request per process)', () => {
  it('any number of executions share one token request, apart from a password sign-in of the same client id', async () => {
    const pool = new SignInPool();
    const request = { transport, server, client: service };
    const tokens = await Promise.all(Array.from({ length: 30 }, () => pool.accessToken(request)));
    expect(new Set(tokens).size).toBe(1);
    // The token MediaValet refused renews once, for everyone who held it.
    const renewed = await Promise.all(Array.from({ length: 10 }, () => pool.accessToken(request, tokens[0])));
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(tokens[0]);
    expect((await currentUser(renewed[0])).status).toBe(200);
    const password = await pool.accessToken({ transport, server, client: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret }, login: { username: DEMO.users[0].username, password: DEMO.users[0].password } });
    expect(password).not.toBe(renewed[0]);
    expect(pool.size).toBe(2);
    const state = await sim.state();
    expect(state.identity.grants.client_credentials).toBe(2);
    expect(state.identity.grants.password).toBe(1);
  });
});

describe('the lenient profile (the other side of how MediaValet checks client authentication)', () => {
  let lenient: Sim;
  beforeAll(async () => {
    lenient = await Sim.start({ profile: 'lenient' });
  });
  afterAll(() => lenient?.stop());

  it('grants a token whichever way a service client authenticates, and still only to clients it is enabled for', async () => {
    const server = authorizationServer(lenient.identityUrl, true);
    for (const clientAuth of ['basic', 'post'] as const) {
      const tokens = await clientCredentialsGrant(transport, server, { ...service, clientAuth });
      expect(tokens.refreshToken).toBeUndefined();
      expect(tokens.scope).toBe(DEFAULT_SERVICE_SCOPE);
    }
    const error = await caught(() => clientCredentialsGrant(transport, server, { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret }));
    expect(error.code).toBe('unauthorized_client');
    expect((await lenient.state()).identity.grants.client_credentials).toBe(2);
  });
});
