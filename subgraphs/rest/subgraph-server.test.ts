import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { startSubgraphServer } from '../serve';

const resolvers = {
  Query: { hello: () => 'world', whoami: (_: unknown, __: unknown, context: { caller?: string }) => context.caller ?? null },
};
const schema = buildSubgraphSchema({ typeDefs: parse('type Query { hello: String! whoami: String }'), resolvers: resolvers as GraphQLResolverMap<any> });

test('serves GraphQL on POST /graphql, health on GET /health, JSON 404 elsewhere, and stops on close', async () => {
  const server = await startSubgraphServer({
    name: 'hello',
    schema,
    context: async (req) => ({ caller: req.headers['x-caller'] }),
  });
  const graphql = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-caller': 'gateway' },
    body: JSON.stringify({ query: '{ hello whoami }' }),
  });
  expect(graphql.status).toBe(200);
  expect(await graphql.json()).toEqual({ data: { hello: 'world', whoami: 'gateway' } });

  const health = await fetch(`${server.url}/health`);
  expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);

  const missing = await fetch(`${server.url}/nope`);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /nope' } });

  await server.close();
  await expect(fetch(`${server.url}/health`)).rejects.toThrow();
});
