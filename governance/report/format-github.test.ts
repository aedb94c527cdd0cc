import { formatGithub } from './format-github';
import { sampleReport, SDL } from './report-fixture';

describe('formatGithub', () => {
  it('prints one annotation per finding on the line of its coordinate', () => {
    expect(formatGithub(sampleReport(), { file: 'subgraphs/users.graphql', sdl: SDL }).split('\n')).toEqual([
      // User.email is gone from the file: it points at its type.
      "::error file=subgraphs/users.graphql,line=5::BREAKING User.email: Field 'email' was removed from object type 'User'",
      "::warning file=subgraphs/users.graphql,line=2::BREAKING (safe by usage) Query.user(id:): Type for argument 'id' changed: 0 requests in the last 7 days -> safe",
      '::warning file=subgraphs/users.graphql,line=6::override-moved User.id: User.id gained @override(from: "legacy")',
      '::error file=subgraphs/users.graphql,line=7::field-names-camel-case User.bad_name: Field "User.bad_name" is not camelCase. Fix: Rename it to "badName"',
      '::notice::No usage data (offline check): breaking changes were judged without traffic, so none was made safe by usage.',
      '',
    ]);
  });

  it('places composition errors on their line in this subgraph and escapes newlines and property characters', () => {
    const report = { ...sampleReport(), changes: [], lint: [], federation: [], notes: [] };
    report.composition.errors = [
      { message: 'bad\nthing 100%', code: 'X', subgraph: 'other', line: 9, locations: [{ subgraph: 'other', line: 9, column: 1 }, { subgraph: 'users', line: 6, column: 3 }] },
      { message: 'elsewhere', subgraph: 'other', line: 4 },
    ];
    expect(formatGithub(report, { file: 'a,b:c.graphql', sdl: SDL })).toBe(
      '::error file=a%2Cb%3Ac.graphql,line=6::Composition: bad%0Athing 100%25\n::error file=a%2Cb%3Ac.graphql,line=1::Composition: elsewhere\n',
    );
  });

  it('falls back to line 1 without the SDL and prints nothing for a clean report', () => {
    const clean = { ...sampleReport(), verdict: 'pass' as const, changes: [], lint: [], federation: [], failures: [], notes: [] };
    expect(formatGithub(clean, { file: 'x.graphql' })).toBe('');
    const oneLint = { ...clean, lint: sampleReport().lint };
    expect(formatGithub(oneLint, { file: 'x.graphql' })).toMatch(/^::error file=x\.graphql,line=1::/);
  });
});
