// n8n-core keeps instance settings (an encryption key, a config file) in ~/.n8n: a folder of
// the test process instead, before any n8n-core service starts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (!process.env.N8N_USER_FOLDER) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-n8n-'));
  process.env.N8N_USER_FOLDER = folder;
  process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
}
