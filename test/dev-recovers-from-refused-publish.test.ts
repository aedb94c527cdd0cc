/**
 * Issue 10, item 8, with the real CLI: a newcomer publishes an experimental field with
 * `charter publish` and queries it once; the next `charter dev` used to exit ("FIELD_REMOVED …").
 * Now it starts, serves the registry's live version (the field still answers), and says which
 * publish was refused, why, and how to go on. `--force "<reason>"` publishes the configured schema
 * with the reason kept in the version; `--reset` asks first (refuses without `--yes` when not
 * interactive) and then starts from an empty registry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { graphql, REPO_ROOT, runCharter, spawnCharter, tempDir, waitForOk, type CharterProcess } from './support/charter-process';
import { freePortRange } from './support/ports';

jest.setTimeout(180_000);

let port: number;
let dataDir: string;
let proc: CharterProcess | null = null;
const env = (): Record<string, string> => ({ PORT: String(port), CHARTER_DATA_DIR: dataDir, CHARTER_REGISTRY_TOKEN: '', CHARTER_REGISTRY_URL: '' });
const registry = (): string => `http://127.0.0.1:${port + 1}`;
const adminToken = (): string => JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8')).registry.adminToken;
const acmeKey = (): string => JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-keys.json'), 'utf8')).keys.find((k: { tenant: string }) => k.tenant === 'acme').apiKey;
const asAdmin = async (p: string): Promise<any> => (await fetch(`${registry()}${p}`, { headers: { authorization: `Bearer ${adminToken()}` } })).json();

async function startDev(args: string[] = []): Promise<CharterProcess> {
  const started = spawnCharter(['dev', ...args], env());
  await waitForOk(`http://127.0.0.1:${port}/ready`, started, 90_000);
  const deadline = Date.now() + 10_000;
  while (!started.output().includes('Charter is running.') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return started;
}

async function stopDev(): Promise<void> {
  await proc?.stop();
  proc = null;
}

async function queryExperimental(): Promise<any> {
  return (await graphql(`http://127.0.0.1:${port}/graphql`, '{ products(first: 1) { id experimental } }', { headers: { 'x-api-key': acmeKey() } })).body;
}

/** The gateway validated and planned the query (any error came from the products subgraph itself). */
function gatewayKnowsExperimental(answer: any): boolean {
  return !answer.errors || answer.errors.every((e: any) => e.extensions?.serviceName === 'products');
}

beforeAll(async () => {
  port = await freePortRange(20);
  dataDir = tempDir('dev-recover');
});
afterAll(async () => {
  await stopDev();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a refused configured schema no longer stops `charter dev`; --force and --reset are the ways on', async () => {
  proc = await startDev();

  // 1. Publish an experimental field with the real CLI (token read from demo-keys.json) and query it once.
  const live = await asAdmin('/api/variants/prod/subgraphs');
  const products = live.subgraphs.find((s: { name: string }) => s.name === 'products');
  const schemaFile = path.join(dataDir, 'products-experimental.graphql');
  fs.writeFileSync(schemaFile, products.sdl.replace(/type Product @key\(fields: "id"\) \{\n/, (m: string) => `${m}  experimental: String\n`));
  const published = await runCharter(['publish', '--name', 'products', '--url', products.url, '--schema', schemaFile], env(), REPO_ROOT);
  expect(published).toMatchObject({ code: 0, stdout: expect.stringContaining('Published: products -> variant prod') });
  // The running products server does not implement the field (the newcomer's experiment did):
  // what matters here is that the gateway's schema has it, so the query is planned and counted.
  let answer: any;
  for (let i = 0; i < 100; i++) {
    answer = await queryExperimental();
    if (gatewayKnowsExperimental(answer)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(gatewayKnowsExperimental(answer)).toBe(true);
  // The gateway reports field usage in the background: wait until the registry has counted it.
  for (let i = 0; i < 100; i++) {
    const usage = await asAdmin('/api/usage?coordinates=Product.experimental');
    if (usage.usage?.['Product.experimental']?.count > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await asAdmin('/api/usage?coordinates=Product.experimental')).usage['Product.experimental'].count).toBeGreaterThan(0);
  const versionWithField = (await asAdmin('/api/variants/prod/versions?limit=1')).versions[0].id;
  await stopDev();

  // 2. Restart: it starts, serves the live version, and says what was refused and how to go on.
  proc = await startDev();
  const out = proc.output();
  expect(out).toContain('The registry refused a configured schema:');
  expect(out).toContain('subgraph "products" (CHECKS_FAILED)');
  expect(out).toContain('Product.experimental');
  expect(out).toContain(`Serving the registry's live version ${versionWithField} instead`);
  expect(out).toContain('charter dev --force "<reason>"');
  expect(out).toContain('charter dev --reset');
  expect(gatewayKnowsExperimental(await queryExperimental())).toBe(true);
  await stopDev();

  // 3. --force with a reason: the configured schema wins, and the version records why and who.
  proc = await startDev(['--force', 'experiment over, dropping the field']);
  expect(proc.output()).not.toContain('The registry refused');
  const head = (await asAdmin('/api/variants/prod/versions?limit=1')).versions[0];
  expect(head).toMatchObject({ subgraph: 'products', force: { reason: 'experiment over, dropping the field', by: 'token:dev-admin' } });
  expect(head.force.overridden).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'change', coordinate: 'Product.experimental' })]));
  const afterForce = await queryExperimental();
  expect(gatewayKnowsExperimental(afterForce)).toBe(false);
  expect(afterForce.errors[0]).toMatchObject({ message: 'Cannot query field "experimental" on type "Product".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  await stopDev();

  // 4. --reset is never silent: without a terminal it needs --yes, and deletes nothing until then.
  const refused = await runCharter(['dev', '--reset'], env(), REPO_ROOT);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('charter dev --reset asks for confirmation; add --yes when running it from a script');
  expect(fs.existsSync(path.join(dataDir, 'registry'))).toBe(true);

  proc = await startDev(['--reset', '--yes']);
  expect(proc.output()).toMatch(/Reset: deleted registry, usage/);
  const fresh = (await asAdmin('/api/variants/prod/versions?limit=50')).versions;
  expect(fresh.every((v: { id: number }) => v.id <= 5)).toBe(true);
  expect(fresh.some((v: { force?: unknown }) => v.force)).toBe(false);
  // The demo keys survive a reset: the newcomer's key still works.
  expect((await graphql(`http://127.0.0.1:${port}/graphql`, '{ products(first: 1) { id } }', { headers: { 'x-api-key': acmeKey() } })).status).toBe(200);
});
