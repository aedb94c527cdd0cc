/**
 * A hand-made OpenAPI document with $refs (schemas and parameters), allOf, oneOf with a
 * discriminator, enums whose values are not GraphQL names, nested objects and arrays: imported from
 * the backend's own /openapi.json on loopback, built into a subgraph and queried through a gateway.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import type { RunningServer } from '../../../../core/http';
import { startSubgraphServer } from '../../../serve';
import { startRestBackend, type RestBackend } from '../../backend/rest-backend';
import { buildRestSubgraph } from '../../wrap/build';
import { importOpenApi, type ImportedSubgraph } from '../import-openapi';

const DOCUMENT = JSON.parse(readFileSync(path.join(__dirname, 'petstore.openapi.json'), 'utf8')) as object;

let backend: RestBackend;
let imported: ImportedSubgraph;
let server: RunningServer;
let gateway: ApolloServer;

beforeAll(async () => {
  backend = await startRestBackend({
    name: 'petshop',
    openapi: DOCUMENT,
    collections: {
      pets: [
        { id: 'p1', name: 'Rex', status: 'available', tags: [{ name: 'dog' }, { name: 'large' }], owner: { name: 'Ada', address: { city: 'London', 'post-code': 'N1' } }, ageMonths: 30 },
        { id: 'p2', name: 'Tom', status: 'on-hold', tags: [] },
        { id: 'p3', name: 'Kit', status: 'sold', tags: [{ name: 'cat' }] },
      ],
      orders: [
        { id: 'o1', petIds: ['p3'], payment: { kind: 'card', last4: '4242' } },
        { id: 'o2', petIds: ['p2'], payment: { kind: 'bank', iban: 'DE89370400440532013000' } },
      ],
    },
  });
  imported = await importOpenApi(`${backend.url}/openapi.json`, { name: 'petshop' });
  const subgraph = buildRestSubgraph({ name: 'petshop', typeDefs: imported.sdl, mapping: imported.mapping, mappingSource: 'petshop.rest.yaml', baseUrl: backend.url });
  server = await startSubgraphServer({ name: 'petshop', schema: subgraph.schema, host: '127.0.0.1' });
  const composed = composeServices([{ name: 'petshop', url: `${server.url}/graphql`, typeDefs: parse(imported.sdl) }]);
  if (composed.errors) throw new Error(`${composed.errors.map((e) => e.message).join('\n')}\n${imported.sdl}`);
  gateway = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }) as any });
  await gateway.start();
});

afterAll(async () => {
  await gateway?.stop();
  await server?.close();
  await backend?.close();
});

async function query(text: string, variables?: Record<string, unknown>) {
  const response = await gateway.executeOperation({ query: text, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: any; errors?: any[] };
}

test('the SDL carries types, enums, a union, inputs, descriptions and the entity key', () => {
  expect(imported.sdl).toContain('type Pet @key(fields: "id") {');
  expect(imported.sdl).toContain('"""A pet for sale."""');
  expect(imported.sdl).toMatch(/enum PetStatus \{\s+AVAILABLE\s+ON_HOLD\s+SOLD\s+\}/);
  expect(imported.sdl).toContain('union OrderPayment = CardPayment | BankPayment');
  expect(imported.sdl).toContain('input NewPetInput {');
  expect(imported.sdl).toContain('listPets(status: PetStatus): [Pet!]!');
  expect(imported.sdl).toContain('pet(id: ID!): Pet');
  expect(imported.sdl).toContain('createPet(input: NewPetInput!, idempotencyKey: String): Pet');
  expect(imported.sdl).toContain('deletePet(id: String!): Boolean');
  expect(imported.mappingYaml).toContain('ON_HOLD: on-hold');
});

test('nested objects, arrays, renamed properties and enums read through the gateway', async () => {
  const result = await query('{ pet(id: "p1") { name status ageMonths tags { name } owner { name address { city postCode } } } }');
  expect(result).toEqual({
    data: { pet: { name: 'Rex', status: 'AVAILABLE', ageMonths: 30, tags: [{ name: 'dog' }, { name: 'large' }], owner: { name: 'Ada', address: { city: 'London', postCode: 'N1' } } } },
  });
});

test('an enum argument is sent as the REST value', async () => {
  expect(await query('{ listPets(status: ON_HOLD) { id } }')).toEqual({ data: { listPets: [{ id: 'p2' }] } });
});

test('the oneOf becomes a union resolved by its discriminator', async () => {
  const result = await query('{ orders { id payment { __typename ... on CardPayment { last4 } ... on BankPayment { iban } } } }');
  expect(result).toEqual({
    data: {
      orders: [
        { id: 'o1', payment: { __typename: 'CardPayment', last4: '4242' } },
        { id: 'o2', payment: { __typename: 'BankPayment', iban: 'DE89370400440532013000' } },
      ],
    },
  });
});

test('a create and a delete round trip, re-read through the gateway', async () => {
  const created = await query('mutation { createPet(input: { name: "Bo", status: SOLD, tags: [{ name: "bird" }] }, idempotencyKey: "k1") { id name status tags { name } } }');
  expect(created.errors).toBeUndefined();
  const id = created.data.createPet.id as string;
  expect(created.data.createPet).toEqual({ id, name: 'Bo', status: 'SOLD', tags: [{ name: 'bird' }] });
  expect((await query(`{ pet(id: "${id}") { name } }`)).data).toEqual({ pet: { name: 'Bo' } });
  expect((await query(`mutation { deletePet(id: "${id}") }`)).data).toEqual({ deletePet: true });
  expect((await query(`{ pet(id: "${id}") { name } }`)).data).toEqual({ pet: null });
});

test('an invalid document is refused with the parser naming the problem', async () => {
  await expect(importOpenApi({ openapi: '3.0.3', info: { title: 'x' }, paths: { '/a': { get: { responses: 'nope' } } } }, { name: 'bad' })).rejects.toThrow(/OpenAPI document the document is not valid/);
});
