/**
 * Importing the demo backends' own /openapi.json documents reproduces working subgraphs that answer
 * like the hand-written demo mappings on everything the documents describe (types, queries, entity
 * fetches, the products -> inventory join), with the same batching: one call per backend.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import type { RunningServer } from '../../../../core/http';
import { startSubgraphServer } from '../../../serve';
import { DEMO_REST_SUBGRAPHS } from '../../demo/index';
import { startDemoRestStack, type DemoRestStack } from '../../demo/start';
import { buildRestSubgraph } from '../../wrap/build';
import { importOpenApi } from '../import-openapi';

let stack: DemoRestStack;
let handWritten: ApolloServer;
let imported: ApolloServer;
const servers: RunningServer[] = [];

async function gatewayOver(subgraphs: Array<{ name: string; url: string; typeDefs: string }>): Promise<ApolloServer> {
  const composed = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })));
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }) as any });
  await server.start();
  return server;
}

beforeAll(async () => {
  stack = await startDemoRestStack({ host: '127.0.0.1' });
  handWritten = await gatewayOver(stack.subgraphs);
  const importedSubgraphs = await Promise.all(
    DEMO_REST_SUBGRAPHS.map(async (demo) => {
      const baseUrl = stack.backends.urls[demo.backend];
      const result = await importOpenApi(`${baseUrl}/openapi.json`, { name: demo.name });
      const subgraph = buildRestSubgraph({ name: demo.name, typeDefs: result.sdl, mapping: result.mapping, baseUrl });
      const server = await startSubgraphServer({ name: demo.name, schema: subgraph.schema, host: '127.0.0.1' });
      servers.push(server);
      return { name: demo.name, url: `${server.url}/graphql`, typeDefs: result.sdl };
    }),
  );
  imported = await gatewayOver(importedSubgraphs);
});

afterAll(async () => {
  await imported?.stop();
  await handWritten?.stop();
  await Promise.all(servers.map((server) => server.close()));
  await stack?.close();
});

async function answer(gateway: ApolloServer, query: string): Promise<{ data: unknown; calls: Record<string, number> }> {
  for (const backend of Object.values(stack.backends.backends)) backend.resetStats();
  const response = await gateway.executeOperation({ query });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  expect(errors).toBeUndefined();
  return { data, calls: Object.fromEntries(Object.entries(stack.backends.backends).map(([name, backend]) => [name, backend.stats().requests])) };
}

test.each([
  ['a list with a mapped argument', '{ users(first: 5) { id name username email } }'],
  ['entity fetches, found and missing', '{ user(id: "7") { name email } missing: user(id: "999") { name } }'],
  ['a filtered list', '{ products(first: 20, category: "garden") { id name price category description } }'],
  ['the products -> inventory join across subgraphs', '{ products(first: 20) { id name quantity warehouse } }'],
  ['an entity by id joined to its stock', '{ product(id: "23") { name price quantity warehouse } }'],
  ['a review by id', '{ review(id: "3") { id rating body } }'],
])('%s answers the same, with the same backend calls', async (_name, query) => {
  const expected = await answer(handWritten, query);
  const actual = await answer(imported, query);
  expect(actual.data).toEqual(expected.data);
  expect(actual.calls).toEqual(expected.calls);
  // Batching survives the import: never more than one call per backend for these queries.
  for (const count of Object.values(actual.calls)) expect(count).toBeLessThanOrEqual(1);
});
