/**
 * The loop the registry's usage checks depend on, through real parts: fields queried at the gateway
 * are reported (with the client's name) to the registry, which then refuses removing a used field
 * and accepts removing an unused one. And a gateway whose registry is down starts from the last good
 * supergraph it kept on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { RunningServer } from '../core/http';
import { createLogger } from '../core/logger';
import { ApiKeyDirectory } from '../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../gateway/server';
import { registrySupergraphSource } from '../gateway/supergraph/registry-source';
import { createUsageReporter } from '../gateway/usage/usage-reporter';
import { RegistryClient } from '../schema-registry/client';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { startSubgraphServer } from '../subgraphs/serve';
import { graphql, spawnCharter, tempDir, waitForOk } from './support/charter-process';
import { freePort } from './support/ports';

const logger = createLogger('test', 'silent');
const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const V1 = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! isbn: String! pages: Int! }\ntype Query { books: [Book!]! }`;
const BOOKS = [{ id: '1', title: 'Dune', isbn: '978-0441013593', pages: 412 }];

let dir: string;
let registry: RunningRegistry;
let books: RunningServer;
let gateway: RunningGateway;
let client: RegistryClient;
let url: string;

beforeAll(async () => {
  dir = tempDir('usage');
  registry = await startRegistry({ insecureDev: true, dataDir: dir, logger });
  client = new RegistryClient(registry.url);
  books = await startSubgraphServer({ name: 'books', schema: buildSubgraphSchema({ typeDefs: parse(V1), resolvers: { Query: { books: () => BOOKS } } }) });
  url = `${books.url}/graphql`;
  expect((await client.publish('prod', { name: 'books', url, sdl: V1 })).status).toBe(201);
  gateway = await startGateway({
    source: registrySupergraphSource({ registryUrl: registry.url, variant: 'prod', cacheFile: path.join(dir, 'gateway', 'last-supergraph.json'), logger }),
    keys: new ApiKeyDirectory([]),
    subgraphSecret: 'x',
    logger,
    usage: createUsageReporter({ sink: client, flushIntervalMs: 60_000, logger }),
  });
  await gateway.ready;
});

afterAll(async () => {
  await gateway?.close();
  await books?.close();
  await registry?.close();
});

test('a field the gateway saw in use cannot be removed; an unused one can', async () => {
  const seen = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollographql-client-name': 'ios', 'apollographql-client-version': '4.2' },
    body: JSON.stringify({ query: '{ books { title isbn } }' }),
  });
  expect(seen.status).toBe(200);
  await gateway.close(); // flushes the usage batch to the registry

  const withoutIsbn = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! pages: Int! }\ntype Query { books: [Book!]! }`;
  const refused = await client.publish('prod', { name: 'books', url, sdl: withoutIsbn });
  expect(refused.status).toBe(422);
  expect(refused.body.error.code).toBe('CHECKS_FAILED');
  expect(JSON.stringify(refused.body)).toMatch(/Book\.isbn/);
  expect(JSON.stringify(refused.body)).toMatch(/ios/);

  // Governance asks for deprecation before deletion; then the unused field may go.
  const deprecated = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! isbn: String! pages: Int! @deprecated(reason: "unused") }\ntype Query { books: [Book!]! }`;
  expect((await client.publish('prod', { name: 'books', url, sdl: deprecated })).status).toBe(201);
  const withoutPages = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! isbn: String! }\ntype Query { books: [Book!]! }`;
  const accepted = await client.publish('prod', { name: 'books', url, sdl: withoutPages });
  expect(accepted.body.error?.message).toBeUndefined();
  expect(accepted.status).toBe(201);
});

test('with the registry down, a gateway starts from the last good supergraph on disk', async () => {
  expect(fs.existsSync(path.join(dir, 'gateway', 'last-supergraph.json'))).toBe(true);
  const deadRegistry = 'http://127.0.0.1:9'; // nothing listens on the discard port
  const again = await startGateway({
    source: registrySupergraphSource({ registryUrl: deadRegistry, variant: 'prod', cacheFile: path.join(dir, 'gateway', 'last-supergraph.json'), logger, retryDelayMs: 50 }),
    subgraphSecret: 'x',
    logger,
  });
  try {
    await again.ready;
    const { body } = await graphql(`${again.url}/graphql`, '{ books { title } }');
    expect(body).toEqual({ data: { books: [{ title: 'Dune' }] } });
  } finally {
    await again.close();
  }
});

test('`charter gateway --supergraph FILE` serves a static supergraph anonymously and says so', async () => {
  const supergraph = (await client.fetchSupergraph('prod'))!.supergraphSdl;
  const work = tempDir('static');
  fs.writeFileSync(path.join(work, 'supergraph.graphql'), supergraph);
  fs.writeFileSync(path.join(work, 'charter.config.yaml'), 'gateway:\n  usageReporting: { enabled: false }\n');
  const port = await freePort();
  const proc = spawnCharter(['gateway', '--supergraph', 'supergraph.graphql', '--port', String(port)], { CHARTER_DATA_DIR: path.join(work, 'data') }, work);
  try {
    await waitForOk(`http://127.0.0.1:${port}/ready`, proc);
    const { body } = await graphql(`http://127.0.0.1:${port}/graphql`, '{ books { title } }');
    expect(body).toEqual({ data: { books: [{ title: 'Dune' }] } });
    expect(proc.output()).toMatch(/serves anonymous requests/);
    expect(proc.output()).toContain(`supergraph file supergraph.graphql`);
  } finally {
    await proc.stop();
  }
});
