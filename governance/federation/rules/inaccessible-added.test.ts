import { FED2, runRule } from '../test-support';
import { inaccessibleAdded } from './inaccessible-added';

describe('inaccessible-added', () => {
  it('flags a field newly marked @inaccessible', () => {
    expect(runRule(inaccessibleAdded, `${FED2} type Query { a: Int b: Int }`, `${FED2} type Query { a: Int b: Int @inaccessible }`)).toEqual([
      { rule: 'inaccessible-added', criticality: 'DANGEROUS', coordinate: 'Query.b', message: 'Query.b was marked @inaccessible in subgraph "products": it leaves the API schema' },
    ]);
  });

  it('flags a type newly marked @inaccessible', () => {
    const findings = runRule(inaccessibleAdded, `${FED2} type Query { a: Int } type T { x: Int }`, `${FED2} type Query { a: Int } type T @inaccessible { x: Int }`);
    expect(findings.map((f) => f.coordinate)).toEqual(['T']);
  });

  it('does not flag a new field that is @inaccessible from the start', () => {
    expect(runRule(inaccessibleAdded, `${FED2} type Query { a: Int }`, `${FED2} type Query { a: Int b: Int @inaccessible }`)).toEqual([]);
  });
});
