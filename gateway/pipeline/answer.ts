/**
 * What a pipeline step answers with, and the one place error answers are shaped for the wire:
 * GraphQL (`{errors: [{message, extensions: {code}}]}`), the OpenAI-compatible entrance
 * (`{error: {message, type, code, param}}`) and plain REST (`{error: {code, message}}`). The status
 * comes from the catalogue (core/errors.ts), with its protocol overrides; no step writes one.
 */
import { CharterError, statusOf, unreachable, type ErrorCode, type ProtocolRule } from '../../core/errors';

/** The wire format an entrance answers errors in. */
export type WireShape = 'graphql' | 'openai' | 'rest';

/** What the HTTP layer sends: a body to serialize, or text already serialized (cache, dedupe). */
export interface Answer {
  status: number;
  body?: { data?: unknown; errors?: readonly unknown[]; extensions?: Record<string, unknown>; error?: unknown };
  text?: string;
  headers?: Record<string, string>;
  /** The catalogue code of an error answer, for metrics whatever the wire shape. */
  errorCode?: string;
  /** Set when a step wrote the response itself (the streaming /v1 proxy). */
  written?: boolean;
}

export interface ErrorAnswerOptions {
  /** The entrance's wire shape; default GraphQL. */
  shape?: WireShape;
  /** A protocol rule that overrides the catalogue's status. */
  rule?: ProtocolRule;
  headers?: Record<string, string>;
  /** GraphQL source locations (parse errors). */
  locations?: unknown;
}

/** An error answer: status from the catalogue, body in the entrance's wire shape. */
export function errorResponse(code: ErrorCode, message: string, options: ErrorAnswerOptions = {}): Answer {
  return { status: statusOf(code, options.rule), body: errorBody(options.shape ?? 'graphql', code, message, options.locations), headers: options.headers, errorCode: code };
}

/** Several GraphQL errors of one code (validation, limits): one answer, status from the catalogue. */
export function graphqlErrorsResponse(code: ErrorCode, errors: ReadonlyArray<{ message: string; locations?: unknown }>): Answer {
  return { status: statusOf(code), body: { errors: errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}), extensions: { code } })) }, errorCode: code };
}

/** The answer to an unknown failure: masked (details go to the log only), shaped for the entrance. */
export function maskedErrorResponse(shape: WireShape): Answer {
  return errorResponse('INTERNAL_SERVER_ERROR', 'Internal server error', { shape });
}

/** A thrown CharterError as an answer; anything else is not a known error (null). */
export function knownErrorResponse(err: unknown, shape: WireShape): Answer | null {
  return err instanceof CharterError ? errorResponse(err.code, err.message, { shape }) : null;
}

function errorBody(shape: WireShape, code: ErrorCode, message: string, locations: unknown): Answer['body'] {
  switch (shape) {
    case 'graphql':
      return { errors: [{ message, ...(locations ? { locations } : {}), extensions: { code } }] };
    case 'openai':
      return { error: { message, type: openAiErrorType(code), code: code.toLowerCase(), param: null } };
    case 'rest':
      return { error: { code, message } };
    default:
      return unreachable(shape);
  }
}

/** OpenAI clients branch on `type`: the SDKs map these to their own exception classes. */
function openAiErrorType(code: ErrorCode): string {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'authentication_error';
    case 'FORBIDDEN':
      return 'permission_error';
    case 'RATE_LIMITED':
    case 'BUDGET_EXCEEDED':
      return 'rate_limit_error';
    default:
      return 'invalid_request_error';
  }
}
