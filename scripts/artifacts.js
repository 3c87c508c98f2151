// The two packages this one tree ships, staged from the compiled dist/ into artifacts/:
//   artifacts/n8n       n8n-nodes-mediavalet: credentials/, nodes/ and the core files they import
//   artifacts/node-red  the Node-RED package: node-red/ and the core files it imports
// Which core files each host needs is what TypeScript resolves from that host's folders,
// so new files are picked up without lists and nothing of one host reaches the other
// (the axios adapter and Node's timers live in node-red/ and never reach the n8n package).
// Each package.json is generated here: the n8n one from the root package.json (which is
// the n8n package's source manifest, as n8n's scanner expects), the Node-RED one from the
// same root fields plus scripts/artifacts.json. No .d.ts or source maps are shipped.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const out = path.join(root, 'artifacts');
const manifest = require('./artifacts.json');

/** Set once in the root package.json (the publisher's fields among them); both packages carry them. */
const SHARED = ['license', 'homepage', 'author', 'repository', 'bugs', 'engines'];

function rootPackage() {
  return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
}

function pick(from, keys) {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

function packageJson(host, pkg = rootPackage()) {
  if (host === 'n8n') {
    return pick(pkg, ['name', 'version', 'description', ...SHARED, 'keywords', 'files', 'n8n', 'peerDependencies', 'peerDependenciesMeta']);
  }
  const own = manifest['node-red'].package;
  const dependencies = {};
  for (const name of own.dependenciesFromRoot) {
    const range = pkg.devDependencies?.[name] ?? pkg.dependencies?.[name];
    if (!range) throw new Error(`scripts/artifacts.json: the Node-RED package needs ${name}, but the root package.json does not list it.`);
    dependencies[name] = range;
  }
  return { name: own.name, version: pkg.version, description: own.description, ...pick(pkg, SHARED), keywords: own.keywords, files: own.files, 'node-red': own['node-red'], dependencies };
}

const inside = (file, dir) => file === dir || file.startsWith(dir + path.sep);

let lastProgram;
/** The repository's source files in the program rooted at every .ts under `folders`. */
function programSources(folders) {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  const dirs = folders.map((f) => path.join(root, f));
  const roots = config.fileNames.map((f) => path.resolve(f)).filter((f) => dirs.some((d) => inside(f, d)));
  // Reusing the previous program's parsed files halves the second host's time.
  const program = ts.createProgram(roots, { ...config.options, noEmit: true }, undefined, lastProgram);
  lastProgram = program;
  return program
    .getSourceFiles()
    .map((s) => path.resolve(s.fileName))
    .filter((f) => inside(f, root) && !f.includes(`${path.sep}node_modules${path.sep}`) && !f.endsWith('.d.ts'));
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Files tsc does not produce (icons, editor .html, message catalogues) under a compiled folder. */
function assetsUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !/\.(js|d\.ts|map)$/.test(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function expand(pattern) {
  // Only 'dir/*.ext' and plain paths are needed here.
  const star = pattern.indexOf('*');
  if (star < 0) return [path.join(root, pattern)];
  const dir = path.join(root, path.dirname(pattern));
  const suffix = pattern.slice(star + 1);
  return fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f));
}

/** Stages one host's package under artifacts/<host>/ and returns that folder. */
function stage(host) {
  if (!fs.existsSync(path.join(dist, '.build-stamp'))) throw new Error('dist/ is not built: run `npm run build` (or `npm run pack`, which builds first).');
  const { sources, files } = manifest[host];
  const dir = path.join(out, host);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const source of programSources(sources)) {
    const rel = path.relative(root, source).replace(/\.ts$/, '.js');
    const compiled = path.join(dist, rel);
    if (!fs.existsSync(compiled)) throw new Error(`${rel} is missing from dist/: run \`npm run build\`.`);
    copy(compiled, path.join(dir, 'dist', rel));
  }
  for (const folder of sources) {
    for (const asset of assetsUnder(path.join(dist, folder))) copy(asset, path.join(dir, path.relative(root, asset)));
  }
  for (const file of files.flatMap(expand)) copy(file, path.join(dir, path.relative(root, file)));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(packageJson(host), null, 2)}\n`);
  return dir;
}

module.exports = { stage, packageJson, hosts: Object.keys(manifest), out, root };
