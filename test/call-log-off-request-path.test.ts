/**
 * The call log through a real gateway: one record per request with what a user needs (tenant,
 * operation, status, error codes, latency) and nothing of the variables or the answer; a hung or
 * failing store never slows or fails a request, and what it loses is counted on /metrics.
 */
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createCallLogWriter, type CallSink } from '../analytics/call-log-writer';
import type { CallRecord } from '../analytics/call-record';
import type { RunningServer } from '../core/http';
import { createLogger } from '../core/logger';
import { ApiKeyDirectory } from '../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../gateway/server';
import { registrySupergraphSource } from '../gateway/supergraph/registry-source';
import { RegistryClient } from '../schema-registry/client/registry-client';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { startSubgraphServer } from '../subgraphs/serve';
import { tempDir } from './support/charter-process';

const logger = createLogger('test', 'silent');
const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const SDL = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! }\ntype Query { book(id: ID!): Book }`;

let registry: RunningRegistry;
let books: RunningServer;
const gateways: RunningGateway[] = [];

async function gatewayWith(sink: CallSink, maxBatch = 500): Promise<{ gateway: RunningGateway; writer: ReturnType<typeof createCallLogWriter> }> {
  const dir = tempDir('calllog-gw');
  const writer = createCallLogWriter({ sink, maxBatch, flushIntervalMs: 60_000 });
  const gateway = await startGateway({
    source: registrySupergraphSource({ registryUrl: registry.url, variant: 'prod', cacheFile: path.join(dir, 'last.json'), logger }),
    keys: new ApiKeyDirectory([]),
    subgraphSecret: 'x',
    logger,
    metricsToken: 'metrics-secret',
    callLog: writer,
  });
  await gateway.ready;
  gateways.push(gateway);
  return { gateway, writer };
}

const ask = (gateway: RunningGateway, query: string, variables?: unknown): Promise<Response> =>
  fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollographql-client-name': 'ios', 'apollographql-client-version': '4.2' },
    body: JSON.stringify({ query, variables }),
  });

beforeAll(async () => {
  registry = await startRegistry({ insecureDev: true, dataDir: tempDir('calllog-reg'), logger });
  books = await startSubgraphServer({ name: 'books', schema: buildSubgraphSchema({ typeDefs: parse(SDL), resolvers: { Query: { book: (_: unknown, a: { id: string }) => ({ id: a.id, title: 'Dune-secret-title' }) } } }) });
  expect((await new RegistryClient(registry.url).publish('prod', { name: 'books', url: `${books.url}/graphql`, sdl: SDL })).status).toBe(201);
});

afterAll(async () => {
  for (const g of gateways) await g.close();
  await books?.close();
  await registry?.close();
});

test('one record per request, with status and error codes, and no variables or answer', async () => {
  const got: CallRecord[] = [];
  const { gateway, writer } = await gatewayWith({ sendCalls: async (calls) => (got.push(...calls), { status: 202 }) });
  expect((await ask(gateway, 'query Book($id: ID!) { book(id: $id) { title } }', { id: 'secret-id-42' })).status).toBe(200);
  expect((await ask(gateway, 'query Broken { nope }')).status).toBe(400);
  await writer.flush();

  expect(got).toHaveLength(2);
  const [ok, bad] = got as [CallRecord, CallRecord];
  expect(ok).toMatchObject({ tenant: 'anonymous', entrance: 'graphql', operationName: 'Book', status: 200, errorCodes: [], clientName: 'ios', clientVersion: '4.2', rateLimit: 'allowed' });
  expect(ok.operationHash).toMatch(/^[0-9a-f]{64}$/);
  expect(ok.latencyMs).toBeGreaterThan(0);
  expect(Math.abs(ok.time - Date.now())).toBeLessThan(60_000);
  expect(bad).toMatchObject({ status: 400, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  const stored = JSON.stringify(got);
  expect(stored).not.toContain('secret-id-42');
  expect(stored).not.toContain('Dune-secret-title');
});

test('a hung store never holds a request, a failing one never fails it; losses are counted on /metrics', async () => {
  let release!: () => void;
  const hung = new Promise<{ status: number }>((resolve) => (release = () => resolve({ status: 500 })));
  // Batches of 1: every request starts a send; the first hangs until released, then fails.
  const { gateway, writer } = await gatewayWith({ sendCalls: () => hung }, 1);
  for (let i = 0; i < 5; i++) {
    const res = await ask(gateway, '{ book(id: "1") { title } }');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { book: { title: 'Dune-secret-title' } } });
  }
  release();
  await writer.flush();
  expect(writer.dropped).toBe(5);
  const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } })).text();
  expect(metrics).toMatch(/^charter_call_log_dropped_total 5$/m);
});

test('a store that throws counts the batch as dropped and the gateway keeps answering', async () => {
  const { gateway, writer } = await gatewayWith({ sendCalls: () => Promise.reject(new Error('connection refused')) });
  expect((await ask(gateway, '{ book(id: "2") { title } }')).status).toBe(200);
  await writer.flush();
  expect(writer.dropped).toBe(1);
});
