/** `charter history / version-diff / rollback / promote / lifecycle` against a running registry, with exit codes. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, tempDir } from '../test/support/charter-process';
import { booksSdl, startTestRegistry, type TestRegistry } from './test-support';

let t: TestRegistry;
let cwd: string;
beforeAll(async () => {
  t = await startTestRegistry();
  cwd = tempDir('admin-cli');
  await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl(), author: 'ada' });
  await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('year: Int\n  isbn: String'), author: 'bob' });
});
afterAll(() => t.close());

// Until cli/main.ts registers these commands, drive the compiled module with a bare commander program.
const PROGRAM = `const { Command } = require('commander');
const program = new Command().option('-c, --config <file>', 'config', 'charter.config.yaml');
require(${JSON.stringify(path.join(REPO_ROOT, 'dist/cli/commands/registry-admin.js'))}).register(program);
program.parseAsync(process.argv.slice(1), { from: 'user' });`;

function charter(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', PROGRAM, ...args, '--registry', t.registry.url], { cwd, env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('history, version-diff and rollback print what happened and exit 0', async () => {
  const history = await charter('history');
  expect(history.code).toBe(0);
  expect(history.stdout).toMatch(/^\s+2 .* publish\s+books\s+by bob\n\s+1 .* publish\s+books\s+by ada\n$/);
  const diff = await charter('version-diff', '--from', '1', '--to', '2');
  expect(diff.stdout).toBe("SAFE      Book.isbn: Field 'isbn' was added to object type 'Book'\n");
  const rollback = await charter('rollback', '--to', '1', '--author', 'ops');
  expect(rollback).toEqual({ code: 0, stdout: 'Done: variant prod is now at version 3 (rollback)\n', stderr: '' });
});

test('a refusal by the checks exits 1 naming the coordinate; a bad request exits 2', async () => {
  await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('year: Int\n  isbn: String') });
  await t.client.reportUsage([{ coordinate: 'Book.isbn', count: 3 }]);
  const refused = await charter('rollback', '--to', '1');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^Refused \(CHECKS_FAILED\): .*\n  - Book\.isbn: .*3 requests in the last 7 days/);
  const missing = await charter('lifecycle', '--subgraph', 'nope', '--status', 'retired');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toBe('Refused (NOT_FOUND): Variant "prod" has no subgraph "nope"\n');
});
