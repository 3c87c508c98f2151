// The Node-RED editor's MediaValet dialogs, driven in headless Chromium against a real
// Node-RED started from its CLI with the packed package: pick a category from the tree,
// deploy from the editor, and the flow runs on it; Update from the dialog; the pickers
// working for an account that exists only in the editor; German and Japanese catalogues.
// A screenshot of every dialog goes to the e2e artifacts directory.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SEED_IDS } from '../../simulator/index';
import { DEMO, Sim } from '../helpers/simulator';
import { ARTIFACTS, e2eEnv, freePort, launchChromium, nodeRedTarball, ROOT, waitFor } from './env';
import { ADMIN, NodeRedProcess } from './node-red-runtime';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

const C = SEED_IDS.categories;
const VIEWER = 'viewer';
let sim: Sim;
let red: NodeRedProcess;
/** Screenshot names carry the runtime, so both runs keep theirs. */
let tag = '';
const shots: string[] = [];

const runtimes = [
  { name: 'Node-RED 4.1 on Node 20', tag: 'nr4', node: () => process.execPath, red: () => require.resolve('node-red/red.js', { paths: [ROOT] }) },
  { name: 'Node-RED 5 on Node 24', tag: 'nr5', node: () => e2eEnv().NODE24, red: () => e2eEnv().NODERED5_JS },
];

const passwordAccount = (id: string, name: string) => ({
  id,
  type: 'mediavalet-config',
  name,
  authMode: 'password',
  identityUrl: sim.identityUrl,
  apiUrl: sim.apiUrl,
  apiVersion: '1.2',
  scope: 'openid api offline_access',
  clientAuth: 'basic',
  allowInsecure: true,
  credentials: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, subscriptionKey: DEMO.subscriptionKey, username: DEMO.users[0].username, password: DEMO.users[0].password },
});

function flows() {
  return [
    { id: 'tab', type: 'tab', label: 'editor e2e' },
    passwordAccount('acct', ''),
    { id: 'in', z: 'tab', type: 'http in', url: '/mv-find', method: 'get', wires: [['finder']], x: 120, y: 60 },
    { id: 'finder', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'search', categoryId: '', includeSubcategories: true, sort: 'record.createdAt D', searchOutput: 'array', limit: '', wires: [['reply']], x: 320, y: 60 },
    { id: 'in2', z: 'tab', type: 'http in', url: '/mv-update', method: 'get', wires: [['updater']], x: 120, y: 120 },
    { id: 'updater', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'update', assetId: SEED_IDS.firstAsset, attributes: [], wires: [['reply']], x: 320, y: 120 },
    { id: 'reply', z: 'tab', type: 'http response', wires: [], x: 540, y: 90 },
    { id: 'uploader', z: 'tab', type: 'mediavalet-upload', account: 'acct', wires: [[]], x: 320, y: 180 },
    { id: 'requester', z: 'tab', type: 'mediavalet-request', account: 'acct', method: 'GET', path: '/assets', returnAll: 'single', wires: [[]], x: 320, y: 240 },
    { id: 'tokener', z: 'tab', type: 'mediavalet-token', account: 'acct', wires: [[]], x: 320, y: 300 },
    // Deployed as before the filter rows and Output existed.
    { id: 'in3', z: 'tab', type: 'http in', url: '/mv-filtered', method: 'get', wires: [['filtered']], x: 120, y: 360 },
    { id: 'filtered', z: 'tab', type: 'mediavalet-asset', account: 'acct', operation: 'search', categoryId: '', includeSubcategories: true, sort: 'record.createdAt A', searchOutput: 'array', limit: '', wires: [['reply']], x: 320, y: 360 },
    { id: 'old-watch', z: 'tab', type: 'mediavalet-watch', account: 'acct', event: 'new', interval: 3600, wires: [[]], x: 320, y: 420 },
  ];
}

async function shot(page: Page, name: string, what: string): Promise<void> {
  const file = path.join(ARTIFACTS, `node-red-editor-${tag}-${name}.png`);
  await page.screenshot({ path: file });
  shots.push(`${path.basename(file)}: ${what}`);
}

async function openEditor(locale = 'en-US') {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 950 }, locale });
  const page = await context.newPage();
  await page.goto(red.url);
  await page.fill('#node-dialog-login-username', ADMIN.username);
  await page.fill('#node-dialog-login-password', ADMIN.password);
  await page.click('#node-dialog-login-submit');
  await page.waitForFunction(() => (window as any).RED?.nodes?.node('finder'), null, { timeout: 60_000 });
  await page.click('text=No, do not enable notifications', { timeout: 2000 }).catch(() => undefined);
  return { browser, page };
}

async function editNode(page: Page, id: string): Promise<void> {
  await page.evaluate((nodeId) => (window as any).RED.editor.edit((window as any).RED.nodes.node(nodeId)), id);
  await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
  // The tray slides in.
  await page.waitForTimeout(500);
}

async function closeDialog(page: Page, button: 'ok' | 'cancel' = 'ok'): Promise<void> {
  await page.click(`#node-dialog-${button}`);
  await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
}

/** Opens the tree beside a category field, searches, and picks the category by name. */
async function pickCategory(page: Page, field: string, search: string, name: string): Promise<void> {
  const row = page.locator(`.form-row:has(#${field})`);
  const panel = page.locator(`.form-row:has(#${field}) ~ .mv-category-panel`).first();
  if (!(await panel.isVisible())) await row.locator('.mv-browse').click();
  await panel.locator('.red-ui-treeList-label-text', { hasText: 'Marketing' }).first().waitFor({ timeout: 20_000 });
  await panel.locator('input.mv-category-search').fill('');
  await panel.locator('input.mv-category-search').pressSequentially(search, { delay: 30 });
  const item = panel.locator('.red-ui-treeList-label-text', { hasText: name }).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
}

async function deployFromEditor(page: Page): Promise<void> {
  await page.click('#red-ui-header-button-deploy');
  await page.waitForFunction(() => !(window as any).RED.nodes.dirty(), null, { timeout: 30_000 });
}

async function getJson(url: string): Promise<any> {
  return waitFor(url, async () => {
    const response = await fetch(url);
    return response.status === 200 ? response.json() : undefined;
  });
}

afterAll(() => {
  // What each screenshot shows, for the CI log beside them.
  if (shots.length) console.log(`Node-RED editor screenshots in ${ARTIFACTS}:\n${shots.map((s) => `  ${s}`).join('\n')}`);
});

describe.each(runtimes)('Node-RED editor, $name', (runtime) => {
  beforeAll(async () => {
    tag = runtime.tag;
    const port = await freePort();
    sim = await Sim.start();
    const userDir = NodeRedProcess.prepare();
    // A second editor user who may only read: the pickers' POST (which may send the deployed secrets elsewhere) needs write.
    const settingsFile = path.join(userDir, 'settings.js');
    const settings = fs.readFileSync(settingsFile, 'utf8');
    const hash = /password: '([^']+)', permissions: '\*'/.exec(settings)![1];
    fs.writeFileSync(settingsFile, settings.replace("permissions: '*' }]", `permissions: '*' }, { username: '${VIEWER}', password: '${hash}', permissions: 'read' }]`));
    red = new NodeRedProcess(runtime.node(), runtime.red(), userDir, port);
    await red.start();
    // Installed as a user does, through the palette manager's upload.
    await red.installFromPalette(nodeRedTarball());
    await red.deploy(flows());
  });
  afterAll(async () => {
    await red?.stop();
    await sim?.stop();
  });

  it('checks admin permission on the picker routes: read to list the deployed account, write to send the dialog values', async () => {
    expect((await fetch(`${red.url}/mediavalet/acct/categories`)).status).toBe(401);
    const post = await fetch(`${red.url}/mediavalet/acct/attributes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(401);
    const token = await red.adminToken();
    const listed = await fetch(`${red.url}/mediavalet/acct/categories`, { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    expect((await listed.json()).map((c: any) => c.name)).toEqual(['Brand', 'Marketing', 'Products']);
    const viewer = await fetch(`${red.url}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: 'read', username: VIEWER, password: ADMIN.password }),
    }).then((r) => r.json());
    const asViewer = { authorization: `Bearer ${viewer.access_token}`, 'content-type': 'application/json' };
    expect((await fetch(`${red.url}/mediavalet/acct/attributes`, { headers: asViewer })).status).toBe(200);
    // Node-RED answers a missing permission with 401, as it does for the OAuth routes.
    expect((await fetch(`${red.url}/mediavalet/acct/attributes`, { method: 'POST', headers: asViewer, body: JSON.stringify({ settings: { apiUrl: 'https://elsewhere.example' } }) })).status).toBe(401);
    const dialog = { settings: { authMode: 'password', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, apiVersion: '1.2', allowInsecure: true }, credentials: { clientSecret: '__PWRD__', password: '__PWRD__', subscriptionKey: '__PWRD__' } };
    const asAdmin = await fetch(`${red.url}/mediavalet/acct/attributes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(dialog) });
    expect(asAdmin.status).toBe(200);
    expect((await asAdmin.json()).map((a: any) => a.name)).toEqual(['Photographer', 'Product SKU', 'Usage Rights']);
  });

  it('picks a category from the tree in mv asset, deploys from the editor, and the flow searches that category', async () => {
    const before = await getJson(`${red.url}/mv-find`);
    expect(before.length).toBe((await sim.state()).assets);
    const { browser, page } = await openEditor();
    try {
      await page.locator('#red-ui-palette-search input').pressSequentially('mv', { delay: 30 });
      await page.waitForTimeout(500);
      await shot(page, 'palette', 'the palette filtered to the MediaValet nodes and the workspace: one icon per node (token, request, asset, upload, watch)');
      await editNode(page, 'finder');
      expect(await page.locator('#node-input-sort option').allTextContents()).toEqual(['Relevance', 'Newest first', 'Oldest first', 'Recently changed first', 'Title A–Z', 'File name A–Z']);
      expect(await page.locator('#node-input-searchOutput option').allTextContents()).toEqual(['all records, in one message', 'all records, one message per page', 'all records, one message per record']);
      // Subcategories only once a category is chosen.
      expect(await page.isVisible('#node-input-includeSubcategories')).toBe(false);
      await pickCategory(page, 'node-input-categoryId', 'camp', 'Campaigns 2026');
      expect(await page.inputValue('#node-input-categoryId')).toBe(C.campaigns);
      await page.waitForFunction(() => /Marketing › Campaigns 2026/.test(document.querySelector('.mv-category-names')?.textContent ?? ''));
      expect(await page.isVisible('#node-input-includeSubcategories')).toBe(true);
      // The search box filtered the tree: Brand does not match "camp".
      expect(await page.locator('.mv-category-panel .red-ui-treeList-label-text', { hasText: 'Brand' }).first().isVisible()).toBe(false);
      await page.selectOption('#node-input-sort', 'title A');
      await shot(page, 'asset-search', 'mv asset, Search: the category tree filtered by "camp", Campaigns 2026 picked (id stored, path shown), Sort and Return dropdowns');
      await closeDialog(page);
      await deployFromEditor(page);
      record('node-red editor', await page.textContent('body'));
    } finally {
      await browser.close();
    }
    const after: any[] = await waitFor('the flow on the picked category', async () => {
      const found = await getJson(`${red.url}/mv-find`);
      return found.length < before.length ? found : undefined;
    });
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((a) => a.categories.includes(C.campaigns))).toBe(true);
    const titles = after.map((a) => a.title);
    expect(titles).toEqual([...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('fills mv asset\'s filter rows (text and msg) and Output; deployed, the flow finds only matching compact assets; mv watch offers Output too', async () => {
    const { browser, page } = await openEditor();
    try {
      // A new node is compact; a node deployed before Output existed opens as whole record.
      expect(await page.evaluate(() => (window as any).RED.nodes.getType('mediavalet-asset').defaults.output.value)).toBe('compact');
      expect(await page.evaluate(() => (window as any).RED.nodes.getType('mediavalet-watch').defaults.output.value)).toBe('compact');
      await editNode(page, 'filtered');
      expect(await page.inputValue('#node-input-output')).toBe('whole');
      await page.evaluate(() => {
        const $ = (window as any).$;
        $('#node-input-assetTypes').typedInput('value', 'Image');
        $('#node-input-uploadedFrom').typedInput('type', 'msg');
        $('#node-input-uploadedFrom').typedInput('value', 'req.query.since');
        $('#node-input-filterKeywords').typedInput('value', 'summer');
      });
      await page.selectOption('#node-input-output', 'compact');
      await page.locator('#node-input-filters').scrollIntoViewIfNeeded();
      await shot(page, 'asset-filters', 'mv asset, Search: the Filters rows (Asset types, Uploaded from as msg.req.query.since, Keywords), Attribute equals, the raw Expression last, Output compact');
      await closeDialog(page);
      await editNode(page, 'old-watch');
      expect(await page.inputValue('#node-input-output')).toBe('whole');
      await page.selectOption('#node-input-output', 'compact');
      await shot(page, 'watch-output', 'mv watch: Output compact asset or whole record (whole for a node deployed before the choice)');
      await closeDialog(page);
      await deployFromEditor(page);
    } finally {
      await browser.close();
    }
    const found: any[] = await waitFor('the filtered, compact search', async () => {
      const f = await getJson(`${red.url}/mv-filtered?since=2026-01-07`);
      return Array.isArray(f) && f.length && 'uploadedAt' in f[0] ? f : undefined;
    });
    // Seeded one a day from 5 January, even ones "summer": from the 7th, the 3rd, 5th, … of 12.
    expect(found.map((a) => a.title)).toEqual(['Forest gradient', 'Plum gradient', 'Teal gradient', 'Sand gradient', 'Mint gradient']);
    expect(found.every((a) => a.type === 'Image' && a.keywords.includes('summer') && !('record' in a))).toBe(true);
  });

  it('updates from the dialog: title typed in a typedInput, an attribute picked by name; fields left empty stay as they were', async () => {
    const { browser, page } = await openEditor();
    try {
      await editNode(page, 'updater');
      await page.locator('.form-row:has(#node-input-title) input.red-ui-typedInput-input').fill('Retitled in the Node-RED editor');
      await page.locator('.node-input-attributes-row .red-ui-editableList-addButton').click();
      const name = page.locator('.node-input-attributes-row .mv-attribute-name').first();
      // The name field suggests the account's attributes, from its own list (the Search filter rows have another).
      const list = await page.locator('.node-input-attributes-row .mv-attribute-name').first().getAttribute('list');
      await page.waitForFunction((id) => document.querySelectorAll(`datalist#${id} option`).length === 3, list);
      expect(await page.locator(`datalist#${list} option`).evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value))).toEqual(['Photographer', 'Product SKU', 'Usage Rights']);
      await name.fill('Usage Rights');
      await page.locator('.node-input-attributes-row input.red-ui-typedInput-input').first().fill('Web only');
      await shot(page, 'asset-update', 'mv asset, Update: title, description, alt text, file name as typedInputs; an attribute row by name with the account\'s attribute names listed');
      await closeDialog(page);
      await deployFromEditor(page);
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, `node-red-editor-${tag}-failed-update.png`) });
      throw error;
    } finally {
      await browser.close();
    }
    const updated = await waitFor('the updated asset', async () => {
      const asset = await getJson(`${red.url}/mv-update`);
      return asset.title === 'Retitled in the Node-RED editor' ? asset : undefined;
    });
    expect(updated.attributes[SEED_IDS.attributes.usageRights]).toBe('Web only');
    expect(updated.altText).toBe('Coral colour gradient');
  });

  it('lists categories and attributes for an account that exists only in the editor (not deployed)', async () => {
    const { browser, page } = await openEditor();
    try {
      await page.evaluate(() => {
        (window as any).RED.nodes.import([{ id: 'watcher', z: 'tab', type: 'mediavalet-watch', account: '', event: 'new', categoryId: '', includeSubcategories: true, interval: 60, x: 320, y: 360, wires: [[]] }]);
      });
      // A new account, added from the watch dialog as a user does, and never deployed.
      await editNode(page, 'watcher');
      // Node-RED 4.1+ has an add button beside the account; older editors add through the pencil on "Add new…".
      const add = page.locator('#node-input-btn-account-add');
      if (await add.count()) await add.click();
      else await page.selectOption('#node-input-account', '_ADD_').then(() => page.click('#node-input-lookup-account'));
      await page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
      await page.waitForTimeout(500);
      const fresh = passwordAccount('new', 'Editor only');
      await page.evaluate((a) => {
        const $ = (window as any).$;
        $('#node-config-input-authMode').val('password').trigger('change');
        for (const [k, v] of Object.entries({ name: a.name, identityUrl: a.identityUrl, apiUrl: a.apiUrl, ...a.credentials })) $(`#node-config-input-${k}`).val(v).trigger('change');
        $('#node-config-input-allowInsecure').prop('checked', true).trigger('change');
      }, fresh);
      await page.click('#node-config-dialog-ok');
      await page.waitForSelector('#node-config-dialog-ok', { state: 'detached' });
      const accountId = await page.inputValue('#node-input-account');
      const token = await red.adminToken();
      expect((await fetch(`${red.url}/mediavalet/${accountId}/categories`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
      await closeDialog(page);
      await page.evaluate((id) => {
        (window as any).RED.nodes.node('uploader').account = id;
      }, accountId);
      await editNode(page, 'watcher');
      await pickCategory(page, 'node-input-categoryId', 'sho', 'Shoes');
      expect(await page.inputValue('#node-input-categoryId')).toBe(C.shoes);
      await page.waitForFunction(() => /Products › Shoes/.test(document.querySelector('.mv-category-names')?.textContent ?? ''));
      await shot(page, 'watch', 'mv watch with an account not deployed yet: the tree answered from the editor\'s values, Shoes picked');
      await closeDialog(page, 'cancel');
      await editNode(page, 'uploader');
      await pickCategory(page, 'node-input-categories', 'brand', 'Brand');
      await page.locator('.mv-category-search').first().fill('');
      await pickCategory(page, 'node-input-categories', 'shoes', 'Shoes');
      expect(await page.inputValue('#node-input-categories')).toBe(`${C.brand}, ${C.shoes}`);
      await page.locator('.node-input-attributes-row .red-ui-editableList-addButton, .form-row:has(#node-input-attributes-list) .red-ui-editableList-addButton').first().click();
      await page.locator('.mv-attribute-name').first().fill('Photographer');
      await page.locator('.mv-attribute-value').first().fill('Ana');
      await page.waitForFunction(() => /Photographer, Product SKU, Usage Rights/.test(document.querySelector('.mv-attribute-status')?.textContent ?? ''));
      await shot(page, 'upload', 'mv upload with the undeployed account: two categories picked from the tree (Brand, Products › Shoes), an attribute row by name');
      await closeDialog(page);
      expect(await page.evaluate(() => (window as any).RED.nodes.node('uploader').attributes)).toBe('{"Photographer":"Ana"}');
    } finally {
      await browser.close();
    }
  });

  it('shows the other dialogs: mv request (Return, Limit), mv token, and the account', async () => {
    const { browser, page } = await openEditor();
    try {
      await editNode(page, 'requester');
      expect(await page.locator('#node-input-returnAll option').allTextContents()).toEqual(['one response', 'all records, in one message', 'all records, one message per page', 'all records, one message per record']);
      await page.selectOption('#node-input-returnAll', 'items');
      expect(await page.isVisible('#node-input-limit')).toBe(true);
      await shot(page, 'request', 'mv request: Return with the same options and words as mv asset, Limit and Page size when paging');
      await closeDialog(page, 'cancel');
      await editNode(page, 'tokener');
      await shot(page, 'token', 'mv token dialog');
      await closeDialog(page, 'cancel');
      await page.evaluate(() => (window as any).RED.editor.editConfig('', 'mediavalet-config', 'acct'));
      await page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
      await page.waitForTimeout(800);
      await shot(page, 'config', 'the MediaValet account (config node) in password mode');
      await page.click('#node-config-dialog-cancel');
      // The palette label of an unnamed password account names its user.
      const label = await page.evaluate(() => {
        const RED = (window as any).RED;
        const node = RED.nodes.node('acct');
        return RED.utils.getNodeLabel(node);
      });
      expect(label).toBe(`MediaValet (${DEMO.users[0].username})`);
    } finally {
      await browser.close();
    }
  });

  it('the account in client-credentials mode: the service scope, no user fields, and Test Connection signs in as the client', async () => {
    const { browser, page } = await openEditor();
    try {
      await page.evaluate(() => (window as any).RED.editor.editConfig('', 'mediavalet-config', 'acct'));
      await page.waitForSelector('#node-config-dialog-ok', { state: 'visible' });
      await page.waitForTimeout(800);
      await page.selectOption('#node-config-input-authMode', 'client_credentials');
      expect(await page.inputValue('#node-config-input-scope')).toBe('api:service_principal');
      expect(await page.isVisible('#node-config-input-username')).toBe(false);
      expect(await page.isVisible('#node-config-input-password')).toBe(false);
      expect(await page.isVisible('#mv-connect')).toBe(false);
      await page.waitForSelector('#mv-test', { state: 'visible' });
      // The secret stays the deployed one (the demo service client shares it); only the client changes.
      await page.fill('#node-config-input-clientId', DEMO.serviceClientId);
      await sim.resetCounters();
      await page.click('#mv-test');
      await page.waitForFunction(() => /^Connected as Dana Demo$/.test(document.querySelector('#mv-test-status')?.textContent ?? ''), null, { timeout: 30_000 });
      expect((await sim.state()).identity.grants.client_credentials).toBe(1);
      await shot(page, 'config-client-credentials', 'the MediaValet account in client-credentials mode: the hint, the service scope, Test Connection signed in as the client');
      // Back to password: the user's scope again.
      await page.selectOption('#node-config-input-authMode', 'password');
      expect(await page.inputValue('#node-config-input-scope')).toBe('openid api offline_access');
      await page.click('#node-config-dialog-cancel');
    } finally {
      await browser.close();
    }
  });

  it('speaks German and Japanese: dialog words and help text from the de and ja catalogues', async () => {
    for (const [locale, operation, sort, help] of [
      ['de', 'Suchen', 'Relevanz', 'Liest, sucht, bearbeitet'],
      ['ja', '検索', '関連度', 'MediaValet のアセットの取得'],
    ]) {
      const { browser, page } = await openEditor(locale);
      try {
        await editNode(page, 'finder');
        expect(await page.locator('#node-input-operation option[value="search"]').textContent()).toBe(operation);
        expect(await page.locator('#node-input-sort option[value="relevance"]').textContent()).toBe(sort);
        await page.locator('.form-row:has(#node-input-categoryId) .mv-browse').click();
        await page.locator('.mv-category-panel .red-ui-treeList-label-text', { hasText: 'Marketing' }).first().waitFor();
        const helpText = await page.evaluate(async (type) => {
          const response = await fetch(`nodes?${new URLSearchParams({ _: String(Date.now()) })}`, { headers: { accept: 'text/html', authorization: `Bearer ${JSON.parse(localStorage.getItem('auth-tokens') ?? '{}').access_token}` } });
          const html = await response.text();
          return html.slice(html.indexOf(`data-help-name="${type}"`), html.indexOf(`data-help-name="${type}"`) + 400);
        }, 'mediavalet-asset');
        expect(helpText).toContain(help);
        await shot(page, `asset-${locale}`, `mv asset in ${locale === 'de' ? 'German' : 'Japanese'}: labels, options and the category tree from the ${locale} catalogue`);
        await closeDialog(page, 'cancel');
      } finally {
        await browser.close();
      }
    }
  });
});
