#!/usr/bin/env node
// Lets `npm test` and `npm start` work alone on a fresh clone: installs dependencies
// when node_modules is missing or older than the lockfile, and builds when dist/ is
// missing or older than any source file. Plain Node, no dependencies: it runs before they exist.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newestIn(dir, exts) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(full, exts));
    else if (exts.some((ext) => entry.name.endsWith(ext))) newest = Math.max(newest, mtime(full));
  }
  return newest;
}

function run(args, what) {
  console.log(`> ${what}: npm ${args.join(' ')}`);
  const result = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${what} failed (exit ${result.status}). Fix the error above and run the command again.`);
    process.exit(result.status || 1);
  }
}

const installedStamp = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
if (!fs.existsSync(installedStamp) || mtime(lock) > mtime(installedStamp)) {
  run(['ci', '--no-audit', '--no-fund'], 'Installing dependencies');
}

const sources = ['core', 'credentials', 'nodes', 'node-red', 'simulator', 'bench'].map((d) => path.join(root, d));
const newestSource = Math.max(
  ...sources.map((d) => newestIn(d, ['.ts', '.html', '.png', '.svg', '.json'])),
  mtime(path.join(root, 'tsconfig.json')),
  mtime(path.join(root, 'gulpfile.js')),
  // The build also stages both packages (scripts/artifacts.js), which the demo loads.
  mtime(path.join(root, 'scripts', 'artifacts.js')),
  mtime(path.join(root, 'scripts', 'artifacts.json')),
);
const buildStamp = path.join(root, 'dist', '.build-stamp');
if (!fs.existsSync(buildStamp) || newestSource > mtime(buildStamp)) {
  run(['run', 'build', '--silent'], 'Building');
}
