// Before any test: a fresh leak directory and a canary unique to this run. Workers and the
// simulators they start inherit both through the environment.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mv-leak-'));
  process.env.MV_LEAK_DIR = dir;
  process.env.MV_SECRET_WITNESS = dir;
  process.env.MV_CANARY = `canary${crypto.randomBytes(6).toString('hex')}`;
};
