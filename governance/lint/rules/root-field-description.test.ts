import { lintWithOnly } from '../test-support';

describe('root-field-description', () => {
  it('flags a new root field without a description, including in `extend type Query`', () => {
    const findings = lintWithOnly('root-field-description', {
      oldSdl: 'extend type Query { "Old" a: Int }',
      newSdl: 'extend type Query { "Old" a: Int b: Int } type Mutation { "Does" doIt: Int undone: Int }',
    });
    expect(findings.map((f) => f.coordinate)).toEqual(['Query.b', 'Mutation.undone']);
  });

  it('does not flag non-root fields without descriptions', () => {
    expect(lintWithOnly('root-field-description', { newSdl: 'type Query { "Me" me: User } type User { name: String }' })).toEqual([]);
  });

  it('follows a renamed root type from the schema block', () => {
    const findings = lintWithOnly('root-field-description', { newSdl: 'schema { query: Root } type Root { a: Int } type Query { b: Int }' });
    expect(findings.map((f) => f.coordinate)).toEqual(['Root.a']);
  });
});
