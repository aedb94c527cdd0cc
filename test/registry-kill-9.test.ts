/**
 * `kill -9` of the registry in the middle of a publish leaves the last acknowledged version intact:
 * after a restart the head is a complete version (the old one, or the new one if it was
 * acknowledged), every listed version reads back whole, and the next publish lands on top.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RegistryClient } from '../schema-registry/client';
import { spawnCharter, tempDir, waitForOk, type CharterProcess } from './support/charter-process';
import { freePort } from './support/ports';

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const sdlWith = (fields: string[]): string => `${FED}\n"""A book"""\ntype Book @key(fields: "id") {\n  id: ID!\n${fields.map((f) => `  ${f}: String`).join('\n')}\n}\ntype Query {\n  "All books"\n  books: [Book!]!\n}`;

let proc: CharterProcess | null = null;
afterEach(async () => {
  await proc?.stop('SIGKILL');
  proc = null;
});

async function start(dataDir: string, port: number): Promise<RegistryClient> {
  proc = spawnCharter(['registry', '--insecure-dev', '--port', String(port)], { CHARTER_DATA_DIR: dataDir, REDIS_URL: '', CHARTER_REGISTRY_TOKENS: '' }, dataDir);
  await waitForOk(`http://127.0.0.1:${port}/health`, proc);
  return new RegistryClient(`http://127.0.0.1:${port}`);
}

test('SIGKILL during publishes never loses an acknowledged version nor leaves a broken head', async () => {
  const dataDir = tempDir('kill9');
  const port = await freePort();
  let client = await start(dataDir, port);
  const url = 'http://books.test/graphql';
  expect((await client.publish('prod', { name: 'books', url, sdl: sdlWith(['title']) })).status).toBe(201);
  let acknowledged = 1;
  const fields = ['title'];

  for (const delayMs of [0, 5, 15, 40]) {
    fields.push(`f${delayMs}`);
    const sent = client.publish('prod', { name: 'books', url, sdl: sdlWith(fields) }).then(
      (r) => (r.status === 201 ? (r.body.version.id as number) : null),
      () => null,
    );
    await new Promise((r) => setTimeout(r, delayMs));
    await proc!.stop('SIGKILL');
    const landed = await sent;
    if (landed !== null) acknowledged = landed;

    client = await start(dataDir, port);
    const head = (await client.fetchSupergraph('prod'))!;
    // The head is the last acknowledged version, or the one in flight if it was written before the kill.
    expect([acknowledged, acknowledged + 1]).toContain(head.id);
    acknowledged = head.id;
    const history = (await client.history('prod', 100)).body.versions as Array<{ id: number; parentId: number | null }>;
    expect(history.map((v) => v.id)).toEqual(Array.from({ length: head.id }, (_, i) => head.id - i));
    for (const v of history) expect(v.parentId).toBe(v.id === 1 ? null : v.id - 1);
    const version = (await fetch(`http://127.0.0.1:${port}/api/variants/prod/versions/${head.id}`).then((r) => r.json())) as any;
    expect(version.supergraphSdl).toBe(head.supergraphSdl);
    expect(version.subgraphs[0].sdl).toMatch(/type Book/);
  }

  const next = await client.publish('prod', { name: 'books', url, sdl: sdlWith([...fields, 'last']) });
  expect(next.status).toBe(201);
  expect(next.body.version.id).toBe(acknowledged + 1);
  const leftovers = fs.readdirSync(path.join(dataDir, 'registry/variants/prod/versions')).filter((f) => f.endsWith('.tmp'));
  // Temporary files from killed writes may remain; they are never read as versions.
  expect(leftovers.every((f) => f.startsWith('.'))).toBe(true);
}, 120_000);
