#!/usr/bin/env node
// `npm run pack`: stages both packages from the build (scripts/artifacts.js) and packs each
// with npm into artifacts/, the folder CI checks and the release workflow publishes from.
// `npm run pack` builds first when dist/ is missing or stale (scripts/ensure-ready.js).
// Also the root's prepack (--guard): the root is the source of two packages, not one to pack.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { stage, hosts, out } = require('./artifacts');

if (process.argv[2] === '--guard') {
  if (process.env.npm_command === 'pack' || process.env.npm_command === 'publish') {
    console.error('This folder is the source of two packages. Run `npm run pack`: it builds and packs the n8n and the Node-RED package into artifacts/.');
    process.exit(1);
  }
  process.exit(0);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packed = {};
for (const host of hosts) {
  const dir = stage(host);
  const [result] = JSON.parse(execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }));
  packed[host] = path.join(out, result.filename);
  console.log(`${host}: ${path.relative(process.cwd(), packed[host])} (${result.entryCount} files, ${(result.size / 1024).toFixed(1)} KiB)`);
}
// Where the tests and the release workflow find the tarballs without guessing names.
fs.writeFileSync(path.join(out, 'packed.json'), `${JSON.stringify(packed, null, 2)}\n`);
