import { FED2, runRule } from '../test-support';
import { keyRemoved } from './key-removed';

const product = (keys: string) => `${FED2} type Query { p: Product } type Product ${keys} { id: ID! sku: String upc: String }`;

describe('key-removed', () => {
  it('flags a removed @key as BREAKING', () => {
    expect(runRule(keyRemoved, product('@key(fields: "id") @key(fields: "sku")'), product('@key(fields: "id")'))).toEqual([
      { rule: 'key-removed', criticality: 'BREAKING', coordinate: 'Product', message: '@key(fields: "sku") was removed from Product: plans that fetch Product from "products" by it break' },
    ]);
  });

  it('flags a changed @key naming old and new fields', () => {
    const [finding] = runRule(keyRemoved, product('@key(fields: "id")'), product('@key(fields: "upc")'));
    expect(finding.message).toBe('@key(fields: "id") on Product changed to @key(fields: "upc"): plans that fetch Product by "id" break');
  });

  it('flags an entity that leaves the subgraph', () => {
    const [finding] = runRule(keyRemoved, product('@key(fields: "id")'), `${FED2} type Query { a: Int }`);
    expect(finding).toMatchObject({ coordinate: 'Product', criticality: 'BREAKING' });
  });

  it('does not flag adding a key or reformatting its field set', () => {
    expect(runRule(keyRemoved, product('@key(fields: "id")'), product('@key(fields: " id ") @key(fields: "sku")'))).toEqual([]);
  });

  it('follows an imported alias (@primaryKey)', () => {
    const aliased = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [{ name: "@key", as: "@primaryKey" }])
      type Query { p: Product } type Product @primaryKey(fields: "id") { id: ID! }`;
    const without = aliased.replace('@primaryKey(fields: "id") {', '{');
    expect(runRule(keyRemoved, aliased, without)).toHaveLength(1);
    // A directive that merely shares the bare name is not the key once it is aliased.
    expect(runRule(keyRemoved, aliased.replace('@primaryKey(fields: "id") {', '@key(fields: "id") {'), without)).toEqual([]);
  });
});
