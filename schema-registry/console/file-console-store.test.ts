/** The file console store meets the ConsoleStore contract, survives torn writes and keeps its files private. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileConsoleStore } from './file-console-store';
import { runConsoleStoreContract, userOf } from './console-store.contract';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-console-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileConsoleStore contract', () => {
  runConsoleStoreContract({ open: async () => new FileConsoleStore(dir), reopen: async () => new FileConsoleStore(dir) });
});

test('a temporary file left by a crash mid-write is neither a record nor an audit entry', async () => {
  const store = new FileConsoleStore(dir);
  await store.put('users', 'bob', userOf('bob'), null);
  await store.appendAudit({ actor: 'a', action: 'one' });
  fs.writeFileSync(path.join(dir, 'users', '.ann.json.123.tmp'), '{"rev":1,"val');
  fs.writeFileSync(path.join(dir, 'audit', '.0000000002.json.123.tmp'), '{"id":2');
  const reopened = new FileConsoleStore(dir);
  expect((await reopened.list('users')).map((u) => u.value.username)).toEqual(['bob']);
  expect((await reopened.appendAudit({ actor: 'a', action: 'two' })).id).toBe(2);
  expect((await reopened.audit()).map((e) => e.action)).toEqual(['two', 'one']);
  await store.close();
  await reopened.close();
});

test('record and audit files are readable only by the owner (users hold password hashes)', async () => {
  const store = new FileConsoleStore(dir);
  await store.put('users', 'bob', userOf('bob'), null);
  await store.appendAudit({ actor: 'a', action: 'one' });
  expect(fs.statSync(path.join(dir, 'users', 'bob.json')).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.join(dir, 'audit', '0000000001.json')).mode & 0o777).toBe(0o600);
  await store.close();
});
