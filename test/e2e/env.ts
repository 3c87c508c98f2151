// What the end-to-end tests run: paths from scripts/e2e-install.sh (which installs
// Chromium, Node 24, n8n, Node-RED 5 and the registries' checkers into a cache on first
// use), the two packed packages, free ports, and a headless Chromium.
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

let installed: Record<string, string> | undefined;
export function e2eEnv(): Record<string, string> {
  if (!installed) {
    const out = execFileSync('bash', [path.join(ROOT, 'scripts/e2e-install.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 });
    installed = Object.fromEntries(out.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
  }
  return installed;
}

let packed: { n8n: string; 'node-red': string } | undefined;
/** `npm run pack`, the command CI and the release run, once per test file: the tarballs users install. */
function packedTarballs() {
  if (!packed) {
    execSync('npm run pack --silent', { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    packed = JSON.parse(fs.readFileSync(path.join(ROOT, 'artifacts', 'packed.json'), 'utf8')) as { n8n: string; 'node-red': string };
  }
  return packed;
}
/** The n8n package (n8n-nodes-mediavalet), as `npm run pack` made it. */
export const n8nTarball = (): string => packedTarballs().n8n;
/** The Node-RED package, as `npm run pack` made it. */
export const nodeRedTarball = (): string => packedTarballs()['node-red'];

export { freePort } from '../../bench/n8n-host';

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: e2eEnv().CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && (value as unknown) !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export const ARTIFACTS = path.join(os.tmpdir(), 'mediavalet-e2e-artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });
