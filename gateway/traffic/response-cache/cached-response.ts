/** One cached GraphQL answer, as every response-cache store holds it. */
export interface CachedResponse {
  /** The serialized GraphQL response, exactly as first sent. */
  body: string;
  /** When it was stored (ms since epoch), for the `Age` header. */
  storedAt: number;
  ttlSec: number;
  headers?: Record<string, string>;
}
