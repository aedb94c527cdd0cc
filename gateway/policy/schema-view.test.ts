import type { GraphQLObjectType } from 'graphql';
import { graphqlSync, getIntrospectionQuery, parse, printSchema, validate } from 'graphql';
import { schemaViewFor } from './schema-view';
import { compileOrThrow, policies, principal, schema } from './policy-fixtures';

describe('schemaViewFor', () => {
  it('shows everything under an allow-all policy', () => {
    expect(printSchema(schemaViewFor(schema, compileOrThrow(policies.everything), principal))).toBe(printSchema(schema));
  });

  it('hides a denied field and answers a query for it as if it did not exist', () => {
    const view = schemaViewFor(schema, compileOrThrow(policies.noEmail), principal);
    expect(Object.keys((view.getType('User') as GraphQLObjectType).getFields())).toEqual(['id', 'name', 'reviews']);
    expect(validate(view, parse('{ me { email } }')).map((e) => e.message)).toEqual(['Cannot query field "email" on type "User".']);
    expect(validate(view, parse('{ me { name } }'))).toEqual([]);
  });

  it('drops types left without fields, fields returning them, unreachable inputs and the empty mutation root', () => {
    const view = schemaViewFor(schema, compileOrThrow(policies.catalog), principal);
    // Review loses every field, so Product.reviews goes; Node has no allowed field, so Product no
    // longer implements it; nothing reaches User, SearchResult or ReviewInput.
    expect(printSchema(view)).toBe(`type Query {
  products: [Product!]!
  product(id: ID!): Product
}

type Product {
  id: ID!
  name: String!
  price: Float
}`);
    const introspection = graphqlSync({ schema: view, source: getIntrospectionQuery() });
    const names = (introspection.data as { __schema: { types: Array<{ name: string }> } }).__schema.types.map((t) => t.name);
    for (const hidden of ['User', 'Review', 'SearchResult', 'Node', 'ReviewInput', 'Mutation']) expect(names).not.toContain(hidden);
  });

  it('removes a hidden union member and the interface fields one implementation hides', () => {
    const view = schemaViewFor(schema, compileOrThrow({ fallback: 'allow', rules: { 'User.*': 'deny' } }), principal);
    expect(printSchema(view)).toBe(`union SearchResult = Product

type Query {
  products: [Product!]!
  product(id: ID!): Product
  search(text: String!): [SearchResult!]!
}

type Product {
  id: ID!
  name: String!
  price: Float
  reviews: [Review!]
}

type Review {
  body: String
  rating: Int!
}

input ReviewInput {
  productId: ID!
  body: String
  rating: Int!
}

type Mutation {
  addReview(input: ReviewInput!): Review
  deleteUser(id: ID!): Boolean
}`);
  });

  it('keeps an interface whose fields every implementation allows', () => {
    const view = schemaViewFor(schema, compileOrThrow({ fallback: 'allow', rules: { 'Query.search': 'deny', 'User.email': 'deny' } }), principal);
    expect(printSchema(view)).toContain('type User implements Node {\n  id: ID!\n  name: String!\n  reviews: [Review!]!\n}');
    expect(printSchema(view)).toContain('interface Node {\n  id: ID!\n}');
    expect(printSchema(view)).not.toContain('SearchResult');
  });

  it('is memoised per schema, policy and roles+scopes', () => {
    const compiled = compileOrThrow(policies.noEmail);
    const a = schemaViewFor(schema, compiled, { roles: ['b', 'a'], scopes: ['s'] });
    expect(schemaViewFor(schema, compiled, { tenant: 'other', roles: ['a', 'b'], scopes: ['s'] })).toBe(a);
    expect(schemaViewFor(schema, compiled, { roles: ['a'], scopes: ['s'] })).not.toBe(a);
    expect(schemaViewFor(schema, compileOrThrow(policies.noEmail), { roles: ['a', 'b'], scopes: ['s'] })).not.toBe(a);
  });
});
