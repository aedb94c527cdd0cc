import { FED2, runRule } from '../test-support';
import { externalRemoved } from './external-removed';

const shipping = (weight: string) => `${FED2} type Query { a: Int } type Product @key(fields: "id") { id: ID! weight: Int ${weight} cost: Int @requires(fields: "weight") }`;

describe('external-removed', () => {
  it('flags a field that loses @external but stays', () => {
    expect(runRule(externalRemoved, shipping('@external'), shipping(''))).toEqual([
      {
        rule: 'external-removed',
        criticality: 'DANGEROUS',
        coordinate: 'Product.weight',
        message: 'Product.weight lost @external in subgraph "products": the subgraph now resolves it itself instead of referencing another subgraph\'s',
      },
    ]);
  });

  it('handles the namespaced form when @external is not imported', () => {
    const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])`;
    const before = `${link} type Query { a: Int } type Product @key(fields: "id") { id: ID! weight: Int @federation__external }`;
    expect(runRule(externalRemoved, before, before.replace('@federation__external', ''))).toHaveLength(1);
  });

  it('does not flag an @external field that stays @external', () => {
    expect(runRule(externalRemoved, shipping('@external'), shipping('@external'))).toEqual([]);
  });
});
