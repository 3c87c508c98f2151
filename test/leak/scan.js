// The secret-leak scan: every secret the simulators wrote down (simulator/witness.ts)
// looked for in every capture (record.js), raw, percent-decoded and inside Basic headers.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const PREFIX = 10;
// Characters of tokens, codes, verifiers and our canary values; a secret with others is searched for plainly.
const ALPHABET = /^[A-Za-z0-9._~+/=-]+$/;
const RUN = /[A-Za-z0-9._~+/=-]{10,}/g;

function readSecrets(dir) {
  const secrets = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('secrets-'))) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0) secrets.set(line.slice(tab + 1), line.slice(0, tab));
    }
  }
  return [...secrets].map(([value, kind]) => ({ kind, value }));
}

function* readCaptures(dir) {
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('capture-'))) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) if (line) yield JSON.parse(line);
  }
}

function index(secrets) {
  const byPrefix = new Map();
  const plain = [];
  for (const secret of secrets) {
    if (!ALPHABET.test(secret.value)) {
      plain.push(secret);
      continue;
    }
    const key = secret.value.slice(0, PREFIX);
    if (!byPrefix.has(key)) byPrefix.set(key, []);
    byPrefix.get(key).push(secret);
  }
  return { byPrefix, plain };
}

/** The text and what a reader could decode from it: percent-encoding and Basic credentials. */
function variants(text) {
  const out = [text];
  if (text.includes('%')) {
    out.push(text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))));
  }
  for (const m of text.matchAll(/Basic\s+([A-Za-z0-9+/=]{8,})/g)) out.push(Buffer.from(m[1], 'base64').toString('utf8'));
  return out;
}

function findIn(text, idx) {
  const found = new Set();
  for (const variant of variants(text)) {
    for (const m of variant.matchAll(RUN)) {
      const run = m[0];
      for (let i = 0; i + PREFIX <= run.length; i++) {
        const candidates = idx.byPrefix.get(run.slice(i, i + PREFIX));
        if (candidates) for (const secret of candidates) if (run.startsWith(secret.value, i)) found.add(secret);
      }
    }
    for (const secret of idx.plain) if (variant.includes(secret.value)) found.add(secret);
  }
  return [...found];
}

/** A few characters either side, every secret found replaced by its kind: the report must not leak them again. */
function excerpt(text, secret, found) {
  let masked = text;
  for (const s of found) masked = masked.split(s.value).join(`<${s.kind}>`);
  const at = masked.indexOf(`<${secret.kind}>`);
  if (at < 0) return '(in a decoded form)';
  return masked.slice(Math.max(0, at - 80), at + 100).replace(/\s+/g, ' ');
}

function scan(dir) {
  const secrets = readSecrets(dir);
  const idx = index(secrets);
  const leaks = [];
  const sinks = {};
  let bytes = 0;
  for (const capture of readCaptures(dir)) {
    sinks[capture.sink] = (sinks[capture.sink] ?? 0) + 1;
    bytes += capture.text.length;
    const found = findIn(capture.text, idx);
    for (const secret of found) leaks.push({ kind: secret.kind, sink: capture.sink, file: capture.file, excerpt: excerpt(capture.text, secret, found) });
  }
  const kinds = {};
  for (const s of secrets) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
  return { secrets: secrets.length, kinds, captures: Object.values(sinks).reduce((a, b) => a + b, 0), sinks, bytes, leaks };
}

module.exports = { scan, findIn, index };
