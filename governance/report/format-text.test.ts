import { formatText } from './format-text';
import { sampleReport } from './report-fixture';

describe('formatText', () => {
  it('prints every section readably and without colour codes', () => {
    const text = formatText(sampleReport());
    expect(text).not.toMatch(/\u001b\[/);
    expect(text.split('\n')).toEqual([
      'Check of subgraph "users": FAIL',
      '',
      'Composition: ok',
      '  hint [SOME_HINT] a hint',
      '',
      'Changes: 3 (1 breaking, 1 safe by usage, 0 dangerous, 1 safe)',
      "  BREAKING       User.email  Field 'email' was removed from object type 'User'",
      "  SAFE-BY-USAGE  Query.user(id:)  Type for argument 'id' changed: 0 requests in the last 7 days -> safe",
      "  SAFE           User.bad_name  Field 'bad_name' was added to object type 'User'",
      '',
      'Federation: 1',
      '  DANGEROUS  override-moved  User.id  User.id gained @override(from: "legacy")',
      '',
      'Lint: 1',
      '  error  field-names-camel-case  User.bad_name  Field "User.bad_name" is not camelCase (fix: Rename it to "badName")',
      '',
      'Notes:',
      '  - No usage data (offline check): breaking changes were judged without traffic, so none was made safe by usage.',
      '',
      'Result: FAIL (2 failing: change FIELD_REMOVED at User.email; lint field-names-camel-case at User.bad_name)',
      '',
    ]);
  });
});
