/**
 * A small subgraph with the shapes permissions must handle (interfaces, unions, nested lists,
 * nullable and non-null fields, mutations), counting what reaches it.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createPrincipalVerifier } from '../../core/principal-signature';
import type { RunningServer } from '../../core/http';
import { startSubgraphServer } from '../../subgraphs/serve';

export const SHOP_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Node { id: ID! }
  type User implements Node @key(fields: "id") { id: ID! name: String! email: String orders: [Order!]! friends: [User!]! }
  type Product implements Node @key(fields: "id") { id: ID! name: String! price: Int! }
  type Order { id: ID! total: Int! items: [Product!]! }
  union SearchResult = User | Product
  type Query {
    users: [User!]!
    products: [Product!]!
    search(term: String!): [SearchResult]!
    node(id: ID!): Node
    whoami: String!
  }
  type Mutation {
    deleteUser(id: ID!): Boolean!
    addProduct(name: String!): Product!
  }
`;

const products = [
  { __typename: 'Product', id: 'p1', name: 'Lamp', price: 1200 },
  { __typename: 'Product', id: 'p2', name: 'Desk', price: 25000 },
];
const users = [
  { __typename: 'User', id: 'u1', name: 'Ada', email: 'ada@example.com', orders: [{ id: 'o1', total: 1200, items: [products[0]] }] },
  { __typename: 'User', id: 'u2', name: 'Alan', email: 'alan@example.com', orders: [] },
];

export interface ShopSubgraph extends RunningServer {
  calls: { deleteUser: number; addProduct: number; operations: number };
}

export async function startShopSubgraph(secret: string, options: { cacheMaxAgeSec?: number; delayMs?: number } = {}): Promise<ShopSubgraph> {
  const calls = { deleteUser: 0, addProduct: 0, operations: 0 };
  const schema = buildSubgraphSchema({
    typeDefs: parse(SHOP_SDL),
    resolvers: {
      Query: {
        users: () => (calls.operations++, users),
        products: async () => {
          calls.operations++;
          if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
          return products;
        },
        search: () => (calls.operations++, [users[0], products[1]]),
        node: (_: unknown, { id }: { id: string }) => [...users, ...products].find((n) => n.id === id) ?? null,
        whoami: (_: unknown, __: unknown, ctx: any) => `${ctx.principal.tenant}/${ctx.principal.subject}`,
      },
      Mutation: {
        deleteUser: () => (calls.deleteUser++, true),
        addProduct: (_: unknown, { name }: { name: string }) => (calls.addProduct++, { id: 'p9', name, price: 0 }),
      },
      User: { friends: (u: any) => users.filter((f) => f.id !== u.id) },
      Node: { __resolveType: (n: any) => n.__typename },
      SearchResult: { __resolveType: (n: any) => n.__typename },
    } as any,
  });
  const server = await startSubgraphServer({ name: 'shop', schema, verify: createPrincipalVerifier({ secret, audience: 'shop' }), cacheMaxAgeSec: options.cacheMaxAgeSec });
  return Object.assign(server, { calls });
}
