// The two packed packages as the registries see them: what each tarball holds, n8n's
// community-package scanner and `n8n-node lint` on the n8n package, Node-RED's Flow
// Library scorecard on the Node-RED package. Both tarballs come from `npm run pack`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eEnv, n8nTarball, nodeRedTarball, ROOT } from './env';

function listing(tarball: string): string[] {
  return execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
}

function packageJsonOf(tarball: string): Record<string, any> {
  return JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { status: number; output: string } {
  try {
    const output = execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
    return { status: 0, output };
  } catch (error) {
    const e = error as { status: number; stdout?: string; stderr?: string };
    return { status: e.status, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the n8n package', () => {
  it('ships the compiled credentials, nodes and the core they use, and nothing of Node-RED, the simulator or the sources', () => {
    const files = listing(n8nTarball());
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/credentials/MediaValetOAuth2Api.credentials.js', 'dist/credentials/mediavalet.svg', 'dist/nodes/MediaValet/MediaValet.node.js', 'dist/nodes/MediaValetTrigger/MediaValetTrigger.node.js', 'dist/nodes/MediaValetEventsTrigger/MediaValetEventsTrigger.node.js', 'dist/nodes/MediaValetEventsTrigger/mediavalet.svg', 'dist/core/client.js', 'dist/core/retry.js']) {
      expect(files).toContain(`package/${file}`);
    }
    const unwanted = files.filter((f) => /^package\/(dist\/(node-red|simulator|bench)\/|core\/|nodes\/|credentials\/|node-red\/|test\/|examples\/)|axios|\.d\.ts$|\.map$|\.ts$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('declares no dependencies, n8n-workflow as its only (optional) peer, and every node and credential it ships', () => {
    const pkg = packageJsonOf(n8nTarball());
    expect(pkg.name).toBe('n8n-nodes-mediavalet');
    expect(pkg.keywords).toContain('n8n-community-node-package');
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
    expect(pkg.scripts).toBeUndefined();
    expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
    expect(pkg['node-red']).toBeUndefined();
    const files = listing(n8nTarball());
    for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(`package/${entry}`);
  });

  it("passes n8n's community-package scanner on the tarball and the source (0 errors but the publisher's author fields)", () => {
    const { status, output } = run(process.execPath, [path.join(ROOT, 'scripts/scan-n8n.mjs'), e2eEnv().SCANNER_DIR, n8nTarball(), '--source'], { env: { ...process.env, FORCE_COLOR: '0' } });
    process.stdout.write(output);
    expect(output).toMatch(/analyzePackage: tarball n8n-nodes-mediavalet-[^\n]*\n[\s\S]*?=> \d+ errors, 0 outside the publisher's author fields/);
    // n8n's verification also lints the source at the commit the npm provenance names.
    expect(output).toMatch(/analyzePackage: source [^\n]*\n[\s\S]*?=> \d+ errors, 0 outside the publisher's author fields[^\n]*\n/);
    expect(output).not.toMatch(/\[advisory\]/);
    expect(status).toBe(0);
  });

  it("passes n8n's community-node lint (n8n-node lint, n8n Cloud rules, none of the Cloud rules waived)", () => {
    const config = fs.readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8');
    expect(config).toMatch(/const \{ config \} = require\(cli\)/);
    expect(config).not.toMatch(/configWithoutCloudSupport|no-runtime-dependencies|no-restricted-imports|no-restricted-globals/);
    // Nor inside the code: grep finds no lint switch-offs (exit 1: nothing found).
    expect(run('grep', ['-rlE', 'eslint-disable|@ts-nocheck', 'core', 'nodes', 'credentials'], { cwd: ROOT })).toEqual({ status: 1, output: '' });
    const env = e2eEnv();
    const tools = path.join(env.TOOLS_DIR, 'node_modules');
    const { status, output } = run(path.join(tools, '.bin', 'n8n-node'), ['lint'], {
      cwd: ROOT,
      // NODE_ENV=test (set by jest) switches eslint-plugin-n8n-nodes-base into its own test mode.
      env: { ...process.env, NODE_ENV: 'production', PATH: `${path.dirname(env.NODE24)}:${path.join(tools, '.bin')}:${process.env.PATH}`, N8N_NODE_CLI: path.join(tools, '@n8n', 'node-cli'), FORCE_COLOR: '0' },
    });
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    // Warnings allowed (the homepage, set by the publisher); errors are not.
    expect(plain).not.toMatch(/\s error\s/);
    expect(status).toBe(0);
  });
});

describe('the Node-RED package', () => {
  it('ships the compiled nodes with their editor files, locales, icons, examples and the core they use, and nothing of n8n', () => {
    const files = listing(nodeRedTarball());
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/node-red/mediavalet-config.js', 'dist/node-red/mediavalet-config.html', 'dist/node-red/locales/en-US/mediavalet-asset.json', 'dist/node-red/icons/mediavalet.svg', 'dist/node-red/axios-transport.js', 'dist/core/client.js', 'examples/02 - Search assets.json']) {
      expect(files).toContain(`package/${file}`);
    }
    const unwanted = files.filter((f) => /^package\/(dist\/(nodes|credentials|simulator|bench)\/|core\/|node-red\/|test\/|examples\/n8n\/)|\.d\.ts$|\.map$|\.ts$/.test(f));
    expect(unwanted).toEqual([]);
    const pkg = packageJsonOf(nodeRedTarball());
    expect(Object.keys(pkg.dependencies)).toEqual(['axios']);
    expect(pkg.n8n).toBeUndefined();
    for (const entry of Object.values(pkg['node-red'].nodes)) expect(files).toContain(`package/${entry}`);
  });

  it('passes the Node-RED Flow Library scorecard (node-red-dev validate), all green but the repository URL', () => {
    const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-unpacked-'));
    execFileSync('tar', ['xzf', nodeRedTarball(), '-C', unpacked]);
    const output = path.join(unpacked, 'scorecard.json');
    const log = execFileSync(process.execPath, [path.join(ROOT, 'scripts/scorecard.js'), e2eEnv().TOOLS_DIR, path.join(unpacked, 'package'), output], { encoding: 'utf8' });
    process.stdout.write(log);
    expect(log).not.toContain('❌');
    expect(log).toContain('Examples found for all nodes');
    const card = JSON.parse(fs.readFileSync(output, 'utf8'));
    const results = Object.entries(card).filter(([, v]: [string, any]) => v && typeof v === 'object' && 'test' in v);
    expect(results.length).toBeGreaterThanOrEqual(10);
    // P03 (repository or bugs URL) only the publisher can fill in: README, release checklist.
    expect(results.filter(([, v]: [string, any]) => v.test !== true).map(([k]) => k)).toEqual(['P03']);
  });
});
