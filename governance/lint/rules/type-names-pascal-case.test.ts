import { lintWithOnly } from '../test-support';

describe('type-names-pascal-case', () => {
  it('flags a new snake_case type with the rename as fix', () => {
    expect(lintWithOnly('type-names-pascal-case', { oldSdl: 'type Query { a: Int }', newSdl: 'type Query { a: user_profile } type user_profile { id: ID }' })).toEqual([
      { rule: 'type-names-pascal-case', severity: 'error', coordinate: 'user_profile', message: 'Type "user_profile" is not PascalCase', fix: 'Rename it to "UserProfile"' },
    ]);
  });

  it('does not flag PascalCase names or federation machinery (_Any, link__Import)', () => {
    expect(lintWithOnly('type-names-pascal-case', { newSdl: 'type Query { a: UserProfile } type UserProfile { id: ID } scalar _Any scalar link__Import' })).toEqual([]);
  });
});
