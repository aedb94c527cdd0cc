/**
 * Client-facing schemas: the API schema of a supergraph (no join/link machinery, no
 * @inaccessible elements), or a plain SDL built as it stands.
 */
import { Supergraph } from '@apollo/federation-internals';
import type { Schema } from '@apollo/federation-internals';
import { GraphQLError, Kind, buildASTSchema, printSchema, KnownDirectivesRule } from 'graphql';
import type { DefinitionNode, DocumentNode, GraphQLSchema } from 'graphql';
// Deep imports: graphql 16 exports SDL validation only from its internal modules.
import { specifiedSDLRules } from 'graphql/validation/specifiedRules';
import { validateSDL } from 'graphql/validation/validate';
import { CharterError } from '../../core/errors';
import { parseSdl, problemOf } from '../sdl/parse-sdl';

/** True when the SDL is a Federation supergraph (it links the join spec). */
export function isSupergraphSdl(sdl: string): boolean {
  return /specs\.apollo\.dev\/join\/v\d/.test(sdl);
}

/** The API schema of a supergraph, printed as SDL. Throws CharterError(INVALID_SCHEMA) on a bad supergraph. */
export function apiSchemaOf(supergraphSdl: string): string {
  return printSchema(buildApiSchema(supergraphSdl));
}

export interface BuildApiSchemaOptions {
  /**
   * The supergraph came out of our own composition (e.g. the registry's live version): skip
   * re-validating its federation metadata, which costs more than half of the build on a large graph.
   */
  trusted?: boolean;
}

/** The API schema of a supergraph as a graphql-js schema. */
export function buildApiSchema(supergraphSdl: string, sourceName = 'supergraph', options: BuildApiSchemaOptions = {}): GraphQLSchema {
  let supergraph: Supergraph;
  try {
    supergraph = Supergraph.build(supergraphSdl, { validateSupergraph: !options.trusted });
  } catch (err) {
    throw invalidSchema(err, sourceName);
  }
  return apiSchemaOfComposed(supergraph.schema);
}

/** The API schema of an already-built supergraph (a composition result), with no re-parse of its SDL. */
export function apiSchemaOfComposed(supergraphSchema: Schema): GraphQLSchema {
  return supergraphSchema.toAPISchema().toGraphQLJSSchema();
}

/**
 * The client-facing schema of any SDL: a supergraph's API schema, else the SDL itself.
 * Plain SDL may be a subgraph's (unknown federation directives, `extend type Query` with no
 * definition); both are tolerated since only the types and fields matter to clients.
 */
export function buildClientSchema(sdl: string, sourceName = 'schema'): GraphQLSchema {
  if (isSupergraphSdl(sdl)) return buildApiSchema(sdl, sourceName);
  const parsed = parseSdl(sdl, sourceName);
  if (!parsed.ok) throw new CharterError('INVALID_SCHEMA', parsed.problem.message, { ...parsed.problem });
  return buildPlainSchema(parsed.document, sourceName);
}

const PLAIN_SDL_RULES = specifiedSDLRules.filter((rule) => rule !== KnownDirectivesRule);

/** Builds a graphql-js schema from a parsed plain SDL, reporting the first validation error with its line. */
export function buildPlainSchema(document: DocumentNode, sourceName = 'schema'): GraphQLSchema {
  const normalized = promoteOrphanExtensions(document);
  const errors = validateSDL(normalized, undefined, PLAIN_SDL_RULES);
  if (errors.length > 0) {
    const problem = problemOf(errors[0], 'INVALID_SCHEMA', sourceName);
    throw new CharterError('INVALID_SCHEMA', problem.message, { ...problem });
  }
  try {
    return buildASTSchema(normalized, { assumeValidSDL: true });
  } catch (err) {
    throw invalidSchema(err, sourceName);
  }
}

const DEFINITION_OF: Partial<Record<Kind, Kind>> = {
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
};

/** Subgraphs may `extend type Query` with no `type Query`: the first such extension becomes the definition. */
function promoteOrphanExtensions(document: DocumentNode): DocumentNode {
  const defined = new Set<string>();
  for (const def of document.definitions) if ('name' in def && def.name && !def.kind.endsWith('Extension')) defined.add(def.name.value);
  let changed = false;
  const definitions = document.definitions.map((def): DefinitionNode => {
    const kind = DEFINITION_OF[def.kind];
    if (!kind || !('name' in def) || !def.name || defined.has(def.name.value)) return def;
    defined.add(def.name.value);
    changed = true;
    return { ...def, kind } as DefinitionNode;
  });
  return changed ? { ...document, definitions } : document;
}

function invalidSchema(err: unknown, sourceName: string): CharterError {
  if (err instanceof GraphQLError) {
    const problem = problemOf(err, 'INVALID_SCHEMA', sourceName);
    return new CharterError('INVALID_SCHEMA', problem.message, { ...problem });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CharterError('INVALID_SCHEMA', `${sourceName}: ${message}`, { source: sourceName });
}
