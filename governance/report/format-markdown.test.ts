import { formatMarkdown } from './format-markdown';
import { sampleReport } from './report-fixture';

describe('formatMarkdown', () => {
  it('renders a PR comment with a headline and a changes table', () => {
    const md = formatMarkdown(sampleReport());
    expect(md.startsWith('### ❌ Schema check failed: `users`\n')).toBe(true);
    expect(md).toContain('| Criticality | Coordinate | Change | Usage |\n| --- | --- | --- | --- |\n');
    expect(md).toContain("| 🔴 BREAKING | `User.email` | Field 'email' was removed from object type 'User' |  |");
    expect(md).toContain("| 🟢 SAFE (unused) | `Query.user(id:)` | Type for argument 'id' changed: 0 requests in the last 7 days -> safe | 0 in 7d (safe) |");
    expect(md).toContain('| error | field-names-camel-case | `User.bad_name` | Field "User.bad_name" is not camelCase | Rename it to "badName" |');
    expect(md).toContain('> No usage data (offline check)');
  });

  it('escapes pipes and newlines so a message cannot break the table', () => {
    const report = sampleReport();
    report.changes = [{ criticality: 'DANGEROUS', type: 'X', coordinate: 'A.b', message: 'one | two\nthree' }];
    expect(formatMarkdown(report)).toContain('| 🟠 DANGEROUS | `A.b` | one \\| two<br>three |  |');
  });

  it('says passed for a passing report and omits empty tables', () => {
    const md = formatMarkdown({ ...sampleReport(), verdict: 'pass', changes: [], lint: [], federation: [], failures: [], notes: [] });
    expect(md).toBe('### ✅ Schema check passed: `users`\n\n0 changes, 0 breaking · 0 composition errors · 0 lint findings · 0 federation findings\n');
  });
});
