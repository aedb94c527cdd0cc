/**
 * An entity with a composite key (`@key(fields: "sku region")`) served by a REST batch endpoint
 * that takes pairs: through a real gateway, every (sku, region) a query needs is fetched in one
 * call, each pair once, and matched back by both values.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { listen, sendJson, type RunningServer } from '../../../core/http';
import { startSubgraphServer } from '../../serve';
import { startRestBackend, type RestBackend } from '../backend/rest-backend';
import { buildRestSubgraph } from '../wrap/build';

const STOCK = [
  { sku: 'A1', region: 'eu', quantity: 4 },
  { sku: 'A1', region: 'us', quantity: 0 },
  { sku: 'B2', region: 'eu', quantity: 11 },
  // A sku containing the separator must not be confused with another pair.
  { sku: 'C:3', region: 'us', quantity: 7 },
];
const LISTINGS = [
  { id: '1', title: 'Lamp (EU)', stock: { sku: 'A1', region: 'eu' } },
  { id: '2', title: 'Lamp (US)', stock: { sku: 'A1', region: 'us' } },
  { id: '3', title: 'Chair (EU)', stock: { sku: 'B2', region: 'eu' } },
  { id: '4', title: 'Lamp (EU), again', stock: { sku: 'A1', region: 'eu' } },
  { id: '5', title: 'Odd sku', stock: { sku: 'C:3', region: 'us' } },
  { id: '6', title: 'Gone', stock: { sku: 'Z9', region: 'eu' } },
];

const STOCK_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Stock @key(fields: "sku region") { sku: ID! region: String! quantity: Int! }
`;
const LISTINGS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Stock @key(fields: "sku region") { sku: ID! region: String! }
  type Listing { id: ID! title: String! stock: Stock }
  type Query { listings: [Listing!]! }
`;

let stockApi: RunningServer;
let stockCalls: string[] = [];
let listingsApi: RestBackend;
let servers: RunningServer[] = [];
let gateway: ApolloServer;

beforeAll(async () => {
  stockApi = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    stockCalls.push(url.search);
    if (url.pathname !== '/stock' || !url.searchParams.has('pairs')) return sendJson(res, 404, {});
    // Pairs are "sku:region" with each value URL-encoded: split the raw query, then decode.
    const raw = url.search.slice(1).split('&').find((part) => part.startsWith('pairs='))!.slice('pairs='.length);
    const pairs = raw.split(',').map((pair) => pair.split(':').map(decodeURIComponent));
    sendJson(res, 200, STOCK.filter((row) => pairs.some(([sku, region]) => row.sku === sku && row.region === region)));
  }, { host: '127.0.0.1' });
  listingsApi = await startRestBackend({ name: 'listings', collections: { listings: LISTINGS } });

  const stock = buildRestSubgraph({ name: 'stock', typeDefs: STOCK_SDL, mapping: { entities: { Stock: { key: 'sku region', batch: '/stock?pairs={keys}' } } }, baseUrl: stockApi.url });
  const listings = buildRestSubgraph({ name: 'listings', typeDefs: LISTINGS_SDL, mapping: { stubs: ['Stock'], fields: { 'Query.listings': { list: '/listings' } } }, baseUrl: listingsApi.url });
  servers = await Promise.all([stock, listings].map((subgraph) => startSubgraphServer({ name: subgraph.name, schema: subgraph.schema, host: '127.0.0.1' })));
  const composed = composeServices([stock, listings].map((subgraph, index) => ({ name: subgraph.name, url: `${servers[index]!.url}/graphql`, typeDefs: parse(subgraph.typeDefs) })));
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  gateway = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }) as any });
  await gateway.start();
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(servers.map((server) => server.close()));
  await listingsApi?.close();
  await stockApi?.close();
});

test('one batch call with each distinct pair once; rows matched by both values', async () => {
  stockCalls = [];
  const response = await gateway.executeOperation({ query: '{ listings { id stock { sku region quantity } } }' });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult as { data?: any; errors?: any[] };
  expect(errors).toBeUndefined();
  expect(data.listings).toEqual([
    { id: '1', stock: { sku: 'A1', region: 'eu', quantity: 4 } },
    { id: '2', stock: { sku: 'A1', region: 'us', quantity: 0 } },
    { id: '3', stock: { sku: 'B2', region: 'eu', quantity: 11 } },
    { id: '4', stock: { sku: 'A1', region: 'eu', quantity: 4 } },
    { id: '5', stock: { sku: 'C:3', region: 'us', quantity: 7 } },
    { id: '6', stock: null },
  ]);
  expect(stockCalls).toHaveLength(1);
  expect(stockCalls[0]).toBe('?pairs=A1:eu,A1:us,B2:eu,C%3A3:us,Z9:eu');
});

test('a composite key the schema does not declare, or a get without every key field, fails the build', () => {
  const build = (entity: object) => () => buildRestSubgraph({ name: 'stock', typeDefs: STOCK_SDL, mapping: { entities: { Stock: entity as never } }, baseUrl: stockApi.url });
  expect(build({ key: 'sku warehouse', batch: '/stock?pairs={keys}' })).toThrow('entities.Stock: key "sku warehouse" is not a @key of Stock');
  expect(build({ key: 'sku region', get: '/stock/{sku}' })).toThrow('entities.Stock.get: must contain {region} (a composite key fills each field)');
  expect(build({ key: 'sku region', batch: '/stock?ids={ids}' })).toThrow('entities.Stock.batch: must contain {keys}');
});
