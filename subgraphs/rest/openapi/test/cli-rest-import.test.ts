/**
 * `charter rest import` as a user runs it (the built CLI): from a file and from a loopback URL it
 * writes NAME.graphql and NAME.rest.yaml, which `charter check` accepts beside the demo subgraphs;
 * bad input gets a clear message and a non-zero exit, never a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRestBackend, type RestBackend } from '../../backend/rest-backend';
import { DEMO_REST_SUBGRAPHS } from '../../demo/index';
import { repoPath } from '../../demo/files';

const DOCUMENT_FILE = path.join(__dirname, 'petstore.openapi.json');

function charter(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [repoPath('bin', 'charter.js'), ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let backend: RestBackend;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'charter-rest-import-'));
  backend = await startRestBackend({ name: 'petshop', openapi: JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')) as object, collections: {} });
});
afterAll(() => backend.close());

test('imports a file, and the result passes charter check beside the demo subgraphs', async () => {
  const out = path.join(dir, 'from-file');
  const result = await charter(['rest', 'import', DOCUMENT_FILE, '--name', 'petshop', '--out', out], dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`wrote ${path.join(out, 'petshop.graphql')}`);
  expect(readFileSync(path.join(out, 'petshop.graphql'), 'utf8')).toContain('type Pet @key(fields: "id")');
  expect(readFileSync(path.join(out, 'petshop.rest.yaml'), 'utf8')).toContain('Query.listPets:');

  const config = path.join(dir, 'supergraph.yaml');
  const demo = DEMO_REST_SUBGRAPHS.map((s) => `  ${s.name}:\n    routing_url: http://127.0.0.1:1/${s.name}\n    schema: { file: ${JSON.stringify(s.schemaFile)} }\n`).join('');
  writeFileSync(config, `subgraphs:\n${demo}`);
  const check = await charter(['check', '--subgraph', 'petshop', '--schema', path.join(out, 'petshop.graphql'), '--config', config, '--routing-url', 'http://127.0.0.1:2/graphql'], dir);
  expect({ code: check.code, stderr: check.stderr }).toEqual({ code: 0, stderr: '' });
}, 120_000);

test('imports from a loopback URL; refuses to overwrite without --force', async () => {
  const out = path.join(dir, 'from-url');
  expect((await charter(['rest', 'import', `${backend.url}/openapi.json`, '--name', 'petshop', '--out', out], dir)).code).toBe(0);
  const again = await charter(['rest', 'import', `${backend.url}/openapi.json`, '--name', 'petshop', '--out', out], dir);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('exists; edit it, or pass --force to overwrite');
  expect((await charter(['rest', 'import', `${backend.url}/openapi.json`, '--name', 'petshop', '--out', out, '--force'], dir)).code).toBe(0);
}, 120_000);

test('a non-loopback URL, an invalid document and a bad name fail clearly', async () => {
  const remote = await charter(['rest', 'import', 'http://10.0.0.1/openapi.json', '--name', 'x', '--out', dir], dir);
  expect(remote.code).toBe(1);
  expect(remote.stderr).toContain('only loopback URLs');
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ openapi: '3.0.3', info: { title: 'x' }, paths: { '/a': { get: { responses: 'nope' } } } }));
  const invalid = await charter(['rest', 'import', bad, '--name', 'bad', '--out', dir], dir);
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toContain('is not valid');
  expect(invalid.stderr).not.toMatch(/\n\s+at /);
  const name = await charter(['rest', 'import', bad, '--name', '../evil', '--out', dir], dir);
  expect(name.code).toBe(2);
  expect(name.stderr).toContain('--name must be a subgraph name');
}, 120_000);
