import { FED2, runRule } from '../test-support';
import { keyResolvableFalse } from './key-resolvable-false';

const product = (key: string) => `${FED2} type Query { p: Product } type Product ${key} { id: ID! }`;

describe('key-resolvable-false', () => {
  it('flags a key that becomes resolvable: false', () => {
    expect(runRule(keyResolvableFalse, product('@key(fields: "id")'), product('@key(fields: "id", resolvable: false)'))).toEqual([
      {
        rule: 'key-resolvable-false',
        criticality: 'BREAKING',
        coordinate: 'Product',
        message: '@key(fields: "id") on Product became resolvable: false: subgraph "products" no longer resolves Product references by it',
      },
    ]);
  });

  it('does not flag a new stub entity declared resolvable: false from the start', () => {
    expect(runRule(keyResolvableFalse, `${FED2} type Query { a: Int }`, product('@key(fields: "id", resolvable: false)'))).toEqual([]);
  });

  it('does not flag a key that stays resolvable: false', () => {
    const stub = product('@key(fields: "id", resolvable: false)');
    expect(runRule(keyResolvableFalse, stub, stub)).toEqual([]);
  });
});
