/** Shared test fixtures: a small federated-looking schema, policies and principals. */
import { buildSchema, parse } from 'graphql';
import type { DocumentNode } from 'graphql';
import type { CompiledPolicy } from './compile';
import { compilePolicy, isCompileFailure } from './compile';
import type { PolicyInput, PolicyPrincipal } from '../../tenancy/policy';
import { policySchema } from '../../tenancy/policy';

export const schema = buildSchema(/* GraphQL */ `
  interface Node { id: ID! }
  union SearchResult = Product | User
  type Query {
    products: [Product!]!
    product(id: ID!): Product
    user(id: ID!): User
    users: [User!]
    search(text: String!): [SearchResult!]!
    node(id: ID!): Node
    me: User!
  }
  type User implements Node { id: ID! name: String! email: String reviews: [Review!]! }
  type Product implements Node { id: ID! name: String! price: Float reviews: [Review!] }
  type Review { body: String rating: Int! author: User! }
  input ReviewInput { productId: ID! body: String rating: Int! }
  type Mutation { addReview(input: ReviewInput!): Review deleteUser(id: ID!): Boolean }
`);

export function compileOrThrow(input: PolicyInput): CompiledPolicy {
  const compiled = compilePolicy(policySchema.parse(input), schema);
  if (isCompileFailure(compiled)) throw new Error(JSON.stringify(compiled.errors));
  return compiled;
}

export const policies = {
  everything: { version: 'all-1', fallback: 'allow' } satisfies PolicyInput,
  noEmail: { version: 'no-email-1', fallback: 'allow', rules: { 'User.email': 'deny' } } satisfies PolicyInput,
  catalog: {
    version: 'catalog-1',
    rules: { 'Query.products': 'allow', 'Query.product': 'allow', 'Product.*': 'allow' },
  } satisfies PolicyInput,
};

export const principal: PolicyPrincipal = { tenant: 'acme', subject: 'u1', roles: ['viewer'], scopes: [] };

export function doc(source: string): DocumentNode {
  return parse(source);
}
