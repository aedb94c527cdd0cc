/** The file tenant store meets the TenantStore contract, and ignores a version file a crash left beyond HEAD. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileTenantStore } from './file-tenant-store';
import { draftOf, runTenantStoreContract } from './tenant-store.contract';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-tenant-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileTenantStore contract', () => {
  runTenantStoreContract({ open: async () => new FileTenantStore(dir), reopen: async () => new FileTenantStore(dir) });
});

test('an orphan version file beyond HEAD (crash between the two writes) is not a version and is overwritten', async () => {
  const store = new FileTenantStore(dir);
  await store.append('prod', null, draftOf('acme'));
  const orphan = path.join(dir, 'prod/versions/00000002.json');
  fs.writeFileSync(orphan, '{"id":2,"half');
  const reopened = new FileTenantStore(dir);
  expect(await reopened.headId('prod')).toBe(1);
  expect(await reopened.history('prod', 'acme')).toHaveLength(1);
  expect(await reopened.append('prod', 1, draftOf('beta'))).toMatchObject({ ok: true, version: { id: 2, tenant: 'beta' } });
  expect(JSON.parse(fs.readFileSync(orphan, 'utf8')).tenant).toBe('beta');
  await store.close();
  await reopened.close();
});

test('no temporary files are left behind and HEAD is whole JSON after every append', async () => {
  const store = new FileTenantStore(dir);
  for (let i = 0; i < 5; i++) await store.append('prod', i === 0 ? null : i, draftOf(`t${i}`));
  const files = fs.readdirSync(path.join(dir, 'prod'));
  expect(files.sort()).toEqual(['HEAD.json', 'versions']);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'prod/HEAD.json'), 'utf8')).id).toBe(5);
  await store.close();
});
