import { lintWithOnly } from '../test-support';

describe('input-types-end-with-input', () => {
  it('flags an input type without the suffix', () => {
    expect(lintWithOnly('input-types-end-with-input', { newSdl: 'type Query { a(f: UserFilter): Int } input UserFilter { a: Int }' })).toEqual([
      { rule: 'input-types-end-with-input', severity: 'error', coordinate: 'UserFilter', message: 'Input type "UserFilter" does not end in "Input"', fix: 'Rename it to "UserFilterInput"' },
    ]);
  });

  it('does not flag output types or suffixed inputs', () => {
    expect(lintWithOnly('input-types-end-with-input', { newSdl: 'type Query { a(f: UserFilterInput): UserFilter } input UserFilterInput { a: Int } type UserFilter { a: Int }' })).toEqual([]);
  });
});
