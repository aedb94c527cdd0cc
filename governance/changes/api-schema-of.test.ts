import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { CharterError } from '../../core/errors';
import { apiSchemaOf, isSupergraphSdl } from './api-schema';
import { classifyChanges } from './classify-changes';

function supergraph(usersSdl: string): string {
  const result = composeServices([{ name: 'users', url: 'http://users.local/graphql', typeDefs: parse(usersSdl) }]);
  if (!result.supergraphSdl) throw new Error(result.errors?.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])`;

describe('apiSchemaOf', () => {
  it('drops the federation machinery and @inaccessible fields', () => {
    const sdl = supergraph(`${LINK} type Query { me: User } type User @key(fields: "id") { id: ID! email: String secret: String @inaccessible }`);
    expect(isSupergraphSdl(sdl)).toBe(true);
    const api = apiSchemaOf(sdl);
    expect(api).toContain('type User {\n  id: ID!\n  email: String\n}');
    expect(api).not.toMatch(/join__|link__|secret|_entities|@key/);
  });

  it('rejects a broken supergraph with INVALID_SCHEMA', () => {
    const broken = supergraph(`${LINK} type Query { me: Int }`).replace('type Query', 'type Query @nope');
    expect(() => apiSchemaOf(broken)).toThrow(CharterError);
  });

  it('lets classifyChanges compare supergraphs by what clients see', async () => {
    const oldSg = supergraph(`${LINK} type Query { me: User } type User @key(fields: "id") { id: ID! email: String }`);
    const hidden = supergraph(`${LINK} type Query { me: User } type User @key(fields: "id") { id: ID! email: String @inaccessible }`);
    const changes = await classifyChanges(oldSg, hidden);
    expect(changes).toEqual([expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'User.email' })]);
  });
});
