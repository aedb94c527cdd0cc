import { lintWithOnly } from '../test-support';

describe('enum-values-upper-case', () => {
  it('flags a camelCase enum value', () => {
    expect(lintWithOnly('enum-values-upper-case', { newSdl: 'type Query { s: Stock } enum Stock { IN_STOCK outOfStock }' })).toEqual([
      { rule: 'enum-values-upper-case', severity: 'error', coordinate: 'Stock.outOfStock', message: 'Enum value "Stock.outOfStock" is not UPPER_CASE', fix: 'Rename it to "OUT_OF_STOCK"' },
    ]);
  });

  it('accepts digits and underscores', () => {
    expect(lintWithOnly('enum-values-upper-case', { newSdl: 'type Query { s: Size } enum Size { XL_2 X3 }' })).toEqual([]);
  });
});
