/**
 * Composition as a value: `composeServices` from @apollo/composition, with every SDL parsed once
 * (keeping source names, so errors point at the subgraph and line) and no exception escaping.
 */
import { composeServices } from '@apollo/composition';
import type { Schema } from '@apollo/federation-internals';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { apiSchemaOfComposed } from './changes/api-schema';
import { parseSdl } from './sdl/parse-sdl';

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
  /** The SDL already parsed (with `loc`), to skip a second parse. */
  document?: DocumentNode;
}

/** One composition error, located in the subgraph that caused it when composition says so. */
export interface CompositionProblem {
  message: string;
  code?: string;
  subgraph?: string;
  line?: number;
  column?: number;
  /** Every place the error points at (a type mismatch names both subgraphs). */
  locations?: Array<{ subgraph?: string; line: number; column: number }>;
}

export interface CompositionHintEntry {
  message: string;
  code?: string;
  coordinate?: string;
}

export type ComposeResult =
  | {
      ok: true;
      supergraphSdl: string;
      hints: CompositionHintEntry[];
      /** The supergraph as built by composition (no re-parse needed for its API schema). */
      supergraphSchema: Schema;
      /** The client-facing API schema, built on first call and kept. */
      apiSchema(): GraphQLSchema;
    }
  | { ok: false; errors: CompositionProblem[] };

/** Composes subgraphs into a supergraph. Never throws: parse and composition failures are `errors`. */
export function composeSubgraphs(subgraphs: ReadonlyArray<SubgraphSource>): ComposeResult {
  const errors: CompositionProblem[] = [];
  const services = [];
  for (const subgraph of subgraphs) {
    let document = subgraph.document;
    if (!document) {
      const parsed = parseSdl(subgraph.sdl, subgraph.name);
      if (!parsed.ok) {
        const { line, column } = parsed.problem;
        errors.push({ message: `Subgraph "${subgraph.name}" SDL does not parse: ${parsed.problem.message}`, code: 'GRAPHQL_PARSE_FAILED', subgraph: subgraph.name, line, column });
        continue;
      }
      document = parsed.document;
    }
    services.push({ name: subgraph.name, url: subgraph.url, typeDefs: document });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (services.length === 0) return { ok: false, errors: [{ message: 'No subgraphs to compose', code: 'NO_SUBGRAPHS' }] };

  let result;
  try {
    result = composeServices(services);
  } catch (err) {
    // composeServices reports problems as values; a throw is a bug in it, still reported, not raised.
    return { ok: false, errors: [{ message: `Composition crashed: ${err instanceof Error ? err.message : String(err)}`, code: 'COMPOSITION_CRASHED' }] };
  }
  if (result.errors) return { ok: false, errors: result.errors.map(problemOfCompositionError) };

  const supergraphSchema = result.schema;
  let api: GraphQLSchema | undefined;
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((h) => ({ message: h.message, code: h.definition.code, ...(h.coordinate ? { coordinate: h.coordinate } : {}) })),
    supergraphSchema,
    apiSchema: () => (api ??= apiSchemaOfComposed(supergraphSchema)),
  };
}

function problemOfCompositionError(err: GraphQLError): CompositionProblem {
  const code = typeof err.extensions?.code === 'string' ? err.extensions.code : undefined;
  const locations = (err.nodes ?? []).flatMap((node) => {
    const loc = node.loc;
    if (!loc) return [];
    // Composition tags nodes with their subgraph; the Source name (set by parseSdl) is the fallback.
    const subgraph = (node as { subgraph?: string }).subgraph ?? (loc.source.name !== 'GraphQL request' ? loc.source.name : undefined);
    return [{ subgraph, line: loc.startToken.line, column: loc.startToken.column }];
  });
  const problem: CompositionProblem = { message: err.message };
  if (code) problem.code = code;
  const first = locations[0] ?? (err.message.match(/^\[([^\]]+)\]/) ? { subgraph: err.message.match(/^\[([^\]]+)\]/)![1] } : undefined);
  if (first?.subgraph) problem.subgraph = first.subgraph;
  if (first && 'line' in first) {
    problem.line = first.line;
    problem.column = first.column;
  }
  if (locations.length > 0) problem.locations = locations;
  return problem;
}
