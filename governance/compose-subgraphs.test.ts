import { composeSubgraphs } from './compose';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`;

describe('composeSubgraphs', () => {
  it('returns the supergraph, hints and a lazily built API schema', () => {
    const result = composeSubgraphs([
      { name: 'users', url: 'http://users/graphql', sdl: `${LINK} type Query { me: User } type User @key(fields: "id") { id: ID! name: String }` },
      { name: 'reviews', url: 'http://reviews/graphql', sdl: `${LINK} type User @key(fields: "id") { id: ID! reviews: [String] }` },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.supergraphSdl).toContain('join__Graph');
    expect(result.apiSchema()).toBe(result.apiSchema());
    expect(Object.keys((result.apiSchema().getType('User') as any).getFields()).sort()).toEqual(['id', 'name', 'reviews']);
  });

  it('reports a parse error naming the subgraph and line, without throwing', () => {
    const result = composeSubgraphs([
      { name: 'users', url: 'http://users', sdl: `type Query {\n  me: \n}` },
      { name: 'ok', url: 'http://ok', sdl: `type Query { a: Int }` },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [{ message: 'Subgraph "users" SDL does not parse: users:3:1: Syntax Error: Expected Name, found "}".', code: 'GRAPHQL_PARSE_FAILED', subgraph: 'users', line: 3, column: 1 }],
    });
  });

  it('reports composition errors with their code and locations in each subgraph', () => {
    const result = composeSubgraphs([
      { name: 'a', url: 'http://a', sdl: `${LINK}\ntype Query { x: Int }\ntype T { f: Int }` },
      { name: 'b', url: 'http://b', sdl: `${LINK}\ntype Query { y: T }\n\ntype T { f: String }` },
    ]);
    if (result.ok) throw new Error('expected failure');
    const mismatch = result.errors.find((e) => e.code === 'FIELD_TYPE_MISMATCH');
    expect(mismatch).toMatchObject({
      subgraph: 'a',
      line: 3,
      locations: [{ subgraph: 'a', line: 3, column: 10 }, { subgraph: 'b', line: 4, column: 10 }],
    });
    expect(mismatch!.message).toMatch(/Type of field "T.f" is incompatible across subgraphs/);
  });

  it('fails on an empty list instead of throwing', () => {
    expect(composeSubgraphs([])).toEqual({ ok: false, errors: [{ message: 'No subgraphs to compose', code: 'NO_SUBGRAPHS' }] });
  });
});
