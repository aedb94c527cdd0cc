// Flat config: typescript-eslint's recommended rules over the TypeScript sources, plus the layering
// rules of README "Layers": arrows point down only, and no import cycles.
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');

/** Production code only: tests may reach across parts to start real servers. */
const testFiles = ['**/*.test.ts', '**/*.contract.ts', '**/test-support.ts', '**/test-support/**', 'test/**', 'bench/**', 'gateway/resilience/test-subgraph.ts'];

/** The parts, as folders from the repository root. */
const PARTS = ['./cli', './gateway', './schema-registry', './subgraphs', './governance', './tenancy', './core', './bench', './console', './analytics'];
const except = (...keep) => PARTS.filter((part) => !keep.includes(part));

const layering = [
  // The floor: core imports no part; tenancy stands beside it and uses only core.
  { target: './core', from: except('./core'), message: 'core/ is the floor: it imports no part.' },
  { target: './tenancy', from: except('./tenancy', './core'), message: 'tenancy/ is the floor beside core/: it imports no part.' },
  // Governance is pure rules: no runtime part.
  { target: './governance', from: except('./governance', './core', './tenancy'), message: 'governance/ knows no runtime part.' },
  // Analytics (call log, stores, aggregation, alerts) stands beside governance: core and tenancy only.
  { target: './analytics', from: except('./analytics', './core', './tenancy'), message: 'analytics/ imports only core/ and tenancy/.' },
  // The gateway only records calls; the stores are the registry's (single writer of the SQLite file).
  { target: './gateway', from: './analytics', except: ['./call-record.ts', './call-log-writer.ts'], message: 'the gateway imports only the call record and its writer from analytics/.' },
  { target: './subgraphs', from: './analytics', message: 'subgraphs import no analytics code.' },
  // Subgraphs know no gateway or registry code.
  { target: './subgraphs', from: ['./gateway', './schema-registry', './cli', './bench'], message: 'subgraphs import no gateway or registry code.' },
  // The gateway reaches the registry only through its client.
  { target: './gateway', from: './schema-registry', except: ['./client'], message: 'the gateway imports only schema-registry/client/.' },
  { target: './gateway', from: ['./cli', './subgraphs', './bench'], message: 'the gateway imports no cli, subgraph or bench code.' },
  // The registry's client imports nothing of the registry server.
  { target: './schema-registry/client', from: './schema-registry', except: ['./client'], message: 'schema-registry/client/ imports nothing of the registry server.' },
  // The registry shares only the pure prompt-template definitions with the AI subgraph.
  {
    target: './schema-registry',
    from: './subgraphs',
    except: ['./ai/prompts/template-schema.ts', './ai/prompts/sdl.ts', './ai/prompts/ai-sdl.ts'],
    message: 'the registry imports only the prompt-template definitions of the AI subgraph.',
  },
  { target: './schema-registry', from: ['./gateway', './cli', './bench'], message: 'the registry imports no gateway or cli code.' },
  // The console is a browser app: it reaches the registry over HTTP only, and no part imports it.
  { target: './console', from: except('./console'), message: 'console/ is a browser app: it talks to the registry over HTTP only.' },
  { target: except('./console'), from: './console', message: 'no part imports the console app; the registry serves its build.' },
];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/generated/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    ignores: testFiles,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: __dirname, zones: layering }],
      // Type-only imports count too: a type cycle still ties two modules together for a reader.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
