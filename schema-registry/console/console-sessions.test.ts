/** Sessions end: an expired one is refused and removed at the next sign-in; the password is stored only as a scrypt hash. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConsoleService, SESSION_TTL_MS, sessionIdOf } from './console-service';
import { FileConsoleStore } from './file-console-store';
import { verifyPassword } from './passwords';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-console-sessions-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a session expires after its TTL and is pruned at the next sign-in', async () => {
  let now = Date.parse('2026-12-03T08:00:00Z');
  const store = new FileConsoleStore(dir);
  const service = new ConsoleService({ store, tenants: {} as never, schemas: {} as never, now: () => now });
  await service.putUser({ username: 'bob', password: 'a long enough password', roles: [{ role: 'tenant-member', tenant: 'globex' }] });
  const first = await service.signIn('bob', 'a long enough password');
  expect((await service.sessionOf(first.sessionToken))?.user.username).toBe('bob');
  now += SESSION_TTL_MS + 1;
  expect(await service.sessionOf(first.sessionToken)).toBeNull();
  const second = await service.signIn('BOB', 'a long enough password');
  expect(await store.get('sessions', sessionIdOf(first.sessionToken))).toBeNull();
  expect(await store.get('sessions', sessionIdOf(second.sessionToken))).not.toBeNull();
  // The store knows the session only by the SHA-256 of the cookie.
  expect(JSON.stringify(await store.list('sessions'))).not.toContain(second.sessionToken);
  await store.close();
});

test('the stored user holds a scrypt hash that verifies the password and nothing else', async () => {
  const store = new FileConsoleStore(dir);
  const service = new ConsoleService({ store, tenants: {} as never, schemas: {} as never });
  await service.putUser({ username: 'ann', password: 'another long password', roles: [{ role: 'platform-admin' }] });
  const raw = fs.readFileSync(path.join(dir, 'users', 'ann.json'), 'utf8');
  expect(raw).not.toContain('another long password');
  const hash = JSON.parse(raw).value.passwordHash as string;
  expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(await verifyPassword('another long password', hash)).toBe(true);
  expect(await verifyPassword('another long passwor', hash)).toBe(false);
  expect(await verifyPassword('another long password', null)).toBe(false);
  await expect(service.putUser({ username: 'short', password: 'short', roles: [{ role: 'platform-admin' }] })).rejects.toThrow(/at least 12 characters/);
  await store.close();
});
