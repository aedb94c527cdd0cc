/**
 * Build a Federation 2 subgraph over a REST API from its SDL and a mapping document: no
 * hand-written resolvers except the few a mapping cannot express (passed as `resolvers`).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createBackendAuth } from './backend-auth';
import { parseRestMapping, type ParsedRestMapping, type RestMapping } from './mapping';
import { createMappedResolvers } from './resolvers';
import { readSdlTypes } from './sdl';
import { validateMapping } from './validate-mapping';

export type ExtraResolvers = GraphQLResolverMap<any>;

export interface RestSubgraphOptions {
  /** The subgraph's name, used in every error message. */
  name: string;
  /** Federation 2 SDL (with `extend schema @link(...)`). */
  typeDefs: string;
  /** The mapping document (see `mapping.ts`); validated here. */
  mapping: RestMapping;
  /** Where the mapping came from (a file name), for error messages. */
  mappingSource?: string;
  /** Where the REST API lives; mapping paths are appended to it. */
  baseUrl: string;
  /** Hand-written resolvers, merged over the generated ones field by field. */
  resolvers?: ExtraResolvers;
  /** Deadline for each REST call (default 5000); an endpoint's own `timeoutMs` wins. */
  timeoutMs?: number;
  /** Where `auth:` reads its secrets (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

export interface RestSubgraph {
  name: string;
  typeDefs: string;
  schema: GraphQLSchema;
}

/** Throws an Error naming the subgraph and each bad coordinate when the mapping does not fit the SDL. */
export function buildRestSubgraph(options: RestSubgraphOptions): RestSubgraph {
  const document = parse(options.typeDefs);
  const mapping = parseRestMapping(options.mapping, `${options.mappingSource ?? 'document'} (subgraph "${options.name}")`);
  const types = readSdlTypes(document);
  validateMapping(options.name, mapping, types, readEnums(document), options.mappingSource ?? 'the mapping');
  const auth = createBackendAuth(options.name, mapping.auth, options.env);
  const generated = createMappedResolvers({ subgraph: options.name, baseUrl: options.baseUrl, timeoutMs: options.timeoutMs ?? 5000, mapping, types, auth });
  const resolvers: ExtraResolvers = { ...generated } as ExtraResolvers;
  // Enum values as the REST API spells them: the schema turns them into GraphQL names on the way
  // out and back into REST values for arguments (and so for bodies and query parameters).
  for (const [enumName, values] of Object.entries(mapping.enums)) resolvers[enumName] = { ...values } as unknown as ExtraResolvers[string];
  for (const [unionName, rule] of Object.entries(mapping.unions)) {
    resolvers[unionName] = { __resolveType: (item: Record<string, unknown>) => unionMemberOf(rule, item) } as unknown as ExtraResolvers[string];
  }
  for (const [typeName, fields] of Object.entries(options.resolvers ?? {})) {
    resolvers[typeName] = { ...(generated[typeName] ?? {}), ...(fields as object) } as ExtraResolvers[string];
  }
  return { name: options.name, typeDefs: options.typeDefs, schema: buildSubgraphSchema({ typeDefs: document, resolvers }) };
}

/** Each enum type of the SDL with its values. */
function readEnums(document: DocumentNode): Map<string, Set<string>> {
  const enums = new Map<string, Set<string>>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION && definition.kind !== Kind.ENUM_TYPE_EXTENSION) continue;
    const values = enums.get(definition.name.value) ?? new Set<string>();
    for (const value of definition.values ?? []) values.add(value.name.value);
    enums.set(definition.name.value, values);
  }
  return enums;
}

/** The member type of a REST item in a union: by discriminator value, else the first member whose required properties it has. */
function unionMemberOf(rule: ParsedRestMapping['unions'][string], item: Record<string, unknown>): string | null {
  if ('property' in rule) return rule.values[String(item[rule.property])] ?? null;
  for (const [member, required] of Object.entries(rule.required)) if (required.every((property) => item[property] !== undefined)) return member;
  return null;
}
