/**
 * The URLs of one subgraph: each with its circuit breaker and health, picked round-robin.
 * Passive health: a URL whose breaker is open is skipped. Active health (optional): a URL whose
 * `GET /health` fails is skipped until it answers again.
 */
import type { Pool } from 'undici';
import type { CircuitBreaker } from './circuit-breaker';

export interface Endpoint {
  readonly url: string;
  /** Path and query of the GraphQL endpoint, sent over the origin's pool. */
  readonly path: string;
  readonly pool: Pool;
  readonly breaker: CircuitBreaker;
  healthy: boolean;
}

export interface UpstreamGroup {
  readonly endpoints: readonly Endpoint[];
  /**
   * The next usable URL, preferring ones not yet tried for this request (so a retry goes
   * elsewhere when it can); null when every URL is open or unhealthy.
   */
  pick(tried: ReadonlySet<Endpoint>): Endpoint | null;
}

export function createUpstreamGroup(endpoints: Endpoint[]): UpstreamGroup {
  let next = 0;
  const usable = (e: Endpoint): boolean => e.healthy && e.breaker.isAvailable();
  return {
    endpoints,
    pick(tried) {
      for (const skipTried of [true, false]) {
        for (let i = 0; i < endpoints.length; i++) {
          const candidate = endpoints[(next + i) % endpoints.length]!;
          if (skipTried && tried.has(candidate)) continue;
          if (!usable(candidate)) continue;
          next = (next + i + 1) % endpoints.length;
          return candidate;
        }
      }
      return null;
    },
  };
}
