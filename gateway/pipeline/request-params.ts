/** GraphQL-over-HTTP request parameters from a POST JSON body or a GET query string. */
import type http from 'node:http';
import { CharterError } from '../../core/errors';
import { readBody } from '../../core/http';

export interface GraphQLParams {
  /** Empty when the client sent only a persisted-query hash (resolved by the gateway). */
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  extensions: Record<string, unknown> | null;
}

export async function readGraphQLParams(req: http.IncomingMessage, url: URL, maxBodyBytes: number): Promise<GraphQLParams> {
  let raw: Record<string, unknown>;
  if (req.method === 'GET') {
    raw = {
      query: url.searchParams.get('query') ?? undefined,
      operationName: url.searchParams.get('operationName') ?? undefined,
      variables: parseJsonParam(url.searchParams.get('variables'), 'variables'),
      extensions: parseJsonParam(url.searchParams.get('extensions'), 'extensions'),
    };
  } else if (req.method === 'POST') {
    const type = req.headers['content-type'] ?? '';
    // Only JSON bodies: a form post or text/plain is what a cross-site request forgery looks like.
    if (!type.startsWith('application/json') && !type.startsWith('application/graphql-response+json')) {
      throw new CharterError('UNSUPPORTED_MEDIA_TYPE', 'POST requests must have content-type application/json');
    }
    const body = await readBody(req, maxBodyBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new CharterError('BAD_REQUEST', 'Request body is not valid JSON');
    }
    if (Array.isArray(parsed)) throw new CharterError('BAD_REQUEST', 'Batched requests (a JSON array) are not accepted: send one operation per request');
    if (typeof parsed !== 'object' || parsed === null) throw new CharterError('BAD_REQUEST', 'Request body must be a JSON object with a "query"');
    raw = parsed as Record<string, unknown>;
  } else {
    throw new CharterError('BAD_REQUEST', `Method ${req.method} is not allowed: use POST or GET`);
  }
  const { query, operationName, variables, extensions } = raw;
  const persisted = typeof extensions === 'object' && extensions !== null && 'persistedQuery' in extensions;
  if (!(typeof query === 'string' && query.trim() !== '') && !(query == null && persisted)) throw new CharterError('BAD_REQUEST', 'The request has no "query" string');
  if (operationName != null && typeof operationName !== 'string') throw new CharterError('BAD_REQUEST', '"operationName" must be a string');
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) throw new CharterError('BAD_REQUEST', '"variables" must be a JSON object');
  if (extensions != null && (typeof extensions !== 'object' || Array.isArray(extensions))) throw new CharterError('BAD_REQUEST', '"extensions" must be a JSON object');
  // Before anything walks them (cache keys, coercion, logging): a value nested thousands deep would
  // overflow a recursive walk; one with millions of members would stall it.
  if (variables != null) checkJsonShape(variables, '"variables"');
  if (extensions != null) checkJsonShape(extensions, '"extensions"');
  return {
    query: (query as string | undefined) ?? '',
    operationName: (operationName as string | null | undefined) ?? null,
    variables: (variables as Record<string, unknown> | null | undefined) ?? null,
    extensions: (extensions as Record<string, unknown> | null | undefined) ?? null,
  };
}

function parseJsonParam(value: string | null, name: string): unknown {
  if (value === null || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new CharterError('BAD_REQUEST', `The "${name}" parameter is not valid JSON`);
  }
}

/** Deepest nesting of objects and arrays accepted in `variables` and `extensions`. */
export const MAX_JSON_DEPTH = 32;
/** Most values (members, elements, scalars) accepted in each of them. */
export const MAX_JSON_NODES = 100_000;

/** Iterative, so the check itself cannot overflow the stack. */
function checkJsonShape(value: unknown, what: string): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let nodes = 0;
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (++nodes > MAX_JSON_NODES) throw new CharterError('BAD_REQUEST', `${what} holds too many values`);
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_JSON_DEPTH) throw new CharterError('BAD_REQUEST', `${what} is nested too deeply`);
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
}
