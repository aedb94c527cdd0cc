/** Settings and events shared by the resilient data source and its factory. */

/** Per-subgraph behaviour; anything absent comes from the factory's `defaults`. */
export interface SubgraphSettings {
  /** URLs to balance over; default: the one URL in the supergraph. */
  urls?: string[];
  /** Deadline of one attempt (connect, headers and body); default 10 000 ms. */
  timeoutMs?: number;
  /** Extra attempts for a failed query (never for a mutation); default 1. */
  retries?: number;
  /** Never retry, even queries: for subgraphs whose calls cost money (the AI subgraph). */
  noRetry?: boolean;
  /** Most bytes read from one response; past it the read is aborted; default 10 MiB. */
  maxResponseBytes?: number;
  /** First retry waits up to this (full jitter), doubling per retry; default 50 ms. */
  retryBaseDelayMs?: number;
  /** Ceiling of a retry wait; default 1 000 ms. */
  retryMaxDelayMs?: number;
  /** Consecutive failures that open a URL's breaker; default 5. */
  breakerFailureThreshold?: number;
  /** Failure ratio over the last `breakerWindowSize` outcomes that opens it; 1 = off (default). */
  breakerFailureRatio?: number;
  breakerWindowSize?: number;
  /** Open time before a half-open probe; default 10 000 ms. */
  breakerCooldownMs?: number;
  /** Active health check: `GET healthPath` every `healthIntervalMs`; 0 (default) = passive only. */
  healthIntervalMs?: number;
  healthPath?: string;
  healthTimeoutMs?: number;
  /** Keep-alive connections per origin; default 32. */
  connections?: number;
}

/** Settings with every default filled in. */
export type ResolvedSubgraphSettings = Required<Omit<SubgraphSettings, 'urls'>>;

/** The request about to be sent, for `willSendRequest` (e.g. to sign the principal into a header). */
export interface SubgraphRequest {
  subgraph: string;
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  headers: SubgraphHeaders;
}

/**
 * The outgoing headers: the part of the Fetch `Headers` API a hook needs, over a plain record
 * (names lower-cased), since a WHATWG `Headers` per subgraph fetch costs more than the fetch's own
 * bookkeeping.
 */
export interface SubgraphHeaders {
  set(name: string, value: string): void;
  get(name: string): string | null;
  has(name: string): boolean;
  delete(name: string): void;
  forEach(callback: (value: string, name: string) => void): void;
}

export type SubgraphOutcome = 'ok' | 'http-error' | 'timeout' | 'unreachable' | 'too-large' | 'circuit-open';

/** For metrics and logs. */
export type SubgraphEvent =
  | { type: 'request'; subgraph: string; url: string | null; outcome: SubgraphOutcome; durationMs: number }
  | { type: 'retry'; subgraph: string; attempt: number; reason: string; delayMs: number }
  | { type: 'breaker'; subgraph: string; url: string; state: 'closed' | 'open' | 'half-open' }
  | { type: 'health'; subgraph: string; url: string; healthy: boolean };
