/**
 * Swapping the supergraph under load drops nothing: while clients send a steady stream of queries,
 * several new versions are published, and every single request is answered in full.
 */
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { RunningServer } from '../core/http';
import { createLogger } from '../core/logger';
import { startGateway, type RunningGateway } from '../gateway/server';
import { registrySupergraphSource } from '../gateway/supergraph/registry-source';
import { RegistryClient } from '../schema-registry/client';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { startSubgraphServer } from '../subgraphs/serve';
import { tempDir } from './support/charter-process';

const logger = createLogger('test', 'silent');
const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const sdl = (extraFields: number) =>
  `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! ${Array.from({ length: extraFields }, (_, i) => `extra${i}: String`).join(' ')} }\ntype Query { books: [Book!]! }`;

let registry: RunningRegistry;
let books: RunningServer;
let gateway: RunningGateway;

beforeAll(async () => {
  const dir = tempDir('hot');
  registry = await startRegistry({ insecureDev: true, dataDir: dir, logger });
  const resolvers = { Query: { books: () => [{ id: '1', title: 'Dune' }] } };
  books = await startSubgraphServer({ name: 'books', schema: buildSubgraphSchema({ typeDefs: parse(sdl(5)), resolvers }) });
  await new RegistryClient(registry.url).publish('prod', { name: 'books', url: `${books.url}/graphql`, sdl: sdl(0) });
  gateway = await startGateway({ source: registrySupergraphSource({ registryUrl: registry.url, variant: 'prod', cacheFile: path.join(dir, 'last.json'), logger }), subgraphSecret: 's', cache: false, logger });
  await gateway.ready;
});

afterAll(async () => {
  await gateway?.close();
  await books?.close();
  await registry?.close();
});

test('zero failed requests while five new supergraphs are swapped in', async () => {
  const client = new RegistryClient(registry.url);
  let stop = false;
  const outcomes = { ok: 0, failed: [] as string[] };
  const worker = async (): Promise<void> => {
    while (!stop) {
      try {
        const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ books { id title } }' }) });
        const body = await res.json();
        if (res.status === 200 && !body.errors && body.data.books[0].title === 'Dune') outcomes.ok++;
        else outcomes.failed.push(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      } catch (err) {
        outcomes.failed.push(String(err));
      }
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  for (let version = 1; version <= 5; version++) {
    await new Promise((r) => setTimeout(r, 150));
    expect((await client.publish('prod', { name: 'books', url: `${books.url}/graphql`, sdl: sdl(version) })).status).toBe(201);
  }
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await Promise.all(workers);
  expect(outcomes.failed).toEqual([]);
  expect(outcomes.ok).toBeGreaterThan(100);
  // And the last version is what is served now.
  const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ books { extra4 } }' }) });
  expect(res.status).toBe(200);
});
