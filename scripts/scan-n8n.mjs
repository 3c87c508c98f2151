#!/usr/bin/env node
// n8n's community-package scanner (@n8n/scan-community-package), offline. Before n8n
// verifies a package (the only kind n8n Cloud installs) it lints the package's source at
// the commit its npm provenance names, and the published tarball. Fetching both needs the
// internet, so this runs the scanner's own analysis function (analyzePackage) over
//   1. the packed tarball, every .js/.ts/.json file in it (the tarball leg lints .js and
//      package.json only; all files is stricter), and
//   2. this source tree, with the scanner's source-leg patterns (SOURCE_FILE_PATTERNS).
// Fails on any error in the tarball except the author fields, which only the publisher
// can fill in (README, release checklist). The source leg is printed for the release
// checklist; it gates only with --source (see the README's release checklist).
// Usage: node scripts/scan-n8n.mjs <scanner install dir> <n8n tarball> [<source dir>]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const PUBLISHER_ONLY = new Set(['@n8n/community-nodes/valid-author', 'n8n-nodes-base/community-package-json-author-missing']);

const args = process.argv.slice(2);
const gateSource = args.includes('--source');
const [scannerDir, tarball, sourceDir = path.resolve(import.meta.dirname, '..')] = args.filter((a) => a !== '--source');
if (!scannerDir || !tarball) {
  console.error('Usage: node scripts/scan-n8n.mjs <scanner install dir> <n8n tarball> [<source dir>]');
  process.exit(2);
}
// n8n's older lint plugin (eslint-plugin-n8n-nodes-base) takes NODE_ENV=test, which jest sets, as its
// own test run and then treats every file as "Test.node.ts": the scan must see the real names.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
const require = createRequire(path.join(path.resolve(scannerDir), 'package.json'));
const scanner = await import(pathToFileURL(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs')));
const { version } = require('@n8n/scan-community-package/package.json');

const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-scan-'));
execFileSync('tar', ['xzf', tarball, '-C', unpacked]);

/** Error lines of ESLint's stylish report, by rule. */
function errorsByRule(details = '') {
  const counts = {};
  for (const line of details.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const match = /^\s+\d+:\d+\s+error\s+.*\s(\S+)\s*$/.exec(line);
    if (match) counts[match[1]] = (counts[match[1]] ?? 0) + 1;
  }
  return counts;
}

let blocking = 0;
for (const [label, dir, patterns, gates] of [
  [`tarball ${path.basename(tarball)} (every .js/.ts/.json file)`, path.join(unpacked, 'package'), undefined, true],
  [`source ${sourceDir} (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`, sourceDir, scanner.SOURCE_FILE_PATTERNS, gateSource],
]) {
  const result = await scanner.analyzePackage(dir, patterns);
  const counts = errorsByRule(result.details);
  const other = Object.entries(counts).filter(([rule]) => !PUBLISHER_ONLY.has(rule));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const otherTotal = other.reduce((a, [, n]) => a + n, 0);
  console.log(`@n8n/scan-community-package ${version} analyzePackage: ${label}`);
  if (result.details) console.log(result.details.trimEnd());
  if (!result.details && !result.passed) console.log(result.message);
  console.log(`=> ${total} errors, ${otherTotal} outside the publisher's author fields${total ? ` (${Object.entries(counts).map(([r, n]) => `${r}: ${n}`).join(', ')})` : ''}${gates ? '' : ' [advisory]'}\n`);
  // A failure without a report (the analysis itself broke) blocks too.
  if (gates && (otherTotal > 0 || (!result.passed && !result.details))) blocking += otherTotal || 1;
}
fs.rmSync(unpacked, { recursive: true, force: true });
process.exit(blocking ? 1 : 0);
