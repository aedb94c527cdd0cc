import { FED2, runRule } from '../test-support';
import { overrideMoved } from './override-moved';

const reviews = (dir: string) => `${FED2} type Query { a: Int } type Product @key(fields: "id") { id: ID! rating: Float ${dir} }`;

describe('override-moved', () => {
  it('flags an added @override as a move of ownership', () => {
    expect(runRule(overrideMoved, reviews(''), reviews('@override(from: "legacy")'))).toEqual([
      { rule: 'override-moved', criticality: 'DANGEROUS', coordinate: 'Product.rating', message: 'Product.rating gained @override(from: "legacy"): subgraph "products" takes it over from "legacy"' },
    ]);
  });

  it('flags a removed @override and a changed label', () => {
    expect(runRule(overrideMoved, reviews('@override(from: "legacy")'), reviews(''))[0].message).toBe(
      'Product.rating lost @override(from: "legacy"): subgraph "products" no longer takes it over from "legacy"',
    );
    expect(runRule(overrideMoved, reviews('@override(from: "legacy", label: "percent(5)")'), reviews('@override(from: "legacy", label: "percent(50)")'))[0].message).toBe(
      'Product.rating changed @override(from: "legacy", label: "percent(5)") to @override(from: "legacy", label: "percent(50)")',
    );
  });

  it('flags a field removed together with its @override', () => {
    const gone = `${FED2} type Query { a: Int } type Product @key(fields: "id") { id: ID! }`;
    expect(runRule(overrideMoved, reviews('@override(from: "legacy")'), gone).map((f) => f.coordinate)).toEqual(['Product.rating']);
  });

  it('does not flag an unchanged @override', () => {
    expect(runRule(overrideMoved, reviews('@override(from: "legacy")'), reviews('@override(from: "legacy")'))).toEqual([]);
  });
});
