// The build: TypeScript to CommonJS in dist/, then the files tsc does not carry
// (icons, Node-RED editor .html files, message catalogues) copied beside their code, then
// the two packages staged from dist/ into artifacts/n8n and artifacts/node-red
// (scripts/artifacts.js; `npm run pack` packs them).
const { src, dest, series } = require('gulp');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

function clean(cb) {
  fs.rmSync('dist', { recursive: true, force: true });
  cb();
}

function compile(cb) {
  const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    stdio: 'inherit',
  });
  cb(result.status === 0 ? undefined : new Error('tsc failed, see the errors above'));
}

function copyAssets() {
  return src(
    [
      '{credentials,nodes,node-red}/**/*.{png,svg,html,json}',
      'node-red/**/locales/**/*',
    ],
    { base: '.', encoding: false, allowEmpty: true },
  ).pipe(dest('dist'));
}

// Lets scripts/ensure-ready.js skip the build when nothing changed since.
function stamp(cb) {
  fs.writeFileSync('dist/.build-stamp', new Date().toISOString());
  cb();
}

function stage(cb) {
  const artifacts = require('./scripts/artifacts');
  for (const host of artifacts.hosts) artifacts.stage(host);
  cb();
}

exports.clean = clean;
exports.build = series(clean, compile, copyAssets, stamp, stage);
exports.default = exports.build;
