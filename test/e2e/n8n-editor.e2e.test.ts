// The n8n node panel driven in real Chromium against real n8n 2.41 (Node 24): the asset
// picker's list search and its URL mode, each run from the panel; then the node's tool
// variant called the way n8n's agents call tools (no model is reachable here: n8n's own
// Tool Executor node invokes the tool through createNodeAsTool with the given arguments).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'flatted';
import { DEMO, SEED_IDS } from '../../simulator/index';
import { gradientPng } from '../../simulator/png';
import { Sim } from '../helpers/simulator';
import { ARTIFACTS, launchChromium, n8nTarball, waitFor } from './env';
import { type N8nProcess, passwordCredentialFields, signInToEditor, startN8nWithPackage } from './n8n-runtime';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { record } = require('../leak/record');

let sim: Sim;
let n8n: N8nProcess;
let password: { id: string; name: string };
const OCEAN = '10000000-0000-4000-8000-000000000002';
const FOREST = '10000000-0000-4000-8000-000000000003';

beforeAll(async () => {
  sim = await Sim.start();
  n8n = await startN8nWithPackage(n8nTarball());
  password = await n8n.createCredential('MediaValet (password)', 'mediaValetPasswordApi', passwordCredentialFields(sim, DEMO));
});
afterAll(async () => {
  if (n8n) fs.writeFileSync(path.join(ARTIFACTS, 'n8n-editor.log'), n8n.log);
  await n8n?.stop();
  await sim?.stop();
});

const shot = (page: { screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown> }, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });

describe('node panel', () => {
  it('finds an asset by typing in the From List search, picks it, runs; then takes a MediaValet link in By URL mode and runs again', async () => {
    fs.rmSync(path.join(ARTIFACTS, 'n8n-asset-picker-failed.png'), { force: true });
    const workflow = await n8n.rest<{ id: string }>('POST', '/workflows', {
      name: 'e2e editor pickers',
      nodes: [
        { id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          id: 'get-asset',
          name: 'Get asset',
          type: 'n8n-nodes-mediavalet.mediaValet',
          typeVersion: 2,
          position: [260, 0],
          parameters: { authentication: 'password', resource: 'asset', operation: 'get', assetId: { __rl: true, mode: 'list', value: '' } },
          credentials: { mediaValetPasswordApi: password },
        },
      ],
      connections: { Start: { main: [[{ node: 'Get asset', type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1' },
    });
    const browser = await launchChromium();
    // n8n's editor marks its controls with data-test-id.
    (await import('playwright-core')).selectors.setTestIdAttribute('data-test-id');
    try {
      const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
      await signInToEditor(page, n8n.url);
      await page.goto(`${n8n.url}/workflow/${workflow.id}`);
      const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Get asset' }).first();
      await node.waitFor({ timeout: 60_000 });
      await node.dblclick();

      const picker = page.getByTestId('resource-locator-assetId');
      await picker.waitFor({ timeout: 30_000 });
      await expect(picker.getByTestId('rlc-mode-selector').locator('input').inputValue()).resolves.toMatch(/from list/i);
      // The list: n8n asks searchAssets as the dropdown opens, then again for the typed text.
      await picker.getByTestId('rlc-input').click();
      const items = page.getByTestId('rlc-item');
      await waitFor('the asset list', async () => (await items.count()) >= 10);
      const listed = await items.allTextContents();
      expect(listed.join('\n')).toMatch(/Coral gradient/);
      await shot(page, 'n8n-asset-picker-list.png');
      await page.getByTestId('rlc-search').fill('Ocean');
      await waitFor('the search to narrow the list', async () => (await items.count()) === 1 && /Ocean gradient/.test((await items.first().textContent()) ?? ''));
      await shot(page, 'n8n-asset-picker-search.png');
      await items.first().click();
      await waitFor('the picked asset in the field', async () => /Ocean gradient/.test(await picker.getByTestId('rlc-input').inputValue()));

      // Run from the panel: the picked asset, simplified (Simplify is on by default in version 2).
      await page.getByTestId('node-execute-button').first().click();
      const output = page.getByTestId('output-panel');
      await waitFor('the asset in the output panel', async () => {
        const text = (await output.textContent()) ?? '';
        return /Ocean gradient/.test(text) && /linksExpireAt/.test(text) && !/sasExpiry/.test(text);
      });
      await shot(page, 'n8n-asset-picker-run.png');

      // By URL: a link without an asset id is refused in the field, a MediaValet link is taken.
      await picker.getByTestId('rlc-mode-selector').click();
      await page.locator('.el-popper:visible .el-select-dropdown__item').filter({ hasText: /by url/i }).first().click();
      const urlInput = picker.getByTestId('rlc-input');
      await urlInput.fill('https://acme.mediavalet.com/search?q=ocean');
      await urlInput.blur();
      // n8n marks the field and says why in the issue icon's tooltip.
      const issues = picker.getByTestId('parameter-issues');
      await issues.waitFor({ timeout: 15_000 });
      await issues.hover();
      await waitFor('the link error', async () => /Not a MediaValet asset link/.test((await page.textContent('body')) ?? ''), 15_000);
      await shot(page, 'n8n-asset-picker-url-invalid.png');
      await urlInput.fill(`https://acme.mediavalet.com/assets/${FOREST}`);
      await urlInput.blur();
      await waitFor('the link error to clear', async () => (await issues.count()) === 0, 15_000);
      await page.getByTestId('node-execute-button').first().click();
      await waitFor('the linked asset in the output panel', async () => /Forest gradient/.test((await output.textContent()) ?? ''));
      await shot(page, 'n8n-asset-picker-url-run.png');
      record('n8n editor', await page.textContent('body'));

      // Saved as a URL-mode locator: what the workflow keeps and runs from now on.
      await page.keyboard.press('Control+s');
      await waitFor('the saved workflow', async () => {
        const saved = await n8n.rest<{ nodes: Array<{ name: string; parameters: { assetId?: { mode: string; value: string } } }> }>('GET', `/workflows/${workflow.id}`);
        const assetId = saved.nodes.find((n) => n.name === 'Get asset')?.parameters.assetId;
        return assetId?.mode === 'url' && assetId.value.endsWith(FOREST);
      });
    } catch (error) {
      const pages = browser.contexts().flatMap((c) => c.pages());
      if (pages[0]) {
        await shot(pages[0], 'n8n-asset-picker-failed.png');
        fs.writeFileSync(path.join(ARTIFACTS, 'n8n-asset-picker-failed.html'), await pages[0].content());
      }
      throw error;
    } finally {
      await browser.close();
    }
  });
});

describe('node panel, Search', () => {
  it('offers the filter builder beside the expression, and Include Subcategories only once a category is set', async () => {
    fs.rmSync(path.join(ARTIFACTS, 'n8n-search-failed.png'), { force: true });
    const search = (name: string, x: number, options: Record<string, unknown>) => ({
      id: name,
      name,
      type: 'n8n-nodes-mediavalet.mediaValet',
      typeVersion: 2,
      position: [x, 0],
      parameters: { authentication: 'password', resource: 'asset', operation: 'search', options },
      credentials: { mediaValetPasswordApi: password },
    });
    const workflow = await n8n.rest<{ id: string }>('POST', '/workflows', {
      name: 'e2e editor search',
      nodes: [search('Search all', 0, {}), search('Search shoes', 300, { category: { __rl: true, mode: 'list', value: SEED_IDS.categories.shoes, cachedResultName: 'Marketing/Shoes' } })],
      connections: {},
      settings: { executionOrder: 'v1' },
    });
    const browser = await launchChromium();
    (await import('playwright-core')).selectors.setTestIdAttribute('data-test-id');
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    try {
      await signInToEditor(page, n8n.url);
      await page.goto(`${n8n.url}/workflow/${workflow.id}`);
      /** The names a collection's "Add" dropdown offers. */
      const offered = async (collection: string): Promise<string[]> => {
        const item = page.getByTestId('parameter-item').filter({ has: page.locator(`label[for="${collection}"]`) }).first();
        const entries = page.locator('.el-popper:visible .el-select-dropdown__item');
        // A dropdown closed with Escape fades out for a moment: read only the one opened here.
        await entries.first().waitFor({ state: 'hidden', timeout: 10_000 });
        await item.getByTestId('collection-parameter-add').click();
        await entries.first().waitFor({ timeout: 15_000 });
        const names = (await entries.allTextContents()).map((t) => t.trim());
        return names;
      };
      const open = async (name: string) => {
        const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: name }).first();
        await node.waitFor({ timeout: 60_000 });
        await node.dblclick();
        await page.getByTestId('parameter-item').first().waitFor({ timeout: 30_000 });
      };
      await open('Search all');
      const filters = await offered('filterFields');
      expect(filters).toEqual(['Asset Type', 'Attribute Equals', 'Filter Expression', 'Keywords', 'Modified From', 'Modified To', 'Uploaded From', 'Uploaded To']);
      await shot(page, 'n8n-search-filters.png');
      await page.keyboard.press('Escape');
      const withoutCategory = await offered('options');
      expect(withoutCategory).toEqual(expect.arrayContaining(['Category', 'Search In', 'Sort']));
      expect(withoutCategory).not.toContain('Include Subcategories');
      await shot(page, 'n8n-search-options-no-category.png');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.goto(`${n8n.url}/workflow/${workflow.id}`);
      await open('Search shoes');
      expect(await offered('options')).toContain('Include Subcategories');
      await shot(page, 'n8n-search-options-with-category.png');
    } catch (error) {
      await shot(page, 'n8n-search-failed.png');
      fs.writeFileSync(path.join(ARTIFACTS, 'n8n-search-failed.html'), await page.content());
      throw error;
    } finally {
      await browser.close();
    }
  });
});

describe('version 2 operations, run in workflows', () => {
  let hooks = 0;
  async function run(parameters: Record<string, unknown>): Promise<any[]> {
    const hook = `mv-v2-${++hooks}`;
    await n8n.webhookWorkflow(hook, [{ name: 'MediaValet', type: 'n8n-nodes-mediavalet.mediaValet', typeVersion: 2, parameters: { authentication: 'password', ...parameters }, credentials: { mediaValetPasswordApi: password } }]);
    const answer = await n8n.callWebhook(hook, {});
    expect(answer.status).toBe(200);
    return answer.json;
  }
  afterEach(() => sim.settings({ pageSizeCap: 100 }));

  it('Keyword → Get Many and API Request page through every record (4 per page here), or stop at the limit; API Request sends custom headers', async () => {
    await sim.settings({ pageSizeCap: 4 });
    await sim.resetCounters();
    const all = await run({ resource: 'keyword', operation: 'getMany', returnAll: true });
    const pages = (await sim.state()).api.byRoute['GET /keywords'];
    expect(all.length).toBeGreaterThan(8);
    // The strict MediaValet refuses the first page (50 asked, cap 4) with a 400 that teaches the cap;
    // it gives the total, so paging then stops on it: no empty last page.
    expect(pages).toBe(Math.ceil(all.length / 4) + 1);
    expect(new Set(all.map((k) => k.id)).size).toBe(all.length);
    expect(await run({ resource: 'keyword', operation: 'getMany', returnAll: false, limit: 5 })).toHaveLength(5);

    const records = await run({
      resource: 'apiRequest',
      operation: 'send',
      method: 'GET',
      path: '/keywords',
      paginate: true,
      returnAll: false,
      limit: 6,
      headers: { header: [{ name: 'x-correlation-id', value: 'e2e-corr-42' }] },
    });
    expect(records.map((r) => r.id)).toEqual(all.slice(0, 6).map((k) => k.id));
    expect((await sim.state()).api.correlationIds).toContain('e2e-corr-42');
  });

  it('Search with the filter builder, simplified', async () => {
    const found = await run({ resource: 'asset', operation: 'search', returnAll: true, filterFields: { assetTypes: ['Image'], keywords: 'summer', uploadedFrom: '2026-01-07T00:00:00.000Z' }, options: { sort: 'record.createdAt A' } });
    // Seeded one a day from 5 January, even ones "summer": from the 7th, the 3rd, 5th, … of 12.
    expect(found.map((a) => a.title)).toEqual(['Forest gradient', 'Plum gradient', 'Teal gradient', 'Sand gradient', 'Mint gradient']);
    for (const asset of found) expect(Object.keys(asset)).toContain('thumbnailUrl');
    const whole = await run({ resource: 'asset', operation: 'get', assetId: { __rl: true, mode: 'id', value: FOREST }, simplify: false });
    expect(whole[0]).toHaveProperty('media.original');
  });
});

describe('tool variant, as an AI agent calls it', () => {
  let files: http.Server;
  let fileUrl: string;
  const png = gradientPng(64, 48, [10, 120, 200]);
  beforeAll(async () => {
    files = http.createServer((req, res) => {
      if (req.url === '/cms/hero.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    fileUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/cms/hero.png`;
  });
  afterAll(() => new Promise((resolve) => files.close(resolve)));

  let hooks = 0;
  /** Webhook → n8n's Tool Executor, with the MediaValet tool on its ai_tool input; returns what the tool answered the agent. */
  async function callTool(toolName: string, parameters: Record<string, unknown>, args: Record<string, unknown>): Promise<unknown> {
    const hook = `mv-tool-${++hooks}`;
    const workflow = await n8n.rest<{ id: string; versionId: string }>('POST', '/workflows', {
      name: `e2e tool ${hook}`,
      nodes: [
        { id: 'hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${hook}-id`, parameters: { path: hook, httpMethod: 'POST', responseMode: 'lastNode', responseData: 'allEntries' } },
        {
          id: 'executor',
          name: 'Tool Executor',
          type: '@n8n/n8n-nodes-langchain.toolExecutor',
          typeVersion: 1,
          position: [260, 0],
          parameters: { query: JSON.stringify({ [toolName]: args }), toolName },
        },
        {
          id: 'tool',
          name: toolName.replace(/_/g, ' '),
          type: 'n8n-nodes-mediavalet.mediaValetTool',
          typeVersion: 2,
          position: [260, 220],
          parameters: { descriptionType: 'manual', toolDescription: `MediaValet: ${toolName}`, authentication: 'password', ...parameters },
          credentials: { mediaValetPasswordApi: password },
        },
      ],
      connections: {
        Webhook: { main: [[{ node: 'Tool Executor', type: 'main', index: 0 }]] },
        [toolName.replace(/_/g, ' ')]: { ai_tool: [[{ node: 'Tool Executor', type: 'ai_tool', index: 0 }]] },
      },
      settings: { executionOrder: 'v1' },
    });
    await n8n.rest('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
    const answer = await n8n.callWebhook(hook, {});
    const list = await n8n.rest<{ results: Array<{ id: string; workflowId: string }> }>('GET', `/executions?limit=1&filter=${encodeURIComponent(JSON.stringify({ workflowId: workflow.id }))}`);
    const execution = await n8n.rest<{ data: string }>('GET', `/executions/${list.results[0].id}`);
    const data = parse(execution.data);
    record('n8n execution', JSON.stringify(data.resultData));
    expect(data.resultData.error).toBeUndefined();
    expect(answer.status).toBe(200);
    const run = data.resultData.runData[toolName.replace(/_/g, ' ')][0];
    return run.data.ai_tool[0][0].json.response;
  }

  it('searches, uploads from a URL and tags with $fromAI values: ids and text in, compact JSON out', async () => {
    const found = (await callTool(
      'Search_assets',
      { resource: 'asset', operation: 'search', query: "={{ $fromAI('searchText', 'Words to search for', 'string') }}", returnAll: false, limit: 5 },
      { searchText: 'Ocean' },
    )) as Array<Record<string, unknown>>;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: OCEAN, title: 'Ocean gradient', type: 'Image', keywords: expect.arrayContaining(['ocean']) });
    expect(Object.keys(found[0]).sort()).toEqual(
      ['categories', 'contentType', 'fileName', 'id', 'keywords', 'linksExpireAt', 'modifiedAt', 'originalUrl', 'sizeInBytes', 'thumbnailUrl', 'title', 'type', 'uploadedAt'].sort(),
    );

    const uploaded = (await callTool(
      'Upload_from_URL',
      {
        resource: 'upload',
        operation: 'uploadFromUrl',
        url: "={{ $fromAI('fileUrl', 'The public address of the file', 'string') }}",
        options: { title: "={{ $fromAI('title', 'A short title', 'string') }}", keywords: "={{ $fromAI('keywords', 'Comma-separated keywords', 'string') }}" },
      },
      { fileUrl, title: 'Hero banner', keywords: 'hero, homepage' },
    )) as Array<Record<string, any>>;
    expect(uploaded[0]).toMatchObject({ filename: 'hero.png', sizeInBytes: png.length, asset: { title: 'Hero banner', keywords: ['hero', 'homepage'], fileName: 'hero.png' } });
    const newId = uploaded[0].id as string;
    expect((await sim.asset(newId)).title).toBe('Hero banner');

    const tagged = (await callTool(
      'Add_keywords',
      { resource: 'asset', operation: 'addKeywords', assetId: { __rl: true, mode: 'id', value: "={{ $fromAI('assetId', 'The asset id', 'string') }}" }, keywords: "={{ $fromAI('keywords', 'Comma-separated keywords', 'string') }}" },
      // Agents often pass the link they were given rather than the id: both work.
      { assetId: `https://acme.mediavalet.com/assets/${newId}`, keywords: 'approved' },
    )) as Array<Record<string, unknown>>;
    expect(tagged[0]).toMatchObject({ id: newId, keywords: expect.arrayContaining(['hero', 'homepage', 'approved']) });
    expect(SEED_IDS.firstAsset).not.toBe(newId);
  });
});

describe('the reworked panels, as a new user sees them', () => {
  it('credential forms: what to fill first with where to get it, the rest behind Advanced Settings; a saved credential keeps its settings in sight', async () => {
    fs.rmSync(path.join(ARTIFACTS, 'n8n-panels-failed.png'), { force: true });
    const fresh = await n8n.createCredential('MediaValet (new password)', 'mediaValetPasswordApi', { username: 'someone@example.com', password: 'not-used', clientId: 'client', clientSecret: 'not-used', subscriptionKey: 'not-used' });
    const oauth = await n8n.createCredential('MediaValet (new OAuth2)', 'mediaValetOAuth2Api', { clientId: 'client', clientSecret: 'not-used', subscriptionKey: 'not-used' });
    const browser = await launchChromium();
    (await import('playwright-core')).selectors.setTestIdAttribute('data-test-id');
    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    const openCredential = async (id: string) => {
      await page.goto(`${n8n.url}/home/credentials/${id}`);
      await page.locator('.el-dialog:visible').getByText('Subscription Key').first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(500);
    };
    try {
      await signInToEditor(page, n8n.url);
      await openCredential(fresh.id);
      const form = page.locator('.el-dialog:visible');
      const text = async () => (await form.textContent()) ?? '';
      await waitFor('the required fields and the switch', async () => /Username[\s\S]*Password[\s\S]*Client ID[\s\S]*Client Secret[\s\S]*Subscription Key[\s\S]*Advanced Settings/.test(await text()));
      expect(await text()).not.toMatch(/API URL|Identity Server URL|Allow Insecure/);
      await shot(page, 'n8n-credential-password-new.png');
      await form.getByText('Advanced Settings').first().click();
      const toggle = form.locator('[data-test-id="parameter-input-showAdvanced"] .el-switch, [data-test-id="parameter-input-showAdvanced"] input').first();
      if (!/API URL/.test(await text())) await toggle.click();
      await waitFor('the advanced settings', async () => /Identity Server URL[\s\S]*API URL[\s\S]*API Version[\s\S]*Client Authentication[\s\S]*Timeout[\s\S]*Allow Insecure/.test(await text()));
      await form.getByText('Allow Insecure').first().scrollIntoViewIfNeeded();
      await shot(page, 'n8n-credential-password-advanced.png');
      record('n8n editor', await text());

      // The e2e's own credential, saved with the simulator's URLs and Allow Insecure, without the switch.
      await openCredential(password.id);
      await waitFor('its own settings in sight', async () => /Identity Server URL[\s\S]*API URL[\s\S]*Allow Insecure/.test(await text()));
      expect(await text()).not.toMatch(/API Version|Timeout/);
      await form.getByText('Allow Insecure').first().scrollIntoViewIfNeeded();
      await shot(page, 'n8n-credential-password-saved.png');

      await openCredential(oauth.id);
      await waitFor('the OAuth2 form', async () => /Client ID[\s\S]*Client Secret[\s\S]*Subscription Key[\s\S]*suit MediaValet/.test(await text()));
      await shot(page, 'n8n-credential-oauth2.png');
      await form.getByText('Subscription Key').first().scrollIntoViewIfNeeded();
      await shot(page, 'n8n-credential-oauth2-rest.png');
    } catch (error) {
      await shot(page, 'n8n-panels-failed.png');
      fs.writeFileSync(path.join(ARTIFACTS, 'n8n-panels-failed.html'), await page.content());
      throw error;
    } finally {
      await browser.close();
    }
  });

  it('node panels of version 3: Upload From URL\'s destination as main fields, filters as ranges with the expression last', async () => {
    const node = (name: string, x: number, parameters: Record<string, unknown>) => ({
      id: name,
      name,
      type: 'n8n-nodes-mediavalet.mediaValet',
      typeVersion: 3,
      position: [x, 0],
      parameters: { authentication: 'password', ...parameters },
      credentials: { mediaValetPasswordApi: password },
    });
    const workflow = await n8n.rest<{ id: string }>('POST', '/workflows', {
      name: 'e2e editor version 3',
      nodes: [node('Upload from URL', 0, { resource: 'upload', operation: 'uploadFromUrl' }), node('Search assets', 300, { resource: 'asset', operation: 'search' })],
      connections: {},
      settings: { executionOrder: 'v1' },
    });
    const browser = await launchChromium();
    (await import('playwright-core')).selectors.setTestIdAttribute('data-test-id');
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    try {
      await signInToEditor(page, n8n.url);
      await page.goto(`${n8n.url}/workflow/${workflow.id}`);
      const open = async (name: string) => {
        const canvasNode = page.locator('[data-test-id="canvas-node"]').filter({ hasText: name }).first();
        await canvasNode.waitFor({ timeout: 60_000 });
        await canvasNode.dblclick();
        await page.getByTestId('parameter-item').first().waitFor({ timeout: 30_000 });
        await page.waitForTimeout(500);
      };
      await open('Upload from URL');
      const panel = async () => (await page.locator('[data-test-id="ndv"], .ndv-wrapper, body').first().textContent()) ?? '';
      await waitFor('the destination fields', async () => /File URL[\s\S]*Category Names or IDs[\s\S]*Title[\s\S]*File Name/.test(await panel()));
      await shot(page, 'n8n-upload-from-url.png');
      await page.keyboard.press('Escape');

      await open('Search assets');
      const item = page.getByTestId('parameter-item').filter({ has: page.locator('label[for="filterFields"]') }).first();
      const entries = page.locator('.el-popper:visible .el-select-dropdown__item');
      await item.getByTestId('collection-parameter-add').click();
      await entries.first().waitFor({ timeout: 15_000 });
      expect((await entries.allTextContents()).map((t) => t.trim())).toEqual(['Asset Type', 'Attribute Equals', 'Keywords', 'Modified Between', 'Uploaded Between']);
      await shot(page, 'n8n-search-filters-v3.png');
      await entries.filter({ hasText: 'Uploaded Between' }).first().click();
      await waitFor('the range entry', async () => /Uploaded Between/.test(await panel()));
      const range = page.getByTestId('parameter-item').filter({ has: page.locator('label[for="uploadedBetween"]') }).first();
      const add = range.getByTestId('fixed-collection-add');
      if (await add.count()) await add.first().click();
      await waitFor('From and To', async () => /From[\s\S]*To/.test((await range.textContent()) ?? ''), 15_000).catch(() => undefined);
      await shot(page, 'n8n-search-uploaded-between.png');
      const options = page.getByTestId('parameter-item').filter({ has: page.locator('label[for="options"]') }).first();
      await options.getByTestId('collection-parameter-add').click();
      await entries.first().waitFor({ timeout: 15_000 });
      expect((await entries.allTextContents()).map((t) => t.trim())).toContain('Filter Expression (Advanced)');
      await shot(page, 'n8n-search-options-v3.png');
      await page.keyboard.press('Escape');

      // The canvas: nodes named by their short actions ("Upload from URL", "Search assets").
      await page.goto(`${n8n.url}/workflow/${workflow.id}`);
      await page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Search assets' }).first().waitFor({ timeout: 60_000 });
      await shot(page, 'n8n-canvas-short-names.png');
    } catch (error) {
      await shot(page, 'n8n-panels-v3-failed.png');
      fs.writeFileSync(path.join(ARTIFACTS, 'n8n-panels-v3-failed.html'), await page.content());
      throw error;
    } finally {
      await browser.close();
    }
  });
});
