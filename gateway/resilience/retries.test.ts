import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { createSubgraphDataSourceFactory } from './index';
import { startTestSubgraph, type TestSubgraph } from './test-subgraph';

const productsSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Product @key(fields: "id") { id: ID!, name: String }
  type Query { products: [Product!]! }
  type Mutation { addProduct(name: String!): Product }`;
const aiSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { summary: String }`;

describe('retries', () => {
  let products: TestSubgraph;
  let ai: TestSubgraph;
  let apollo: ApolloServer<{ tenant: string }>;
  let factory: ReturnType<typeof createSubgraphDataSourceFactory<{ tenant: string }>>;
  let added = 0;

  beforeAll(async () => {
    products = await startTestSubgraph(productsSdl, {
      Query: { products: () => [{ id: '1', name: 'Lamp' }] },
      Mutation: { addProduct: (_: unknown, args: unknown) => ({ id: String(++added), name: (args as { name: string }).name }) },
    });
    ai = await startTestSubgraph(aiSdl, { Query: { summary: () => 'short' } });
    const composed = composeServices([
      { name: 'products', url: products.url, typeDefs: parse(productsSdl) },
      { name: 'ai', url: ai.url, typeDefs: parse(aiSdl) },
    ]);
    if (composed.errors) throw composed.errors[0];
    factory = createSubgraphDataSourceFactory<{ tenant: string }>({
      subgraphs: { ai: { noRetry: true } },
      defaults: { retries: 2, retryBaseDelayMs: 1, breakerFailureThreshold: 100 },
      willSendRequest: (request, context) => request.headers.set('x-charter-tenant', `${context.tenant}:${request.subgraph}`),
    });
    apollo = new ApolloServer<{ tenant: string }>({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl, buildService: factory.buildService }) });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo.stop();
    await factory.close();
    await Promise.all([products.close(), ai.close()]);
  });
  beforeEach(() => {
    products.received.length = 0;
    ai.received.length = 0;
  });

  const run = async (query: string): Promise<{ data?: unknown; errors?: readonly unknown[] }> => {
    const response = await apollo.executeOperation({ query }, { contextValue: { tenant: 'acme' } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  };

  it('retries a failed query and returns its data', async () => {
    products.behaviour.failNext = 2;
    expect(await run('{ products { name } }')).toEqual({ data: { products: [{ name: 'Lamp' }] } });
    expect(products.received).toHaveLength(3);
    expect(products.received[0]!.headers['x-charter-tenant']).toBe('acme:products');
  });

  it('gives up after its retries with UPSTREAM_UNAVAILABLE', async () => {
    products.behaviour.failNext = 5;
    const result = await run('{ products { name } }');
    expect(result.errors).toEqual([expect.objectContaining({ message: 'Subgraph "products" answered HTTP 503', extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', subgraph: 'products' }) })]);
    expect(products.received).toHaveLength(3);
    products.behaviour.failNext = 0;
  });

  it('never retries a mutation', async () => {
    products.behaviour.failNext = 1;
    const result = await run('mutation { addProduct(name: "Desk") { id name } }');
    expect(result.data).toEqual({ addProduct: null });
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', subgraph: 'products' }) })]);
    expect(products.received).toHaveLength(1);
    expect(products.received[0]!.query).toMatch(/^mutation/);
    expect(added).toBe(0);
  });

  it('never retries a subgraph marked noRetry, even for a query', async () => {
    ai.behaviour.failNext = 1;
    const result = await run('{ summary }');
    expect(result).toMatchObject({ data: { summary: null }, errors: [{ extensions: { code: 'UPSTREAM_UNAVAILABLE', subgraph: 'ai' } }] });
    expect(ai.received).toHaveLength(1);
    expect(await run('{ summary }')).toEqual({ data: { summary: 'short' } });
  });
});
