/**
 * Subgraph internals never reach restricted tenants (hardening issue, item 5): errors named the
 * subgraph, REST paths and upstream statuses. For a tenant without the `admin` role, each error
 * from a subgraph keeps its path and a public code, and gets a message chosen by the gateway;
 * messages written for the client (bad input) pass; an admin sees the subgraph's own error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import type { TenantConfig } from '../../cli/config';
import { createPrincipalVerifier } from '../../core/principal-signature';
import type { RunningServer } from '../../core/http';
import { ApiKeyDirectory, hashApiKey } from '../../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { fileSupergraphSource } from '../../gateway/supergraph/file-source';
import { TenantDirectory } from '../../gateway/tenants/tenant-directory';
import { composeSubgraphs } from '../../governance/check';
import { startSubgraphServer } from '../../subgraphs/serve';
import { tempDir } from '../support/charter-process';
import { freePort } from '../support/ports';

const SECRET = 'masking-secret-masking-secret';
const INTERNAL = /ledger|10\.1\.2\.3|\/internal\/accounts|HTTP 500|serviceName|stacktrace/;
const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { balance: Int, checked(amount: Int!): Int, fine: String }`;

const tenant = (id: string, roles: string[]): TenantConfig => ({ id, roles, scopes: [], plan: {}, apiKeys: [{ id: `${id}-key`, sha256: hashApiKey(`key-${id}`) }] });
const TENANTS = [tenant('member', ['analyst']), tenant('ops', ['admin'])];

let ledger: RunningServer;
let gateway: RunningGateway;

beforeAll(async () => {
  const schema = buildSubgraphSchema({
    typeDefs: parse(SDL),
    resolvers: {
      Query: {
        balance: () => {
          throw new GraphQLError('GET http://10.1.2.3/internal/accounts/7 answered HTTP 500', { extensions: { code: 'UPSTREAM_ERROR', subgraph: 'ledger', stacktrace: ['at db.query'] } });
        },
        checked: (_: unknown, { amount }: { amount: number }) => {
          if (amount < 0) throw new GraphQLError('amount must not be negative', { extensions: { code: 'BAD_USER_INPUT' } });
          return amount;
        },
        fine: () => 'ok',
      },
    },
  });
  ledger = await startSubgraphServer({ name: 'ledger', schema, verify: createPrincipalVerifier({ secret: SECRET, audience: 'ledger' }) });
  const offline = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n  type Query { vault: String }`;
  const composed = composeSubgraphs([
    { name: 'ledger', url: `${ledger.url}/graphql`, sdl: SDL },
    { name: 'vault', url: `http://127.0.0.1:${await freePort()}/graphql`, sdl: offline },
  ]);
  if (!composed.ok) throw new Error(JSON.stringify(composed.errors));
  const file = path.join(tempDir('masking'), 'supergraph.graphql');
  fs.writeFileSync(file, composed.supergraphSdl);
  gateway = await startGateway({ source: fileSupergraphSource(file), keys: new ApiKeyDirectory(TENANTS), tenants: new TenantDirectory(TENANTS), subgraphSecret: SECRET, subgraphs: { vault: { retries: 0, timeoutMs: 1000 } } });
  await gateway.ready;
});
afterAll(async () => {
  await gateway?.close();
  await ledger?.close();
});

async function ask(key: string, query: string): Promise<{ status: number; text: string; body: any }> {
  const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query }) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

test("a subgraph's internal error reaches a member as a public code at its path, with no name, path or status", async () => {
  const { status, text, body } = await ask('key-member', '{ balance fine }');
  expect(status).toBe(200);
  expect(body).toEqual({ data: { balance: null, fine: 'ok' }, errors: [{ message: 'An upstream service failed', path: ['balance'], extensions: { code: 'UPSTREAM_ERROR' } }] });
  expect(text).not.toMatch(INTERNAL);
});

test('an unreachable subgraph is not named to a member', async () => {
  const { body } = await ask('key-member', '{ vault }');
  expect(body.data).toEqual({ vault: null });
  expect(body.errors).toEqual([expect.objectContaining({ message: 'An upstream service is unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } })]);
  expect(JSON.stringify(body.errors)).not.toMatch(/vault|127\.0\.0\.1/);
});

test('a message written for the client (bad input) passes, without the subgraph name', async () => {
  const { body } = await ask('key-member', '{ checked(amount: -1) }');
  expect(body.errors).toEqual([expect.objectContaining({ message: 'amount must not be negative', path: ['checked'], extensions: { code: 'BAD_USER_INPUT' } })]);
});

test('an admin sees the subgraph error as it was written', async () => {
  const { body } = await ask('key-ops', '{ balance }');
  expect(body.errors[0].message).toBe('GET http://10.1.2.3/internal/accounts/7 answered HTTP 500');
  expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_ERROR', serviceName: 'ledger' });
});
