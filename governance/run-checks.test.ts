import { runChecks } from './check';
import { composeSubgraphs } from './compose';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@inaccessible"])`;
const REVIEWS = { name: 'reviews', url: 'http://reviews/graphql', sdl: `${LINK} type Product @key(fields: "id") { id: ID! reviews: [String] }` };

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

const OLD = products('  name: String\n  price: Int');

function composeWith(sdl: string) {
  return composeSubgraphs([{ name: 'products', url: 'http://products/graphql', sdl }, REVIEWS]);
}

async function check(newSdl: string, extra: Partial<Parameters<typeof runChecks>[0]> = {}) {
  const live = composeWith(OLD);
  if (!live.ok) throw new Error(JSON.stringify(live.errors));
  return runChecks({ subgraphName: 'products', oldSubgraphSdl: OLD, newSubgraphSdl: newSdl, oldSupergraphSdl: live.supergraphSdl, composition: composeWith(newSdl), owner: 'team-products', ...extra });
}

describe('runChecks', () => {
  it('passes an additive change', async () => {
    const report = await check(products('  name: String\n  price: Int\n  """Stock"""\n  stock: Int'));
    expect(report.verdict).toBe('pass');
    expect(report.changes.map((c) => [c.criticality, c.type, c.coordinate])).toEqual([
      ['SAFE', 'FIELD_ADDED', 'Product.stock'],
      ['SAFE', 'FIELD_DESCRIPTION_ADDED', 'Product.stock'],
    ]);
    expect(report.failures).toEqual([]);
  });

  it('fails an unsafe breaking change and says usage was not consulted', async () => {
    const report = await check(products('  name: String'));
    expect(report.verdict).toBe('fail');
    expect(report.failures).toEqual(
      expect.arrayContaining([
        { kind: 'change', rule: 'FIELD_REMOVED', coordinate: 'Product.price', message: "Field 'price' was removed from object type 'Product'" },
        { kind: 'lint', rule: 'deprecate-before-delete', coordinate: 'Product.price', message: '"Product.price" was removed without being deprecated first' },
      ]),
    );
    expect(report.notes).toContain('No usage data: breaking changes were judged without traffic, so none was made safe by usage.');
  });

  it('passes the same removal when it was deprecated and usage shows nobody uses it', async () => {
    const deprecatedOld = products('  name: String\n  price: Int @deprecated(reason: "use cost")');
    const live = composeWith(deprecatedOld);
    if (!live.ok) throw new Error('compose');
    const newSdl = products('  name: String');
    const report = await runChecks({
      subgraphName: 'products',
      oldSubgraphSdl: deprecatedOld,
      newSubgraphSdl: newSdl,
      oldSupergraphSdl: live.supergraphSdl,
      composition: composeWith(newSdl),
      owner: 'team',
      usage: async () => new Map(),
    });
    expect(report.verdict).toBe('pass');
    expect(report.changes[0]).toMatchObject({ coordinate: 'Product.price', safeByUsage: true, message: "Field 'price' (deprecated) was removed from object type 'Product': 0 requests in the last 7 days -> safe" });
  });

  it('counts a composition failure as breaking', async () => {
    const report = await runChecks({ subgraphName: 'products', newSubgraphSdl: OLD, compositionErrors: [{ message: 'boom', code: 'X' }], owner: 'team' });
    expect(report.verdict).toBe('fail');
    expect(report.failures).toEqual([{ kind: 'composition', rule: 'X', message: 'boom' }]);
    expect(report.notes).toContain('Composition failed, so API changes were not classified.');
  });

  it('fails on an unparsable subgraph SDL with a located error instead of throwing', async () => {
    const report = await runChecks({ subgraphName: 'products', newSubgraphSdl: 'type Query {\n  a: \n}', owner: 'team' });
    expect(report.verdict).toBe('fail');
    expect(report.composition.errors).toEqual([
      { message: 'Subgraph "products" SDL does not parse: products:3:1: Syntax Error: Expected Name, found "}".', code: 'GRAPHQL_PARSE_FAILED', subgraph: 'products', line: 3, column: 1 },
    ]);
  });

  it('fails on an error-severity lint finding alone, and passes when it is only a warning', async () => {
    const newSdl = products('  name: String\n  price: Int\n  """x"""\n  bad_name: Int');
    expect((await check(newSdl)).failures).toEqual([{ kind: 'lint', rule: 'field-names-camel-case', coordinate: 'Product.bad_name', message: 'Field "Product.bad_name" is not camelCase' }]);
    expect((await check(newSdl, { lintConfig: { rules: { 'field-names-camel-case': 'warn' } } })).verdict).toBe('pass');
  });

  it('fails on a BREAKING federation finding and reports DANGEROUS ones without failing', async () => {
    const report = await check(products('  name: String\n  price: Int').replace('@key(fields: "id") {\n  id', '@key(fields: "id", resolvable: false) {\n  id'));
    expect(report.federation.map((f) => f.rule)).toEqual(['key-resolvable-false']);
    expect(report.verdict).toBe('fail');
  });

  it('classifies subgraph SDL directly when no supergraph is given', async () => {
    const report = await runChecks({ subgraphName: 'products', oldSubgraphSdl: OLD, newSubgraphSdl: products('  name: String'), owner: 'team' });
    expect(report.changes.map((c) => c.coordinate)).toEqual(['Product.price']);
    expect(report.notes).toContain('No supergraph given: changes were classified on the subgraph SDL, not the API schema.');
  });
});
