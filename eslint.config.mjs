// n8n's own lint rules for community nodes (`n8n-node lint`, from @n8n/node-cli).
// @n8n/node-cli pulls in modules that need Node 24, so it is installed beside real n8n by
// scripts/e2e-install.sh rather than as a dev dependency; N8N_NODE_CLI points at it.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cli = process.env.N8N_NODE_CLI ? path.join(process.env.N8N_NODE_CLI, 'dist/configs/eslint.js') : '@n8n/node-cli/eslint';
const { configWithoutCloudSupport } = require(cli);

export default [
  // The n8n package's own code: credentials, nodes, and the core they run on. Node-RED,
  // the simulator, tests and benchmarks are not part of what n8n loads.
  { ignores: ['dist/**', 'node-red/**', 'simulator/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', 'node_modules/**', '*.js', '*.mjs', 'coverage/**', '.demo/**'] },
  ...configWithoutCloudSupport,
  {
    // core/ is shared with Node-RED and throws its own typed errors (MediaValetError), by design;
    // the n8n router turns every one into NodeApiError/NodeOperationError (transport/errors.ts),
    // and the transport adapter hands core's errors back to core.
    files: ['core/**/*.ts', 'nodes/MediaValet/transport/n8n-transport.ts'],
    rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
  },
  {
    files: ['package.json'],
    rules: {
      // axios is the HTTP client of the Node-RED nodes in this same package; no n8n code imports it
      // (n8n's nodes use n8n's request helpers). n8n Cloud is out of scope for this package.
      '@n8n/community-nodes/no-runtime-dependencies': 'off',
      // False positive: "mediavalet-token" is the name of a Node-RED node, not a secret.
      '@n8n/community-nodes/no-hardcoded-secrets': 'off',
      // The publishing contact is not decided yet; set "author" (name and email) before the first release.
      '@n8n/community-nodes/valid-author': 'off',
      'n8n-nodes-base/community-package-json-author-missing': 'off',
    },
  },
];
