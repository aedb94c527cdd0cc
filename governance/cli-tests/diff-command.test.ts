import { register, runDiff } from '../../cli/commands/diff';
import { runProgram, writeTempFiles } from './temp-files';

const files = writeTempFiles({
  'old.graphql': 'type Query { user: User }\ntype User { id: ID! email: String }\n',
  'same-plus.graphql': 'type Query { user: User }\ntype User { id: ID! email: String name: String }\n',
  'removed.graphql': 'type Query { user: User }\ntype User { id: ID! }\n',
  'broken.graphql': 'type Query {\n  user: User\n  oops:\n}\n',
});
afterAll(() => files.cleanup());

describe('charter diff', () => {
  it('exits 0 when nothing breaks', async () => {
    const outcome = await runDiff({ oldFile: files.file('old.graphql'), newFile: files.file('same-plus.graphql') });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('SAFE  User.name');
    expect(outcome.stdout).toContain(': PASS');
  });

  it('exits 1 on a breaking change and prints JSON when asked', async () => {
    const outcome = await runDiff({ oldFile: files.file('old.graphql'), newFile: files.file('removed.graphql'), format: 'json' });
    expect(outcome.exitCode).toBe(1);
    const json = JSON.parse(outcome.stdout);
    expect(json.verdict).toBe('fail');
    expect(json.changes).toEqual([
      { criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'User.email', message: "Field 'email' was removed from object type 'User'", reason: expect.stringMatching(/^Removing a field is a breaking change/) },
    ]);
  });

  it('exits 2 naming the file and line of a parse error', async () => {
    const broken = files.file('broken.graphql');
    const outcome = await runDiff({ oldFile: files.file('old.graphql'), newFile: broken });
    expect(outcome).toEqual({ exitCode: 2, stdout: '', stderr: `charter diff: ${broken}:4:1: Syntax Error: Expected Name, found "}".\n` });
  });

  it('exits 2 for a missing file and an unknown format', async () => {
    const missing = files.file('nope.graphql');
    expect(await runDiff({ oldFile: missing, newFile: files.file('old.graphql') })).toEqual({ exitCode: 2, stdout: '', stderr: `charter diff: cannot read ${missing}: no such file\n` });
    expect((await runDiff({ oldFile: files.file('old.graphql'), newFile: files.file('old.graphql'), format: 'xml' })).exitCode).toBe(2);
  });

  it('is wired into commander with process.exitCode and stdout (github format)', async () => {
    const run = await runProgram(register, ['diff', files.file('old.graphql'), files.file('removed.graphql'), '--format', 'github']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(`::error file=${files.file('removed.graphql')},line=2::BREAKING User.email: Field 'email' was removed from object type 'User'\n`);
  });
});
