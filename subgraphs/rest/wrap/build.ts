/**
 * Build a Federation 2 subgraph over a REST API from its SDL and a mapping document: no
 * hand-written resolvers except the few a mapping cannot express (passed as `resolvers`).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLSchema } from 'graphql';
import { parseRestMapping, type RestMapping } from './mapping';
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
  /** Deadline for each REST call (default 5000). */
  timeoutMs?: number;
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
  validateMapping(options.name, mapping, types);
  const generated = createMappedResolvers({ subgraph: options.name, baseUrl: options.baseUrl, timeoutMs: options.timeoutMs ?? 5000, mapping, types });
  const resolvers: ExtraResolvers = { ...generated } as ExtraResolvers;
  for (const [typeName, fields] of Object.entries(options.resolvers ?? {})) {
    resolvers[typeName] = { ...(generated[typeName] ?? {}), ...(fields as object) } as ExtraResolvers[string];
  }
  return { name: options.name, typeDefs: options.typeDefs, schema: buildSubgraphSchema({ typeDefs: document, resolvers }) };
}
