/**
 * GET JSON from a REST backend with a deadline, turning every way it can fail into a GraphQL
 * error with a catalogue code, so the gateway answers partial data with an error at that path.
 */
import type { GraphQLError } from 'graphql';
import { graphqlError } from '../../../core/errors';

export interface RestCallTarget {
  subgraph: string;
  /** The mapping's endpoint template (e.g. `/users?ids={ids}`): named in errors instead of the full URL. */
  endpoint: string;
  url: string;
  timeoutMs: number;
  /** Resolve a 404 to null (a missing single entity) instead of failing. */
  notFoundAsNull?: boolean;
}

export async function getRestJson(target: RestCallTarget): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    // One deadline covers the headers and the body.
    const signal = AbortSignal.timeout(target.timeoutMs);
    response = await fetch(target.url, { signal, headers: { accept: 'application/json' } });
    text = await response.text();
  } catch (err) {
    // Duck-typed: fetch's DOMException and its causes may come from another realm (e.g. under jest).
    const failure = err as { name?: unknown; message?: unknown; cause?: { message?: unknown } } | undefined;
    if (failure?.name === 'TimeoutError') throw upstreamError(target, 'UPSTREAM_TIMEOUT', `timed out after ${target.timeoutMs} ms`);
    const cause = String(failure?.cause?.message ?? failure?.message ?? err);
    throw upstreamError(target, 'UPSTREAM_UNAVAILABLE', `failed: ${cause}`);
  }
  if (response.status === 404 && target.notFoundAsNull) return null;
  if (!response.ok) throw upstreamError(target, 'UPSTREAM_UNAVAILABLE', `answered HTTP ${response.status}`, response.status);
  try {
    return JSON.parse(text);
  } catch {
    throw upstreamError(target, 'UPSTREAM_UNAVAILABLE', 'answered with a body that is not JSON', response.status);
  }
}

export function upstreamError(
  target: Pick<RestCallTarget, 'subgraph' | 'endpoint'>,
  code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT',
  what: string,
  status?: number,
): GraphQLError {
  return graphqlError(code, `Subgraph "${target.subgraph}": REST call GET ${target.endpoint} ${what}`, {
    subgraph: target.subgraph,
    endpoint: target.endpoint,
    ...(status === undefined ? {} : { status }),
  });
}
