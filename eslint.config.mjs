// n8n's own lint rules for community nodes (`n8n-node lint`, from @n8n/node-cli), in the
// n8n Cloud variant (`config`): its rules on runtime dependencies, imports and globals
// apply, unwaived, to every file the n8n package ships.
// @n8n/node-cli pulls in modules that need Node 24, so it is installed beside real n8n by
// scripts/e2e-install.sh rather than as a dev dependency; N8N_NODE_CLI points at it.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cli = process.env.N8N_NODE_CLI ? path.join(process.env.N8N_NODE_CLI, 'dist/configs/eslint.js') : '@n8n/node-cli/eslint';
const { config } = require(cli);

export default [
  // The n8n package's own code: credentials, nodes, and the core they run on. Node-RED
  // (with the axios adapter and Node's timers), the simulator, tests, benchmarks and the
  // build scripts are not part of the n8n package (scripts/pack.js leaves them out).
  { ignores: ['dist/**', 'artifacts/**', 'node-red/**', 'simulator/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', 'node_modules/**', '*.js', '*.mjs', 'coverage/**', '.demo/**'] },
  ...config,
  {
    // core/ is shared with Node-RED and throws its own typed errors (MediaValetError), by design;
    // the n8n router turns every one into NodeApiError/NodeOperationError (transport/errors.ts).
    // n8n's verification scans nodes/ and credentials/ without this file, so nothing there needs it.
    files: ['core/**/*.ts'],
    rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
  },
  {
    files: ['package.json'],
    rules: {
      // Only the publisher can name the author (README, release checklist); set "author"
      // (name and email) in package.json before the first release and delete these two lines.
      '@n8n/community-nodes/valid-author': 'off',
      'n8n-nodes-base/community-package-json-author-missing': 'off',
    },
  },
];
