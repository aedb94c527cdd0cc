/** The file store meets the RegistryStore contract, and ignores a version file a crash left beyond HEAD. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileRegistryStore } from './file-store';
import { draftOf, runRegistryStoreContract } from './registry-store.contract';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-file-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileRegistryStore contract', () => {
  runRegistryStoreContract({ open: async () => new FileRegistryStore(dir), reopen: async () => new FileRegistryStore(dir) });
});

test('an orphan version file beyond HEAD (crash between the two writes) is not a version and is overwritten', async () => {
  const store = new FileRegistryStore(dir);
  await store.append('prod', null, draftOf('a'));
  const orphan = path.join(dir, 'variants/prod/versions/00000002.json');
  fs.writeFileSync(orphan, '{"id":2,"half');
  const reopened = new FileRegistryStore(dir);
  expect(await reopened.version('prod', 2)).toBeNull();
  expect(await reopened.headId('prod')).toBe(1);
  expect(await reopened.append('prod', 1, draftOf('b'))).toMatchObject({ ok: true, version: { id: 2, subgraph: 'b' } });
  expect(JSON.parse(fs.readFileSync(orphan, 'utf8')).subgraph).toBe('b');
  await store.close();
  await reopened.close();
});
