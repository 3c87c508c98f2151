// The packed package as the registries see it: Node-RED's Flow Library scorecard.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eEnv, packedTarball, ROOT } from './env';

let unpacked: string;
beforeAll(() => {
  unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-unpacked-'));
  execFileSync('tar', ['xzf', packedTarball(), '-C', unpacked]);
});

it('ships the built nodes, credentials, examples and README, but not the simulator, tests or sources', () => {
  const files = execFileSync('tar', ['tzf', packedTarball()], { encoding: 'utf8' }).split('\n');
  expect(files).toContain('package/dist/node-red/mediavalet-config.html');
  expect(files).toContain('package/dist/node-red/locales/en-US/mediavalet-asset.json');
  expect(files).toContain('package/examples/02 - Search assets.json');
  expect(files).toContain('package/README.md');
  expect(files.some((f) => f.startsWith('package/dist/simulator/'))).toBe(false);
  expect(files.some((f) => f.startsWith('package/test/') || f.startsWith('package/core/'))).toBe(false);
});

it('passes the Node-RED Flow Library scorecard (node-red-dev validate)', () => {
  const output = path.join(unpacked, 'scorecard.json');
  const log = execFileSync(process.execPath, [path.join(ROOT, 'scripts/scorecard.js'), e2eEnv().TOOLS_DIR, path.join(unpacked, 'package'), output], { encoding: 'utf8' });
  expect(log).not.toContain('❌');
  expect(log).toContain('Examples found for all nodes');
  const card = JSON.parse(fs.readFileSync(output, 'utf8'));
  const failed = Object.entries(card).filter(([, v]: [string, any]) => v && typeof v === 'object' && v.test === false);
  // P03 (repository URL) and P04 (scoped name) are warnings, see the README.
  expect(failed.map(([k]) => k).filter((k) => !['P03', 'P04'].includes(k))).toEqual([]);
});

it('passes n8n\'s community-node lint (n8n-node lint from @n8n/node-cli)', () => {
  const env = e2eEnv();
  const tools = path.join(env.TOOLS_DIR, 'node_modules');
  let output = '';
  let status = 0;
  try {
    output = execFileSync(path.join(tools, '.bin', 'n8n-node'), ['lint'], {
      cwd: ROOT,
      encoding: 'utf8',
      // NODE_ENV=test (set by jest) switches eslint-plugin-n8n-nodes-base into its own test mode.
      env: { ...process.env, NODE_ENV: 'production', PATH: `${path.dirname(env.NODE24)}:${path.join(tools, '.bin')}:${process.env.PATH}`, N8N_NODE_CLI: path.join(tools, '@n8n', 'node-cli'), FORCE_COLOR: '0' },
    });
  } catch (error) {
    status = (error as { status: number }).status;
    output = String((error as { stdout?: string }).stdout) + String((error as { stderr?: string }).stderr);
  }
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  // Warnings allowed (documented in eslint.config.mjs and the README); errors are not.
  expect(plain).not.toMatch(/\s error\s/);
  expect(status).toBe(0);
});
