import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { createSubgraphDataSourceFactory, type SubgraphEvent } from './index';
import { startTestSubgraph, type TestSubgraph } from './test-subgraph';

const productsSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Product @key(fields: "id") { id: ID!, name: String }
  type Query { products: [Product!]! }`;
const inventorySdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Warehouse { name: String }
  type Query { warehouse: Warehouse }`;

describe('a slow subgraph', () => {
  let products: TestSubgraph;
  let inventory: TestSubgraph;
  let apollo: ApolloServer;
  let factory: ReturnType<typeof createSubgraphDataSourceFactory>;
  const events: SubgraphEvent[] = [];

  beforeAll(async () => {
    products = await startTestSubgraph(productsSdl, { Query: { products: () => [{ id: '1', name: 'Lamp' }] } });
    inventory = await startTestSubgraph(inventorySdl, { Query: { warehouse: () => ({ name: 'North' }) } });
    const composed = composeServices([
      { name: 'products', url: products.url, typeDefs: parse(productsSdl) },
      { name: 'inventory', url: inventory.url, typeDefs: parse(inventorySdl) },
    ]);
    if (composed.errors) throw composed.errors[0];
    factory = createSubgraphDataSourceFactory({
      subgraphs: { inventory: { timeoutMs: 250 } },
      defaults: { retries: 1, retryBaseDelayMs: 1 },
      onEvent: (e) => events.push(e),
    });
    apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl, buildService: factory.buildService }) });
    await apollo.start();
    // Warm up (query planning, first connections) so the timings below measure the timeout alone.
    await apollo.executeOperation({ query: '{ products { id name } warehouse { name } }' });
    inventory.received.length = 0;
    events.length = 0;
  });
  afterAll(async () => {
    await apollo.stop();
    await factory.close();
    await Promise.all([products.close(), inventory.close()]);
  });

  it('times out while the other subgraph\'s data is returned', async () => {
    inventory.behaviour.delayMs = 1500;
    const started = Date.now();
    const response = await apollo.executeOperation({ query: '{ products { id name } warehouse { name } }' });
    const elapsed = Date.now() - started;
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult;
    expect(data).toEqual({ products: [{ id: '1', name: 'Lamp' }], warehouse: null });
    expect(errors).toHaveLength(1);
    expect(errors![0]).toMatchObject({
      message: 'Subgraph "inventory" did not answer within 250 ms',
      extensions: { code: 'UPSTREAM_TIMEOUT', subgraph: 'inventory', serviceName: 'inventory' },
    });
    // One retry of a query: two attempts of 250 ms, far less than the subgraph's 1.5 s.
    expect(elapsed).toBeLessThan(1200);
    expect(events.filter((e) => e.type === 'request' && e.outcome === 'timeout')).toHaveLength(2);
    for (let i = 0; i < 50 && inventory.received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(inventory.received).toHaveLength(2);
    expect(events.filter((e) => e.type === 'retry')).toEqual([expect.objectContaining({ subgraph: 'inventory', attempt: 1, reason: 'UPSTREAM_TIMEOUT' })]);
  });

  it('answers in full once the subgraph is fast again', async () => {
    inventory.behaviour.delayMs = 0;
    const response = await apollo.executeOperation({ query: '{ products { name } warehouse { name } }' });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult).toEqual({ data: { products: [{ name: 'Lamp' }], warehouse: { name: 'North' } } });
  });
});
