import { print, validate } from 'graphql';
import type { AuthorizationResult } from './authorize';
import type { Rule } from '../../tenancy/policy';
import { authorizeOperation } from './authorize';
import { compileOrThrow, doc, policies, principal, schema } from './policy-fixtures';

/** The same operations, run under each policy of the matrix. */
const operations = {
  fragmentsAndAliases: `
    query Users { team: users { ...UserBits } boss: me { ...UserBits } }
    fragment UserBits on User { id name contact: email }`,
  unionAndInterface: `
    query Find($text: String!) {
      search(text: $text) { ... on User { id email } ... on Product { id name } }
      node(id: "p1") { id ... on User { email } }
    }`,
  nestedLists: `{ products { name reviews { rating author { name email } } } me { name email } }`,
  mutation: `
    mutation Review($input: ReviewInput!) {
      addReview(input: $input) { rating author { email } }
      deleteUser(id: "u1")
    }`,
};

type OperationName = keyof typeof operations;

interface Expected {
  query: string | undefined;
  denied: Array<[string, string, string[]?]>;
  allDenied: boolean;
}

function summarise(result: AuthorizationResult): Expected {
  return {
    query: result.query,
    denied: result.denied.map((d) => (d.parentTypes ? [d.path.join('.'), d.coordinate, d.parentTypes] : [d.path.join('.'), d.coordinate])),
    allDenied: result.allDenied,
  };
}

async function run(policy: keyof typeof policies, operation: OperationName, variables: Record<string, unknown> = {}): Promise<AuthorizationResult> {
  const document = doc(operations[operation]);
  const before = print(document);
  const result = await authorizeOperation({ schema, document, variables, principal, policy: compileOrThrow(policies[policy]) });
  // The input document is never mutated, and the new one is valid against the schema.
  expect(print(document)).toBe(before);
  expect(validate(schema, result.document)).toEqual([]);
  return result;
}

describe('authorizeOperation with everything allowed', () => {
  it.each(Object.keys(operations) as OperationName[])('leaves %s untouched and returns the input document', async (name) => {
    const document = doc(operations[name]);
    const result = await authorizeOperation({ schema, document, variables: {}, principal, policy: compileOrThrow(policies.everything) });
    expect(result).toEqual({ denied: [], document, query: undefined, changed: false, allDenied: false, rejected: false, addedTypenames: [] });
    expect(result.document).toBe(document);
  });
});

describe('authorizeOperation without User.email', () => {
  it('specialises a fragment that loses a field and keeps aliases in paths', async () => {
    const result = await run('noEmail', 'fragmentsAndAliases');
    expect(summarise(result)).toEqual({
      query: `query Users {
  team: users {
    ...UserBits_allowed1
  }
  boss: me {
    ...UserBits_allowed1
  }
}

fragment UserBits_allowed1 on User {
  id
  name
}`,
      denied: [
        ['team.contact', 'User.email'],
        ['boss.contact', 'User.email'],
      ],
      allDenied: false,
    });
  });

  it('removes the field only from the union member and interface implementation that select it, adding __typename to tell them apart', async () => {
    const result = await run('noEmail', 'unionAndInterface');
    expect(summarise(result)).toEqual({
      query: `query Find($text: String!) {
  search(text: $text) {
    ... on User {
      id
    }
    ... on Product {
      id
      name
    }
    __typename
  }
  node(id: "p1") {
    id
    __typename
  }
}`,
      denied: [
        ['search.email', 'User.email', ['User']],
        ['node.email', 'User.email', ['User']],
      ],
      allDenied: false,
    });
    expect(result.addedTypenames).toEqual([
      { path: ['search'], keepFor: [] },
      { path: ['node'], keepFor: [] },
    ]);
  });

  it('removes a field deep in nested lists', async () => {
    const result = await run('noEmail', 'nestedLists');
    expect(summarise(result)).toEqual({
      query: `{
  products {
    name
    reviews {
      rating
      author {
        name
      }
    }
  }
  me {
    name
  }
}`,
      denied: [
        ['products.reviews.author.email', 'User.email'],
        ['me.email', 'User.email'],
      ],
      allDenied: false,
    });
    expect(result.denied[0].fieldTypes).toEqual(['[Product!]!', '[Review!]', 'User!', 'String']);
  });

  it('keeps a mutation whose selection loses every field, selecting __typename instead', async () => {
    const result = await run('noEmail', 'mutation');
    expect(summarise(result)).toEqual({
      query: `mutation Review($input: ReviewInput!) {
  addReview(input: $input) {
    rating
    author {
      __typename
    }
  }
  deleteUser(id: "u1")
}`,
      denied: [['addReview.author.email', 'User.email']],
      allDenied: false,
    });
    expect(result.addedTypenames).toEqual([{ path: ['addReview', 'author'], keepFor: [] }]);
  });
});

describe('authorizeOperation with the catalog-only policy', () => {
  it('denies every root field of a user query', async () => {
    const result = await run('catalog', 'fragmentsAndAliases');
    expect(summarise(result)).toEqual({
      query: `query Users {
  __typename
}`,
      denied: [
        ['team', 'Query.users'],
        ['boss', 'Query.me'],
      ],
      allDenied: true,
    });
  });

  it('drops variable definitions only denied fields used', async () => {
    const result = await run('catalog', 'unionAndInterface');
    expect(summarise(result)).toEqual({
      query: `query Find {
  __typename
}`,
      denied: [
        ['search', 'Query.search'],
        ['node', 'Query.node'],
      ],
      allDenied: true,
    });
  });

  it('keeps the catalog part of a mixed query', async () => {
    const result = await run('catalog', 'nestedLists');
    expect(summarise(result)).toEqual({
      query: `{
  products {
    name
    reviews {
      __typename
    }
  }
}`,
      denied: [
        ['products.reviews.rating', 'Review.rating'],
        ['products.reviews.author', 'Review.author'],
        ['me', 'Query.me'],
      ],
      allDenied: false,
    });
  });

  it('runs no denied mutation', async () => {
    const result = await run('catalog', 'mutation');
    expect(summarise(result)).toEqual({
      query: `mutation Review {
  __typename
}`,
      denied: [
        ['addReview', 'Mutation.addReview'],
        ['deleteUser', 'Mutation.deleteUser'],
      ],
      allDenied: true,
    });
  });
});

describe('@include and @skip', () => {
  const flags = `
    query Flags($withEmail: Boolean!, $skipUsers: Boolean = true) {
      users @skip(if: $skipUsers) { email }
      me { name email @include(if: $withEmail) }
    }`;

  async function flagged(policy: keyof typeof policies, variables: Record<string, unknown>): Promise<AuthorizationResult> {
    return authorizeOperation({ schema, document: doc(flags), variables, principal, policy: compileOrThrow(policies[policy]) });
  }

  it('does not check skipped fields (variable defaults included)', async () => {
    const result = await flagged('noEmail', { withEmail: false });
    expect(result.denied).toEqual([]);
    expect(result.changed).toBe(false);
  });

  it('checks fields the variables include', async () => {
    const result = await flagged('noEmail', { withEmail: true, skipUsers: false });
    expect(summarise(result)).toEqual({
      query: `query Flags($skipUsers: Boolean = true) {
  users @skip(if: $skipUsers) {
    __typename
  }
  me {
    name
  }
}`,
      denied: [
        ['users.email', 'User.email'],
        ['me.email', 'User.email'],
      ],
      allDenied: false,
    });
  });

  it('counts an operation left with only skipped fields as all denied', async () => {
    const result = await flagged('catalog', { withEmail: false });
    expect(result.denied.map((d) => d.coordinate)).toEqual(['Query.me']);
    expect(result.allDenied).toBe(true);
    expect(result.query).toBe(`query Flags($skipUsers: Boolean = true) {
  users @skip(if: $skipUsers) {
    email
  }
  __typename
}`);
  });
});

describe('interfaces and fragments with different outcomes', () => {
  // Product.id is hidden: an `id` selected on Node may come from a Product, so it is denied there,
  // while the same fragment on a User-typed field is fine.
  const policy = compileOrThrow({ version: 'v', fallback: 'allow', rules: { 'Product.id': 'deny', 'User.email': 'deny' } });

  it('keeps the original fragment where nothing is denied and specialises it elsewhere', async () => {
    const document = doc(`
      query {
        node(id: "1") { ...N }
        me { ...N }
        product(id: "p1") { ...Id }
        user(id: "u1") { ...Id }
      }
      fragment N on Node { id ... on User { email name } }
      fragment Id on Node { id }`);
    const result = await authorizeOperation({ schema, document, variables: {}, principal, policy });
    expect(result.query).toBe(`{
  node(id: "1") {
    ...N_allowed1
    __typename
  }
  me {
    ...N_allowed2
  }
  product(id: "p1") {
    __typename
  }
  user(id: "u1") {
    ...Id
  }
}

fragment Id on Node {
  id
}

fragment N_allowed1 on Node {
  ... on User {
    name
  }
}

fragment N_allowed2 on Node {
  id
  ... on User {
    name
  }
}`);
    expect(validate(schema, result.document)).toEqual([]);
    expect(result.denied.map((d) => [d.path.join('.'), d.coordinate, d.parentTypes])).toEqual([
      ['node.id', 'Product.id', undefined],
      ['node.email', 'User.email', ['User']],
      ['me.email', 'User.email', undefined],
      ['product.id', 'Product.id', undefined],
    ]);
  });

  it('checks the interface coordinate itself too', async () => {
    const nodeHidden = compileOrThrow({ fallback: 'allow', rules: { 'Node.id': 'deny' } });
    const result = await authorizeOperation({ schema, document: doc('{ node(id: "1") { id ... on User { id } } }'), variables: {}, principal, policy: nodeHidden });
    expect(result.query).toBe(`{
  node(id: "1") {
    ... on User {
      id
    }
  }
}`);
    expect(result.denied).toEqual([{ path: ['node', 'id'], coordinate: 'Node.id', fieldTypes: ['Node', 'ID!'] }]);
  });

  it('keeps the __typename the client selected for some types and records it', async () => {
    const result = await authorizeOperation({
      schema,
      document: doc('{ search(text: "a") { ... on User { __typename email } ... on Product { name } } }'),
      variables: {},
      principal,
      policy: compileOrThrow(policies.noEmail),
    });
    expect(result.query).toBe(`{
  search(text: "a") {
    ... on User {
      __typename
    }
    ... on Product {
      name
    }
    __typename
  }
}`);
    expect(result.addedTypenames).toEqual([{ path: ['search'], keepFor: ['User'] }]);
  });

  it('always allows introspection fields', async () => {
    const result = await authorizeOperation({
      schema,
      document: doc('{ __typename __schema { queryType { name } } __type(name: "User") { name } }'),
      variables: {},
      principal,
      policy: compileOrThrow({ rules: {} }),
    });
    expect(result.denied).toEqual([]);
    expect(result.changed).toBe(false);
  });
});

describe('roles, scopes and reject mode', () => {
  const rules: Record<string, Rule> = { 'User.email': { or: [{ role: 'admin' }, { and: [{ scope: 'user:email' }, { not: { role: 'guest' } }] }] } };
  const filterPolicy = compileOrThrow({ fallback: 'allow', rules });
  const rejectPolicy = compileOrThrow({ mode: 'reject', fallback: 'allow', rules });
  const query = '{ me { name email } }';

  it.each([
    [{ roles: ['viewer'], scopes: [] }, ['User.email']],
    [{ roles: ['admin'], scopes: [] }, []],
    [{ roles: ['viewer'], scopes: ['user:email'] }, []],
    [{ roles: ['guest'], scopes: ['user:email'] }, ['User.email']],
  ])('decides per principal %j', async (who, deniedCoordinates) => {
    const result = await authorizeOperation({ schema, document: doc(query), variables: {}, principal: who, policy: filterPolicy });
    expect(result.denied.map((d) => d.coordinate)).toEqual(deniedCoordinates);
    expect(result.rejected).toBe(false);
  });

  it('marks the operation rejected in reject mode only when something is denied', async () => {
    const denied = await authorizeOperation({ schema, document: doc(query), variables: {}, principal, policy: rejectPolicy });
    expect(denied.rejected).toBe(true);
    expect(denied.denied).toEqual([{ path: ['me', 'email'], coordinate: 'User.email', fieldTypes: ['User!', 'String'] }]);
    const allowed = await authorizeOperation({ schema, document: doc(query), variables: {}, principal: { roles: ['admin'], scopes: [] }, policy: rejectPolicy });
    expect(allowed.rejected).toBe(false);
  });

  it('refuses a document without the named operation', () => {
    expect(() => authorizeOperation({ schema, document: doc('query A { me { name } }'), operationName: 'B', variables: {}, principal, policy: filterPolicy })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: 'Unknown operation named "B".' }),
    );
  });
});
