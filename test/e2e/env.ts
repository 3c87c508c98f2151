// What the end-to-end tests run: paths from scripts/e2e-install.sh (which installs
// Chromium, Node 24, n8n and Node-RED 5 into a cache on first use), the packed package,
// free ports, and a headless Chromium.
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
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

let tarball: string | undefined;
/** `npm pack` of the built package, once per run: what users install. */
export function packedTarball(): string {
  if (!tarball) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-pack-'));
    const name = execSync(`npm pack --silent --pack-destination ${dir}`, { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    tarball = path.join(dir, name);
  }
  return tarball;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

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
