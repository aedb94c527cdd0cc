import { register, runOfflineCheck, runRegistryCheck } from '../../cli/commands/check-offline';
import type { CheckReport } from '../check';
import { runProgram, writeTempFiles } from './temp-files';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const products = (fields: string) => `${LINK}
"""Root"""
type Query {
  """A product"""
  product(id: ID!): Product
}

"""A product"""
type Product @key(fields: "id") {
  id: ID!
${fields}
}
`;

const files = writeTempFiles({
  'graph/supergraph.yaml': `federation_version: =2.3.0
subgraphs:
  products:
    routing_url: http://products/graphql
    owner: team-products
    schema:
      file: ./products.graphql
  reviews:
    routing_url: http://reviews/graphql
    schema:
      file: ./reviews.graphql
`,
  'graph/products.graphql': products('  name: String\n  price: Int'),
  'graph/reviews.graphql': `${LINK} type Product @key(fields: "id") { id: ID! reviews: [String] }`,
  'change/additive.graphql': products('  name: String\n  price: Int\n  """How many are left"""\n  stock: Int'),
  'change/breaking.graphql': products('  name: String'),
  'change/conflict.graphql': products('  name: String\n  price: Int\n  reviews: Int'),
  'bad.yaml': 'subgraphs:\n  products:\n    schema:\n      subgraph_url: http://x\n',
});
afterAll(() => files.cleanup());

const base = () => ({ configFile: files.file('graph/supergraph.yaml'), subgraph: 'products' });

describe('charter check (offline)', () => {
  it('exits 0 for an additive change and says usage data is not available offline', async () => {
    const outcome = await runOfflineCheck({ ...base(), schemaFile: files.file('change/additive.graphql') });
    expect(outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('Check of subgraph "products": PASS');
    expect(outcome.stdout).toContain('No usage data (offline check)');
  });

  it('exits 1 for a breaking change, naming it', async () => {
    const outcome = await runOfflineCheck({ ...base(), schemaFile: files.file('change/breaking.graphql'), format: 'json' });
    expect(outcome.exitCode).toBe(1);
    const json = JSON.parse(outcome.stdout);
    expect(json.changes).toEqual([expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'Product.price' })]);
  });

  it('exits 1 when the change does not compose', async () => {
    const outcome = await runOfflineCheck({ ...base(), schemaFile: files.file('change/conflict.graphql'), format: 'json' });
    expect(outcome.exitCode).toBe(1);
    expect(JSON.parse(outcome.stdout).composition.errors[0]).toMatchObject({ code: 'FIELD_TYPE_MISMATCH' });
  });

  it('exits 2 when it cannot run: missing schema file, bad config', async () => {
    const missing = files.file('change/nope.graphql');
    expect(await runOfflineCheck({ ...base(), schemaFile: missing })).toEqual({ exitCode: 2, stdout: '', stderr: `charter check: cannot read ${missing}: no such file\n` });
    const bad = await runOfflineCheck({ configFile: files.file('bad.yaml'), subgraph: 'products', schemaFile: files.file('change/additive.graphql') });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('subgraphs.products.routing_url: is required');
    expect(bad.stderr).toContain('subgraphs.products.schema.file: is required');
  });

  it('is wired into commander: --config after the subcommand works next to the root -c option', async () => {
    const run = await runProgram(register, ['check', '--config', files.file('graph/supergraph.yaml'), '--subgraph', 'products', '--schema', files.file('change/breaking.graphql'), '--format', 'github']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`::error file=${files.file('change/breaking.graphql')},line=9::BREAKING Product.price`);
  });
});

describe('charter check (registry)', () => {
  it('exits 2 naming the registry it cannot reach', async () => {
    const run = await runProgram(register, ['check', '--registry', 'http://127.0.0.1:1', '--subgraph', 'products', '--schema', files.file('change/additive.graphql')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^charter check: cannot reach the registry at http:\/\/127\.0\.0\.1:1/);
  });

  it('formats the report an injected registry check returns, with its exit code', async () => {
    const report: CheckReport = { verdict: 'fail', subgraph: 'products', changes: [], composition: { errors: [], hints: [] }, lint: [], federation: [], failures: [{ kind: 'lint', message: 'x' }], notes: [] };
    const seen: unknown[] = [];
    const outcome = await runRegistryCheck(
      { registryUrl: 'http://r', variant: 'dev', subgraph: 'products', schemaFile: files.file('change/additive.graphql'), format: 'json' },
      async (request) => (seen.push({ ...request, sdl: request.sdl.length > 0 }), report),
    );
    expect(outcome.exitCode).toBe(1);
    expect(JSON.parse(outcome.stdout).verdict).toBe('fail');
    expect(seen).toEqual([{ registryUrl: 'http://r', variant: 'dev', subgraph: 'products', sdl: true, schemaFile: files.file('change/additive.graphql'), owner: undefined }]);
  });
});
