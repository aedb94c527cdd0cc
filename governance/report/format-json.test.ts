import { formatJson } from './format-json';
import { sampleReport } from './report-fixture';

describe('formatJson', () => {
  it('prints the documented shape: verdict, changes, composition, lint (plus extra keys)', () => {
    const parsed = JSON.parse(formatJson(sampleReport()));
    expect(Object.keys(parsed).slice(0, 1)).toEqual(['verdict']);
    expect(parsed.verdict).toBe('fail');
    expect(parsed.changes).toEqual([
      { criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'User.email', message: "Field 'email' was removed from object type 'User'" },
      {
        criticality: 'BREAKING',
        type: 'FIELD_ARGUMENT_TYPE_CHANGED',
        coordinate: 'Query.user(id:)',
        message: "Type for argument 'id' changed: 0 requests in the last 7 days -> safe",
        usage: { count: 0, clients: [], windowDays: 7 },
        safeByUsage: true,
      },
      { criticality: 'SAFE', type: 'FIELD_ADDED', coordinate: 'User.bad_name', message: "Field 'bad_name' was added to object type 'User'" },
    ]);
    expect(parsed.composition).toEqual({ errors: [], hints: [{ message: 'a hint', code: 'SOME_HINT' }] });
    expect(parsed.lint).toEqual([{ rule: 'field-names-camel-case', severity: 'error', coordinate: 'User.bad_name', message: 'Field "User.bad_name" is not camelCase', fix: 'Rename it to "badName"' }]);
    expect(parsed.federation).toHaveLength(1);
    expect(parsed.notes).toHaveLength(1);
  });

  it('does not leak internal fields (usageCoordinates) and ends with a newline', () => {
    const text = formatJson(sampleReport());
    expect(text).not.toContain('usageCoordinates');
    expect(text.endsWith('}\n')).toBe(true);
  });
});
