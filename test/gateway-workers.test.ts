/**
 * `charter gateway --workers 2` as a user runs it: two worker processes serve on one port, a rate
 * limit holds across both (kept by the primary, no Redis), SIGHUP loads a new supergraph file in
 * every worker, and SIGTERM shuts everything down cleanly (exit 0, no worker left behind).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SUBGRAPH_FIXTURES } from '../bench/gateway-bound/fixtures';
import { serveGraphQL, type GraphQLHttpServer } from '../bench/gateway-bound/graphql-http';
import { hashApiKey } from '../gateway/auth/api-keys';
import { composeSubgraphs } from '../governance/check';
import { spawnCharter, tempDir, type CharterProcess } from './support/charter-process';
import { freePort } from './support/ports';

const OPEN_KEY = 'workers-open-key-0123456789abcdef';
const LIMITED_KEY = 'workers-limited-key-0123456789abcd';
const LIMIT = 6;

let subgraphs: GraphQLHttpServer[] = [];
let charter: CharterProcess | null = null;
let dir: string;
let url: string;
let supergraphFile: string;
let fullSupergraph: string;

/** One request on a fresh connection, so the cluster hands it to the next worker in turn. */
function post(query: string, key: string): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ message: string }> } }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': key } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid='], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${charter?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  subgraphs = await Promise.all(SUBGRAPH_FIXTURES.map((f) => serveGraphQL(f.schema())));
  const sources = SUBGRAPH_FIXTURES.map((f, i) => ({ name: f.name, url: subgraphs[i]!.url, sdl: f.typeDefs }));
  // First without inventory (no `inStock`), later the full graph: the reload must bring it in.
  const partial = composeSubgraphs(sources.filter((s) => s.name !== 'inventory'));
  const full = composeSubgraphs(sources);
  if (!partial.ok || !full.ok) throw new Error('fixtures do not compose');
  fullSupergraph = full.supergraphSdl;
  dir = tempDir('workers');
  supergraphFile = path.join(dir, 'supergraph.graphql');
  fs.writeFileSync(supergraphFile, partial.supergraphSdl);
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'charter.config.yaml'),
    [
      `dataDir: ${JSON.stringify(path.join(dir, 'data'))}`,
      'gateway:',
      `  port: ${port}`,
      '  host: 127.0.0.1',
      'tenants:',
      '  - id: open',
      '    roles: [admin]',
      `    apiKeys: [{ id: open-key, sha256: ${hashApiKey(OPEN_KEY)} }]`,
      '  - id: limited',
      '    roles: [reader]',
      `    apiKeys: [{ id: limited-key, sha256: ${hashApiKey(LIMITED_KEY)} }]`,
      `    plan: { rateLimit: { requestsPerMinute: ${LIMIT}, burst: ${LIMIT} } }`,
      '',
    ].join('\n'),
  );
  url = `http://127.0.0.1:${port}/graphql`;
  charter = spawnCharter(['--config', path.join(dir, 'charter.config.yaml'), 'gateway', '--supergraph', supergraphFile, '--workers', '2']);
  await waitFor('both workers to listen', () => /2 workers/.test(charter!.output()), 60_000);
}, 90_000);

afterAll(async () => {
  if (charter && charter.child.exitCode === null) await charter.stop('SIGKILL');
  await Promise.all(subgraphs.map((s) => s.close()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('two worker processes serve requests on one port', async () => {
  expect(childPids(charter!.child.pid!)).toHaveLength(2);
  for (let i = 0; i < 6; i++) {
    const { status, body } = await post('{ topProducts(first: 2) { upc name } }', OPEN_KEY);
    expect(status).toBe(200);
    expect(body.data).toEqual({ topProducts: [{ upc: 'p0', name: 'Product 0' }, { upc: 'p1', name: 'Product 1' }] });
  }
});

test('a rate limit holds across both workers, not once per worker', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT * 2; i++) statuses.push((await post('{ topProducts(first: 1) { upc } }', LIMITED_KEY)).status);
  const allowed = statuses.filter((s) => s === 200).length;
  // Per-worker buckets would let 2 x LIMIT through; one refill may land during the run.
  expect(allowed).toBeGreaterThanOrEqual(LIMIT);
  expect(allowed).toBeLessThanOrEqual(LIMIT + 1);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(LIMIT - 1);
});

test('SIGHUP loads a new supergraph file in every worker', async () => {
  const before = await post('{ topProducts(first: 1) { upc inStock } }', OPEN_KEY);
  expect(before.status).toBe(400);

  fs.writeFileSync(supergraphFile, fullSupergraph);
  process.kill(charter!.child.pid!, 'SIGHUP');
  await waitFor('both workers to report the new supergraph', () => (charter!.output().match(/worker \d+: supergraph file:/g) ?? []).length >= 2);
  expect(charter!.output()).not.toMatch(/reload failed/);

  // Fresh connections alternate between the workers: every one must answer from the new graph.
  for (let i = 0; i < 6; i++) {
    const { status, body } = await post('{ topProducts(first: 1) { upc inStock } }', OPEN_KEY);
    expect(status).toBe(200);
    expect(body.data).toEqual({ topProducts: [{ upc: 'p0', inStock: false }] });
  }
});

test('SIGTERM closes every worker and exits 0', async () => {
  const workers = childPids(charter!.child.pid!);
  expect(workers).toHaveLength(2);
  const code = await charter!.stop('SIGTERM');
  expect(code).toBe(0);
  await waitFor('the workers to exit', () => workers.every((pid) => !alive(pid)), 5000);
});
