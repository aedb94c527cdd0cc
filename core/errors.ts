/**
 * The one error catalogue: every error code Charter answers with, and its HTTP status.
 * Known errors become responses at one boundary; anything else is masked as INTERNAL_SERVER_ERROR
 * with details only in the logs.
 */
import { GraphQLError } from 'graphql';

export const ERROR_CODES = {
  BAD_REQUEST: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  OPERATION_LIMIT_EXCEEDED: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  /** A browser page of another origin (CSRF); the registry serves only its own and configured origins. */
  UNTRUSTED_ORIGIN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A `Host` this server does not answer for (DNS rebinding). */
  UNTRUSTED_HOST: 421,
  INVALID_SCHEMA: 422,
  COMPOSITION_FAILED: 422,
  CHECKS_FAILED: 422,
  RATE_LIMITED: 429,
  BUDGET_EXCEEDED: 429,
  INTERNAL_SERVER_ERROR: 500,
  UPSTREAM_UNAVAILABLE: 502,
  UPSTREAM_TIMEOUT: 504,
  // A wrapped backend answered with a failure (REST subgraphs): its status and body stay in the logs.
  UPSTREAM_ERROR: 502,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected, client-facing failure: its message is safe to show. */
export class CharterError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CharterError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_CODES[this.code];
  }
  toJSON(): { error: { code: ErrorCode; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...(this.details ?? {}) } };
  }
}

/** A GraphQL error carrying a catalogue code in `extensions.code`. */
export function graphqlError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export function httpStatusOf(code: string): number {
  return (ERROR_CODES as Record<string, number>)[code] ?? 500;
}

/**
 * Where a protocol or a client convention overrides the catalogue's status. Kept here, beside the
 * catalogue, so no call site writes a status of its own:
 * - `persisted-query-miss`: Apollo clients expect 200 with PERSISTED_QUERY_NOT_FOUND, then resend
 *   the query text (automatic persisted queries);
 * - `mutation-over-get`: GraphQL over HTTP answers 405 to a mutation sent with GET;
 * - `legacy-json-request-error`: a client that asked for `application/json` (GraphQL over HTTP's
 *   legacy media type) gets 200 for a request error of `LEGACY_JSON_REQUEST_ERRORS` (parse,
 *   validation, limits, variable coercion); with `application/graphql-response+json` (or no
 *   preference) the catalogue's 4xx stands.
 */
export const PROTOCOL_STATUS = {
  'persisted-query-miss': 200,
  'mutation-over-get': 405,
  'legacy-json-request-error': 200,
} as const;

/** The request errors the `legacy-json-request-error` rule applies to. */
export const LEGACY_JSON_REQUEST_ERRORS: ReadonlySet<string> = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_LIMIT_EXCEEDED', 'BAD_USER_INPUT']);

export type ProtocolRule = keyof typeof PROTOCOL_STATUS;

/** The status of an error: the protocol rule's if one applies, else the catalogue's. */
export function statusOf(code: ErrorCode, rule?: ProtocolRule): number {
  return rule ? PROTOCOL_STATUS[rule] : ERROR_CODES[code];
}

/** The exhaustiveness guard of a `switch` over a union: reaching it is a bug, never input. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
