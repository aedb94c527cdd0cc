import { FED2, runRule } from '../test-support';
import { shareableRemoved } from './shareable-removed';

describe('shareable-removed', () => {
  it('flags a field that loses @shareable', () => {
    expect(runRule(shareableRemoved, `${FED2} type Query { p: P } type P { name: String @shareable }`, `${FED2} type Query { p: P } type P { name: String }`)).toEqual([
      { rule: 'shareable-removed', criticality: 'DANGEROUS', coordinate: 'P.name', message: 'P.name is no longer @shareable in subgraph "products": composition fails if another subgraph still resolves it' },
    ]);
  });

  it('flags fields of a type block that loses @shareable', () => {
    const findings = runRule(shareableRemoved, `${FED2} type Query { p: P } type P @shareable { a: Int b: Int }`, `${FED2} type Query { p: P } type P { a: Int b: Int }`);
    expect(findings.map((f) => f.coordinate)).toEqual(['P.a', 'P.b']);
  });

  it('does not flag moving @shareable from the type to each field', () => {
    expect(runRule(shareableRemoved, `${FED2} type Query { p: P } type P @shareable { a: Int }`, `${FED2} type Query { p: P } type P { a: Int @shareable }`)).toEqual([]);
  });

  it('does not flag a shareable field that is removed outright (the API diff covers that)', () => {
    expect(runRule(shareableRemoved, `${FED2} type Query { p: P } type P { a: Int @shareable b: Int }`, `${FED2} type Query { p: P } type P { b: Int }`)).toEqual([]);
  });
});
