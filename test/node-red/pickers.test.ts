// The editor's category and attribute pickers (admin routes) and mv asset's Update from the
// dialog, in a real Node-RED runtime against the simulator.
import { SEED_IDS } from '../../simulator/index';
import { catchNode, collector, helper, nodes, tempUserDir } from '../helpers/node-red';
import { DEMO, Sim } from '../helpers/simulator';

let sim: Sim;
const credentials = () => ({ clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password });
const account = (id = 'acct') => ({ id, type: 'mediavalet-config', authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true });
/** What the editor holds for an account: its settings, and credentials as typed (or the placeholder). */
const dialog = (credentialOverrides: Record<string, unknown> = {}) => ({ settings: { ...account(), id: undefined, type: undefined }, credentials: { ...credentials(), ...credentialOverrides } });

beforeAll(async () => {
  sim = await Sim.start();
  helper.settings({ userDir: tempUserDir() });
  await new Promise((resolve) => helper.startServer(resolve));
});
afterEach(() => helper.unload());
afterAll(async () => {
  await new Promise((resolve) => helper.stopServer(resolve));
  await sim.stop();
});

async function load(extra: any[] = [], withAccount = true) {
  const onTab = [...extra, { id: 'out', type: 'helper' }, { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }].map((n) => ({ z: 'tab', ...n }));
  await helper.load([...nodes, catchNode], [{ id: 'tab', type: 'tab' }, ...(withAccount ? [account()] : []), ...onTab], withAccount ? { acct: credentials() } : {});
  return { out: collector(helper.getNode('out')), caught: collector(helper.getNode('caught')) };
}

describe('category and attribute pickers (admin routes)', () => {
  it('lists the category tree of a deployed account, children under their parent', async () => {
    await load();
    const response = await helper.request().get('/mediavalet/acct/categories');
    expect(response.status).toBe(200);
    expect(response.body.map((c: any) => c.name)).toEqual(['Brand', 'Marketing', 'Products']);
    const marketing = response.body.find((c: any) => c.name === 'Marketing');
    expect(marketing).toMatchObject({ id: SEED_IDS.categories.marketing, path: '/Marketing' });
    expect(marketing.children).toEqual([expect.objectContaining({ id: SEED_IDS.categories.campaigns, name: 'Campaigns 2026', path: '/Marketing/Campaigns 2026', children: [] })]);
  });

  it('lists attribute definitions by name', async () => {
    await load();
    const response = await helper.request().get('/mediavalet/acct/attributes');
    expect(response.status).toBe(200);
    expect(response.body.map((a: any) => a.name)).toEqual(['Photographer', 'Product SKU', 'Usage Rights']);
    expect(response.body[0].id).toBe(SEED_IDS.attributes.photographer);
  });

  it('works for an account not deployed yet, from the values the editor holds, signing in once for many calls', async () => {
    await load([], false);
    expect((await helper.request().get('/mediavalet/fresh/categories')).status).toBe(404);
    await sim.resetCounters();
    for (let i = 0; i < 3; i++) {
      const response = await helper.request().post('/mediavalet/fresh/categories').send(dialog());
      expect(response.status).toBe(200);
      expect(response.body.map((c: any) => c.name)).toEqual(['Brand', 'Marketing', 'Products']);
    }
    expect((await helper.request().post('/mediavalet/fresh/attributes').send(dialog())).body).toHaveLength(3);
    expect((await sim.state()).identity.tokenRequests).toBe(1);
  });

  it("fills the editor's __PWRD__ placeholders and fields it never loaded with the deployed credentials", async () => {
    await load();
    const response = await helper
      .request()
      .post('/mediavalet/acct/attributes')
      .send({ settings: dialog().settings, credentials: { clientSecret: '__PWRD__', password: '__PWRD__', subscriptionKey: '__PWRD__' } });
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(3);
  });

  it('uses what was edited but not deployed yet: a wrong password fails naming the field, and is asked once', async () => {
    await load();
    await sim.resetCounters();
    const wrong = dialog({ password: 'not-the-password' });
    const first = await helper.request().post('/mediavalet/acct/categories').send(wrong);
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ field: 'password', label: 'Password' });
    expect(first.body.error).toMatch(/rejected the username or password.*Password/);
    expect(JSON.stringify(first.body)).not.toContain('not-the-password');
    const again = await helper.request().post('/mediavalet/acct/categories').send(wrong);
    expect(again.status).toBe(400);
    // A refused sign-in is not tried again for the same values (accounts lock).
    expect((await sim.state()).identity.tokenRequests).toBe(1);
  });

  it('names the missing or wrong field of an account: Client ID, Subscription Key, API URL', async () => {
    await load([], false);
    const missing = await helper.request().post('/mediavalet/fresh/categories').send(dialog({ clientId: '' }));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ field: 'clientId', label: 'Client ID' });
    expect(missing.body.error).toMatch(/Client ID/);
    const key = await helper.request().post('/mediavalet/fresh/categories').send(dialog({ subscriptionKey: 'wrong-key-0000' }));
    expect(key.status).toBe(400);
    expect(key.body).toMatchObject({ field: 'subscriptionKey', label: 'Subscription Key' });
    expect(JSON.stringify(key.body)).not.toContain('wrong-key-0000');
    const insecure = await helper.request().post('/mediavalet/fresh/categories').send({ ...dialog(), settings: { ...dialog().settings, apiUrl: 'http://api.example.com' } });
    expect(insecure.body).toMatchObject({ field: 'apiUrl', label: 'API URL' });
  });
});

describe('mv asset: Update from the dialog', () => {
  const update = (extra: Record<string, unknown>) => ({ id: 'upd', type: 'mediavalet-asset', account: 'acct', operation: 'update', assetId: SEED_IDS.firstAsset, wires: [['out']], ...extra });

  it('sets title, alt text and attributes by name from the dialog, values from msg, flow and env', async () => {
    process.env.MV_TEST_RIGHTS = 'Print only';
    const { out } = await load([
      update({
        title: 'title',
        titleType: 'msg',
        altText: 'Alt from the dialog',
        altTextType: 'str',
        description: '',
        descriptionType: 'str',
        attributes: [
          { name: 'Usage Rights', value: 'MV_TEST_RIGHTS', type: 'env' },
          { name: 'photographer', value: 'shooter', type: 'flow' },
        ],
      }),
    ]);
    const node = helper.getNode('upd');
    node.context().flow.set('shooter', 'Flo W.');
    node.receive({ title: 'Title from msg.title', payload: 1764590000000 });
    const [msg] = await out.next();
    expect(msg.payload.title).toBe('Title from msg.title');
    expect(msg.payload.altText).toBe('Alt from the dialog');
    // An empty field changes nothing.
    expect(msg.payload.description).toMatch(/gradient from the simulator/);
    expect(msg.payload.attributes[SEED_IDS.attributes.usageRights]).toBe('Print only');
    expect(msg.payload.attributes[SEED_IDS.attributes.photographer]).toBe('Flo W.');
  });

  it('lets msg.payload override the dialog, field by field and attribute by attribute', async () => {
    const { out } = await load([
      update({ title: 'Dialog title', titleType: 'str', altText: 'Dialog alt', altTextType: 'str', attributes: [{ name: 'Photographer', value: 'Dialog Person', type: 'str' }, { name: 'Product SKU', value: 'SKU-1', type: 'str' }] }),
    ]);
    helper.getNode('upd').receive({ payload: { title: 'Msg title', attributes: { Photographer: 'Msg Person' } } });
    const [msg] = await out.next();
    expect(msg.payload.title).toBe('Msg title');
    expect(msg.payload.altText).toBe('Dialog alt');
    expect(msg.payload.attributes[SEED_IDS.attributes.photographer]).toBe('Msg Person');
    expect(msg.payload.attributes[SEED_IDS.attributes.sku]).toBe('SKU-1');
  });

  it('fails clearly when neither the dialog nor the message changes anything', async () => {
    const { caught } = await load([update({})]);
    helper.getNode('upd').receive({ payload: 'not an object' });
    const [error] = await caught.next();
    expect(error.error.message).toMatch(/Nothing to update/);
  });
});

describe('Return options shared by mv asset and mv request', () => {
  it('sends the same messages, per page and per record, with the same properties', async () => {
    const { out } = await load([
      { id: 'finder', type: 'mediavalet-asset', account: 'acct', operation: 'search', sort: 'relevance', limit: 6, searchOutput: 'pages', wires: [['out']] },
      { id: 'req', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', returnAll: 'array', limit: 6, pageSize: 4, wires: [['out']] },
    ]);
    helper.getNode('finder').receive({});
    const [page] = await out.next();
    expect(page.payload).toHaveLength(6);
    expect(page).toMatchObject({ page: 0, count: 6, recordCount: { offset: 0 } });
    helper.getNode('req').receive({});
    const [all] = await out.next();
    expect(all.payload).toHaveLength(6);
    expect(all.count).toBe(6);
    expect(all.recordCount.totalRecordsFound).toBeGreaterThan(6);
  });
});
