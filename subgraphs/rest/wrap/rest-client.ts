/**
 * One HTTP call to a REST backend with a deadline, turning every way it can fail into a GraphQL
 * error with a catalogue code, so the gateway answers partial data with an error at that path.
 *
 * What a client sees is deliberately poor: the code and the subgraph's name, never the backend's
 * URL, endpoint, status or body (they can reveal internal hosts, ids or stack traces). The details
 * go to the subgraph's log instead, without headers (they carry the backend credentials).
 */
import type { GraphQLError } from 'graphql';
import { graphqlError } from '../../../core/errors';
import { createLogger } from '../../../core/logger';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestCallTarget {
  subgraph: string;
  /** The mapping's endpoint template (e.g. `/users?ids={ids}`): logged instead of the full URL. */
  endpoint: string;
  url: string;
  timeoutMs: number;
  method?: HttpMethod;
  /** A JSON body (writes). */
  body?: unknown;
  /** Extra request headers: backend auth, idempotency keys. Never logged. */
  headers?: Record<string, string>;
  /** Resolve a 404 to null (a missing entity on a nullable field) instead of failing. */
  notFoundAsNull?: boolean;
}

export type RestErrorCode = 'NOT_FOUND' | 'BAD_USER_INPUT' | 'UPSTREAM_ERROR' | 'UPSTREAM_TIMEOUT';

/** What each failure tells the client; fixed sentences so nothing of the backend's answer leaks. */
const CLIENT_MESSAGES: Record<RestErrorCode, string> = {
  NOT_FOUND: 'not found',
  BAD_USER_INPUT: 'the backend refused the input',
  UPSTREAM_ERROR: 'the backend failed',
  UPSTREAM_TIMEOUT: 'the backend did not answer in time',
};

const log = createLogger('rest-subgraph');

/** A backend answer that is not 2xx, for callers that react to a status (401 → refresh a token). */
export interface RestResponse {
  status: number;
  /** Parsed JSON, or null for an empty body (204). */
  json: unknown;
}

/**
 * Send one request and return the answer whatever its status; throws only for transport failures
 * and deadlines (as GraphQL errors). Never retries: a write sent twice may be applied twice.
 */
export async function sendRest(target: RestCallTarget): Promise<RestResponse> {
  const method = target.method ?? 'GET';
  let response: Response;
  let text: string;
  try {
    // One deadline covers the headers and the body.
    const signal = AbortSignal.timeout(target.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json', ...target.headers };
    if (target.body !== undefined) headers['content-type'] = 'application/json';
    response = await fetch(target.url, { method, signal, headers, body: target.body === undefined ? undefined : JSON.stringify(target.body) });
    text = await response.text();
  } catch (err) {
    // Duck-typed: fetch's DOMException and its causes may come from another realm (e.g. under jest).
    const failure = err as { name?: unknown; message?: unknown; cause?: { message?: unknown } } | undefined;
    if (failure?.name === 'TimeoutError') throw restError(target, 'UPSTREAM_TIMEOUT', `timed out after ${target.timeoutMs} ms`);
    throw restError(target, 'UPSTREAM_ERROR', `failed: ${String(failure?.cause?.message ?? failure?.message ?? err)}`);
  }
  if (text.trim() === '') return { status: response.status, json: null };
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    if (!response.ok) return { status: response.status, json: null };
    throw restError(target, 'UPSTREAM_ERROR', `answered HTTP ${response.status} with a body that is not JSON`);
  }
}

/** The answer's JSON for a 2xx; every other status becomes the GraphQL error it stands for. */
export function expectSuccess(target: RestCallTarget, response: RestResponse): unknown {
  if (response.status >= 200 && response.status < 300) return response.json;
  if (response.status === 404 && target.notFoundAsNull) return null;
  throw restError(target, codeOfStatus(response.status), `answered HTTP ${response.status}`);
}

export async function callRest(target: RestCallTarget): Promise<unknown> {
  return expectSuccess(target, await sendRest(target));
}

/**
 * 404 is the client asking for something absent; 400/409/422 a request the backend refuses
 * because of what was sent (the caller can fix it). 401/403 are the subgraph's own credentials
 * failing, and everything else the backend failing: neither is the caller's fault.
 */
export function codeOfStatus(status: number): RestErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 400 || status === 409 || status === 422) return 'BAD_USER_INPUT';
  return 'UPSTREAM_ERROR';
}

/** A client-safe GraphQL error; `detail` (endpoint, status, cause) goes only to the log. */
export function restError(target: Pick<RestCallTarget, 'subgraph' | 'endpoint' | 'method'>, code: RestErrorCode, detail: string): GraphQLError {
  log.warn({ subgraph: target.subgraph, method: target.method ?? 'GET', endpoint: target.endpoint, code, detail }, 'REST call failed');
  return graphqlError(code, `Subgraph "${target.subgraph}": ${CLIENT_MESSAGES[code]}`, { subgraph: target.subgraph });
}
