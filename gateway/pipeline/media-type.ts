/**
 * GraphQL over HTTP media types. A client asking for `application/graphql-response+json` (Apollo
 * Client 3.8+, graphql-http, urql) gets it, with the spec's status codes; one asking for
 * `application/json` only gets the legacy media type and its 200 for request errors; a client with
 * no preference (`*` or no `Accept`, as curl) gets `application/json` with the catalogue's statuses,
 * as Apollo Server answers it.
 */
import { LEGACY_JSON_REQUEST_ERRORS, statusOf } from '../../core/errors';

export type GraphQLMedia = 'graphql-response' | 'legacy-json' | 'no-preference';

export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** The media type the `Accept` header prefers (by q-value, then order). */
export function negotiateGraphQLMedia(accept: string | undefined): GraphQLMedia {
  if (!accept) return 'no-preference';
  let best: { media: GraphQLMedia; q: number } | null = null;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const media: GraphQLMedia | null = type === 'application/graphql-response+json' ? 'graphql-response' : type === 'application/json' ? 'legacy-json' : null;
    if (media && (!best || q > best.q)) best = { media, q };
  }
  return best?.media ?? 'no-preference';
}

/** Content type and status for a GraphQL answer in `media`. */
export function graphqlWire(media: GraphQLMedia, status: number, errorCode: string | undefined): { contentType: string; status: number } {
  if (media === 'graphql-response') return { contentType: GRAPHQL_RESPONSE_TYPE, status };
  // A 400 without a catalogue code is a request error of the executor (variable coercion).
  const requestError = status === 400 && (errorCode === undefined || LEGACY_JSON_REQUEST_ERRORS.has(errorCode));
  return { contentType: JSON_TYPE, status: media === 'legacy-json' && requestError ? statusOf('BAD_USER_INPUT', 'legacy-json-request-error') : status };
}
