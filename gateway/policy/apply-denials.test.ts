import type { GraphQLError } from 'graphql';
import { authorizeOperation } from './authorize';
import { compileOrThrow, doc, policies, principal, schema } from './policy-fixtures';
import { applyDenials, nonNullLevels, rejectionResult } from './shape';

function authorize(policy: Parameters<typeof compileOrThrow>[0], query: string, variables: Record<string, unknown> = {}) {
  return authorizeOperation({ schema, document: doc(query), variables, principal, policy: compileOrThrow(policy) });
}

/** Errors as they go over the wire. */
function wire(errors: unknown[] | undefined): unknown[] | undefined {
  return errors?.map((e) => (e as GraphQLError).toJSON?.() ?? e);
}

function forbidden(coordinate: string, path: Array<string | number>) {
  return { message: `Not authorized to access ${coordinate}`, path, extensions: { code: 'FORBIDDEN' } };
}

describe('applyDenials', () => {
  it('puts null and an error at every list index, nested lists included', () => {
    const authorization = authorize(policies.noEmail, '{ products { name reviews { rating author { name email } } } me { name email } }');
    const executed = {
      data: {
        products: [
          { name: 'Lamp', reviews: [{ rating: 5, author: { name: 'Ann' } }, { rating: 3, author: { name: 'Bob' } }] },
          { name: 'Desk', reviews: null },
        ],
        me: { name: 'Ann' },
      },
    };
    const snapshot = structuredClone(executed);
    const shaped = applyDenials(executed, authorization);
    expect(shaped.data).toEqual({
      products: [
        { name: 'Lamp', reviews: [{ rating: 5, author: { name: 'Ann', email: null } }, { rating: 3, author: { name: 'Bob', email: null } }] },
        { name: 'Desk', reviews: null },
      ],
      me: { name: 'Ann', email: null },
    });
    expect(wire(shaped.errors)).toEqual([
      forbidden('User.email', ['products', 0, 'reviews', 0, 'author', 'email']),
      forbidden('User.email', ['products', 0, 'reviews', 1, 'author', 'email']),
      forbidden('User.email', ['me', 'email']),
    ]);
    expect(executed).toEqual(snapshot);
  });

  it('propagates a denied non-null field up to the nearest nullable parent, and to data: null past the root', () => {
    const authorization = authorize(policies.catalog, '{ products { name reviews { rating author { name } } } me { name } }');
    const executed = {
      data: {
        products: [
          { name: 'Lamp', reviews: [{ __typename: 'Review' }, { __typename: 'Review' }] },
          { name: 'Desk', reviews: [] },
        ],
      },
    };
    const shaped = applyDenials(executed, authorization);
    // Query.me is User!, so its denial nulls the whole data.
    expect(shaped.data).toBeNull();
    expect(wire(shaped.errors)).toEqual([
      forbidden('Review.rating', ['products', 0, 'reviews', 0, 'rating']),
      forbidden('Review.rating', ['products', 0, 'reviews', 1, 'rating']),
      forbidden('Review.author', ['products', 0, 'reviews', 0, 'author']),
      forbidden('Review.author', ['products', 0, 'reviews', 1, 'author']),
      forbidden('Query.me', ['me']),
    ]);
  });

  it('stops at a nullable list: Review.rating is Int! inside [Review!], so reviews becomes null', () => {
    const authorization = authorize(policies.catalog, '{ products { name reviews { rating } } }');
    const shaped = applyDenials({ data: { products: [{ name: 'Lamp', reviews: [{ __typename: 'Review' }] }, { name: 'Desk', reviews: null }] } }, authorization);
    expect(shaped.data).toEqual({ products: [{ name: 'Lamp', reviews: null }, { name: 'Desk', reviews: null }] });
    expect(wire(shaped.errors)).toEqual([forbidden('Review.rating', ['products', 0, 'reviews', 0, 'rating'])]);
  });

  it('answers an all-denied operation from empty data', () => {
    const authorization = authorize(policies.catalog, 'query Users { team: users { id } boss: me { id } }');
    expect(authorization.allDenied).toBe(true);
    const shaped = applyDenials({ data: {} }, authorization);
    expect(shaped.data).toBeNull();
    expect(wire(shaped.errors)).toEqual([forbidden('Query.users', ['team']), forbidden('Query.me', ['boss'])]);

    const nullable = authorize(policies.catalog, '{ team: users { id } }');
    const shapedNullable = applyDenials({ data: { __typename: 'Query' } }, nullable);
    expect(shapedNullable.data).toEqual({ team: null });
  });

  it('applies a type-conditional denial only to objects of that type and removes the added __typename', () => {
    const authorization = authorize(policies.noEmail, '{ search(text: "a") { ... on User { id email } ... on Product { id name } } node(id: "u1") { id ... on User { email } } }');
    const shaped = applyDenials(
      {
        data: {
          search: [{ __typename: 'User', id: 'u1' }, { __typename: 'Product', id: 'p1', name: 'Lamp' }],
          node: { __typename: 'Product', id: 'p1' },
        },
      },
      authorization,
    );
    expect(shaped.data).toEqual({ search: [{ id: 'u1', email: null }, { id: 'p1', name: 'Lamp' }], node: { id: 'p1' } });
    expect(wire(shaped.errors)).toEqual([forbidden('User.email', ['search', 0, 'email'])]);
  });

  it('keeps a __typename the client asked for on some types only', () => {
    const authorization = authorize(policies.noEmail, '{ search(text: "a") { ... on User { __typename email } ... on Product { name } } }');
    const shaped = applyDenials({ data: { search: [{ __typename: 'User' }, { __typename: 'Product', name: 'Lamp' }] } }, authorization);
    expect(shaped.data).toEqual({ search: [{ __typename: 'User', email: null }, { name: 'Lamp' }] });
  });

  it('leaves a value another allowed selection served, and nulls it where none did', () => {
    const policy = { fallback: 'allow', rules: { 'Node.id': 'deny' } } as const;
    const authorization = authorize(policy, '{ node(id: "1") { id ... on User { id } } }');
    const asUser = applyDenials({ data: { node: { id: 'u1' } } }, authorization);
    expect(asUser).toEqual({ data: { node: { id: 'u1' } }, errors: [] });
    // A Product got no id; Node.id is ID!, so node itself becomes null.
    const asProduct = applyDenials({ data: { node: {} } }, authorization);
    expect(asProduct.data).toEqual({ node: null });
    expect(wire(asProduct.errors)).toEqual([forbidden('Node.id', ['node', 'id'])]);
  });

  it('keeps the executor errors first and adds none under a parent that came back null', () => {
    const authorization = authorize(policies.noEmail, '{ user(id: "u1") { name email } me { email } }');
    const upstream = { message: 'reviews subgraph down', path: ['user'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } };
    const shaped = applyDenials({ data: { user: null, me: { __typename: 'User' } }, errors: [upstream], extensions: { traced: true } }, authorization);
    expect(shaped.data).toEqual({ user: null, me: { email: null } });
    expect(wire(shaped.errors)).toEqual([upstream, forbidden('User.email', ['me', 'email'])]);
    expect(shaped.extensions).toEqual({ traced: true });
  });

  it('returns a failed execution as it is', () => {
    const authorization = authorize(policies.noEmail, '{ me { email } }');
    const failed = { data: null, errors: [{ message: 'boom' }] };
    expect(applyDenials(failed, authorization)).toEqual({ data: null, errors: [{ message: 'boom' }] });
  });

  it('reads nullability of nested list types', () => {
    expect(nonNullLevels('[[Int]!]')).toEqual([false, true, false]);
    expect(nonNullLevels('[Review!]!')).toEqual([true, true]);
    expect(nonNullLevels('String')).toEqual([false]);
  });
});

describe('rejectionResult', () => {
  it('names each denied coordinate and response path, with no data', () => {
    const authorization = authorize({ ...policies.noEmail, mode: 'reject' }, '{ me { email } boss: user(id: "1") { mail: email } }');
    expect(authorization.rejected).toBe(true);
    expect(wire(rejectionResult(authorization.denied).errors)).toEqual([
      { message: 'Not authorized to access User.email', extensions: { code: 'FORBIDDEN', coordinate: 'User.email', responsePath: 'me.email' } },
      { message: 'Not authorized to access User.email', extensions: { code: 'FORBIDDEN', coordinate: 'User.email', responsePath: 'boss.mail' } },
    ]);
  });
});
