import { lintWithOnly } from '../test-support';

describe('field-names-camel-case', () => {
  it('flags a new snake_case field', () => {
    expect(lintWithOnly('field-names-camel-case', { oldSdl: 'type Query { a: Int }', newSdl: 'type Query { a: Int created_at: String }' })).toEqual([
      { rule: 'field-names-camel-case', severity: 'error', coordinate: 'Query.created_at', message: 'Field "Query.created_at" is not camelCase', fix: 'Rename it to "createdAt"' },
    ]);
  });

  it('flags input fields too, but not camelCase ones', () => {
    const findings = lintWithOnly('field-names-camel-case', { newSdl: 'type Query { a(f: FInput): Int } input FInput { first_name: String lastName: String }' });
    expect(findings.map((f) => f.coordinate)).toEqual(['FInput.first_name']);
  });
});
