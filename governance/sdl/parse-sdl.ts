/**
 * Parsing SDL once, with errors as values that name the source and the line.
 * Every check shares the DocumentNode parsed here, so no SDL is parsed twice.
 */
import { GraphQLError, Source, parse } from 'graphql';
import type { DocumentNode } from 'graphql';

/** A problem with an SDL input, located when the parser knows where. */
export interface SdlProblem {
  message: string;
  code: 'GRAPHQL_PARSE_FAILED' | 'INVALID_SCHEMA';
  /** The file name or subgraph name the SDL came from. */
  source?: string;
  line?: number;
  column?: number;
}

export type ParsedSdl = { ok: true; document: DocumentNode } | { ok: false; problem: SdlProblem };

/** Parses SDL, keeping `loc` (the GitHub formatter needs line numbers) and naming `sourceName` in errors. */
export function parseSdl(sdl: string, sourceName?: string): ParsedSdl {
  try {
    return { ok: true, document: parse(new Source(sdl, sourceName ?? 'GraphQL request')) };
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    return { ok: false, problem: problemOf(err, 'GRAPHQL_PARSE_FAILED', sourceName) };
  }
}

/** Turns a GraphQLError into a located problem: "FILE:LINE:COLUMN: message". */
export function problemOf(err: GraphQLError, code: SdlProblem['code'], sourceName?: string): SdlProblem {
  const loc = err.locations?.[0];
  const where = [sourceName, loc?.line, loc?.column].filter((p) => p !== undefined).join(':');
  return {
    message: where ? `${where}: ${err.message}` : err.message,
    code,
    source: sourceName,
    line: loc?.line,
    column: loc?.column,
  };
}
