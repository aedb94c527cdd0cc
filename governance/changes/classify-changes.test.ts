import { CharterError } from '../../core/errors';
import { classifyChanges } from './classify-changes';

describe('classifyChanges', () => {
  it('names each change by schema coordinate with the engine criticality where we agree', async () => {
    const changes = await classifyChanges(
      `type Query { user(id: ID!): User } type User { id: ID! email: String } enum Role { ADMIN USER }  type Mutation { setRole(r: Role): Int }`,
      `type Query { user(id: String!): User } type User { id: ID! name: String } enum Role { USER } type Mutation { setRole(r: Role): Int }`,
    );
    const byCoordinate = Object.fromEntries(changes.map((c) => [c.coordinate, [c.criticality, c.type, c.usageCoordinates]]));
    expect(byCoordinate).toEqual({
      'Query.user(id:)': ['BREAKING', 'FIELD_ARGUMENT_TYPE_CHANGED', ['Query.user']],
      'User.email': ['BREAKING', 'FIELD_REMOVED', ['User.email']],
      'User.name': ['SAFE', 'FIELD_ADDED', undefined],
      'Role.ADMIN': ['BREAKING', 'ENUM_VALUE_REMOVED', ['Role.ADMIN']],
    });
  });

  it('accepts subgraph-style SDL (federation directives, extend type Query)', async () => {
    const changes = await classifyChanges(
      `extend type Query { me: User } type User @key(fields: "id") { id: ID! email: String }`,
      `extend type Query { me: User } type User @key(fields: "id") { id: ID! }`,
    );
    expect(changes.map((c) => c.coordinate)).toEqual(['User.email']);
  });

  it('returns no changes for identical schemas', async () => {
    const sdl = `type Query { a: Int }`;
    await expect(classifyChanges(sdl, sdl)).resolves.toEqual([]);
  });

  it('throws INVALID_SCHEMA naming the side and line of a parse error', async () => {
    const err = await classifyChanges(`type Query { a: Int }`, `type Query {\n  a: Int\n  b: \n}`).catch((e) => e);
    expect(err).toBeInstanceOf(CharterError);
    expect(err.code).toBe('INVALID_SCHEMA');
    expect(err.message).toMatch(/^new:4:1: Syntax Error/);
  });

  it('throws INVALID_SCHEMA for an unknown type', async () => {
    const err = await classifyChanges(`type Query { a: Nope }`, `type Query { a: Int }`).catch((e) => e);
    expect(err.message).toMatch(/^old:1:17: Unknown type "Nope"/);
  });
});
