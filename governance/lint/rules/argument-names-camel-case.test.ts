import { lintWithOnly } from '../test-support';

describe('argument-names-camel-case', () => {
  it('flags a snake_case argument by its argument coordinate', () => {
    expect(lintWithOnly('argument-names-camel-case', { newSdl: 'type Query { users(first_name: String, limit: Int): Int }' })).toEqual([
      { rule: 'argument-names-camel-case', severity: 'error', coordinate: 'Query.users(first_name:)', message: 'Argument "Query.users(first_name:)" is not camelCase', fix: 'Rename it to "firstName"' },
    ]);
  });

  it('does not flag camelCase arguments', () => {
    expect(lintWithOnly('argument-names-camel-case', { newSdl: 'type Query { users(firstName: String): Int }' })).toEqual([]);
  });
});
