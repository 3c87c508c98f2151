// The scan that runs after the suite (global-teardown.js) must find a secret however it
// was written, or the whole-suite result proves nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Witness } from '../../simulator/witness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { scan } = require('./scan');

const TOKEN = 'sJ2hX9q_fake-access-token-0123456789abcdefghij';
const SECRET = 'client secret with spaces & symbols!';

function runIn(captures: Array<[string, unknown]>): ReturnType<typeof scan> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-leak-test-'));
  const witness = new Witness(dir);
  witness.add('access_token', TOKEN);
  witness.addBasic(`Basic ${Buffer.from(`my-client:${encodeURIComponent(SECRET)}`).toString('base64')}`);
  witness.add('password', 'short');
  // record() writes where MV_LEAK_DIR points; run it in a child so this run's own captures stay apart.
  const script = `const { record } = require(${JSON.stringify(path.join(__dirname, 'record.js'))}); for (const [sink, value] of ${JSON.stringify(captures)}) record(sink, value);`;
  const child = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, MV_LEAK_DIR: dir, MV_LEAK_FILE: 'planted.test.ts' } });
  expect(child.status).toBe(0);
  try {
    return scan(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

it('finds a token however it was written, and never repeats it in the report', () => {
  const result = runIn([
    ['console', `GET /assets Authorization: Bearer ${TOKEN}`],
    ['node-red output', `{"url":"https://x/?t=${encodeURIComponent(TOKEN)}"}`],
    ['error', `failed with header Basic ${Buffer.from(`my-client:${SECRET}`).toString('base64')}`],
    ['error', `a client secret in plain text: ${SECRET}.`],
    ['console', 'nothing secret here, and "short" is too short to look for'],
  ]);
  expect(result.secrets).toBe(2);
  expect(result.captures).toBe(5);
  expect(result.leaks.map((l: { kind: string; sink: string }) => `${l.kind} in ${l.sink}`)).toEqual([
    'access_token in console',
    'access_token in node-red output',
    'client_secret in error',
    'client_secret in error',
  ]);
  expect(result.leaks[0].excerpt).toContain('Bearer <access_token>');
  for (const leak of result.leaks) expect(leak.excerpt).not.toContain(TOKEN);
  expect(result.leaks[0].file).toBe('planted.test.ts');
});

it('finds nothing in clean captures', () => {
  expect(runIn([['console', `Bearer [redacted] and ${TOKEN.slice(0, 20)}`]]).leaks).toEqual([]);
});
