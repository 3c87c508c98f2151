// After every test: the secret-leak scan over everything the run captured. A leak fails
// the run (jest exits non-zero) and is reported without repeating the secret.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { scan } = require('./scan');

module.exports = async () => {
  const dir = process.env.MV_LEAK_DIR;
  if (!dir) return;
  const result = scan(dir);
  const list = (o) => Object.entries(o).map(([k, n]) => `${k} ${n}`).join(', ');
  const line = `secret-leak scan: ${result.secrets} secrets (${list(result.kinds)}) looked for in ${result.captures} captures (${list(result.sinks)}), ${(result.bytes / 1e6).toFixed(1)} MB`;
  const simulatorsRan = (result.sinks['simulator log'] ?? 0) > 0;
  if (simulatorsRan && result.secrets === 0) throw new Error(`${line}: the simulators wrote down no secret, so the scan would prove nothing (is MV_SECRET_WITNESS reaching them?)`);
  if (result.leaks.length) {
    const shown = result.leaks.slice(0, 30).map((l) => `  ${l.kind} in ${l.sink} (${path.relative(process.cwd(), l.file) || 'no test file'}): ${l.excerpt}`);
    throw new Error(`${line}: ${result.leaks.length} leak(s)\n${shown.join('\n')}\nCaptures kept in ${dir}`);
  }
  process.stdout.write(`${line}: no secret found\n`);
  fs.rmSync(dir, { recursive: true, force: true });
};
