/**
 * Builds `@apollo/gateway`'s `buildService`: one `ResilientDataSource` per subgraph, over URLs whose
 * pools, breakers and health checks live in the factory. The gateway calls `buildService` again for
 * every supergraph update, so that state is kept per URL here and survives the swap.
 */
import type { GraphQLDataSource } from '@apollo/gateway';
import { Pool } from 'undici';
import { createCircuitBreaker } from './circuit-breaker';
import { ResilientDataSource, type ResilientDataSourceOptions } from './resilient-data-source';
import { probeHealth } from './subgraph-http';
import type { ResolvedSubgraphSettings, SubgraphEvent, SubgraphRequest, SubgraphSettings } from './types';
import { createUpstreamGroup, type Endpoint, type UpstreamGroup } from './upstream-group';

export interface SubgraphDataSourceFactoryOptions<TContext> {
  /** Settings per subgraph name; `urls` replaces the supergraph's URL with several. */
  subgraphs?: Record<string, SubgraphSettings>;
  /** Settings for every subgraph, under the per-subgraph ones. */
  defaults?: Omit<SubgraphSettings, 'urls'>;
  /** Every request, retry, breaker change and health change, for metrics and logs. */
  onEvent?: (event: SubgraphEvent) => void;
  /** Last look at a request before it is sent, e.g. to sign the principal into a header. */
  willSendRequest?: (request: SubgraphRequest, context: TContext) => void | Promise<void>;
  /**
   * Headers to add to each attempt, computed over its exact body (e.g. a signature). Called per
   * attempt, so a retry carries a fresh signature rather than a replay of the first one.
   */
  signAttempt?: ResilientDataSourceOptions<TContext>['signAttempt'];
}

export interface SubgraphDataSourceFactory<TContext extends Record<string, unknown>> {
  /** Pass as `new ApolloGateway({ buildService })`. */
  buildService(definition: { name: string; url?: string }): GraphQLDataSource<TContext>;
  /** Breaker state of every URL built so far. */
  breakerStates(): Array<{ subgraph: string; url: string; state: 'closed' | 'open' | 'half-open'; healthy: boolean }>;
  /** Stop health checks and close every connection. */
  close(): Promise<void>;
}

const DEFAULTS: ResolvedSubgraphSettings = {
  timeoutMs: 10_000,
  retries: 1,
  noRetry: false,
  maxResponseBytes: 10 * 1024 * 1024,
  retryBaseDelayMs: 50,
  retryMaxDelayMs: 1000,
  breakerFailureThreshold: 5,
  breakerFailureRatio: 1,
  breakerWindowSize: 20,
  breakerCooldownMs: 10_000,
  healthIntervalMs: 0,
  healthPath: '/health',
  healthTimeoutMs: 1000,
  connections: 32,
};

/** Drop `undefined` values so `{ timeoutMs: undefined }` does not erase a default. */
function definedOnly<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function createSubgraphDataSourceFactory<TContext extends Record<string, unknown> = Record<string, unknown>>(
  options: SubgraphDataSourceFactoryOptions<TContext> = {},
): SubgraphDataSourceFactory<TContext> {
  const pools = new Map<string, Pool>();
  const endpoints = new Map<string, { subgraph: string; endpoint: Endpoint }>();
  const groups = new Map<string, UpstreamGroup>();
  const timers: NodeJS.Timeout[] = [];

  function poolFor(origin: string, connections: number): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      // Keep-alive connections per origin: no TCP handshake per subgraph fetch.
      pool = new Pool(origin, { connections, keepAliveTimeout: 30_000, pipelining: 1 });
      pools.set(origin, pool);
    }
    return pool;
  }

  function endpointFor(subgraph: string, url: string, settings: ResolvedSubgraphSettings): Endpoint {
    const id = `${subgraph} ${url}`;
    const known = endpoints.get(id);
    if (known) return known.endpoint;
    const parsed = new URL(url);
    const breaker = createCircuitBreaker({
      failureThreshold: settings.breakerFailureThreshold,
      failureRatio: settings.breakerFailureRatio < 1 ? settings.breakerFailureRatio : undefined,
      windowSize: settings.breakerWindowSize,
      cooldownMs: settings.breakerCooldownMs,
      onStateChange: (state) => options.onEvent?.({ type: 'breaker', subgraph, url, state }),
    });
    const endpoint: Endpoint = { url, path: `${parsed.pathname}${parsed.search}`, pool: poolFor(parsed.origin, settings.connections), breaker, healthy: true };
    endpoints.set(id, { subgraph, endpoint });
    if (settings.healthIntervalMs > 0) {
      const timer = setInterval(() => {
        void probeHealth(endpoint.pool, settings.healthPath, settings.healthTimeoutMs).then((healthy) => {
          if (healthy === endpoint.healthy) return;
          endpoint.healthy = healthy;
          options.onEvent?.({ type: 'health', subgraph, url, healthy });
        });
      }, settings.healthIntervalMs);
      timer.unref();
      timers.push(timer);
    }
    return endpoint;
  }

  return {
    buildService({ name, url }) {
      const configured = options.subgraphs?.[name] ?? {};
      const { urls: configuredUrls, ...own } = configured;
      const settings: ResolvedSubgraphSettings = { ...DEFAULTS, ...definedOnly(options.defaults ?? {}), ...definedOnly(own) };
      const urls = configuredUrls?.length ? configuredUrls : url ? [url] : [];
      if (urls.length === 0) throw new Error(`Subgraph "${name}" has no URL`);
      const groupId = `${name} ${urls.join(' ')}`;
      let group = groups.get(groupId);
      if (!group) {
        group = createUpstreamGroup(urls.map((u) => endpointFor(name, u, settings)));
        groups.set(groupId, group);
      }
      return new ResilientDataSource<TContext>({ subgraph: name, group, settings, onEvent: options.onEvent, willSendRequest: options.willSendRequest, signAttempt: options.signAttempt });
    },
    breakerStates() {
      return [...endpoints.values()].map(({ subgraph, endpoint }) => ({ subgraph, url: endpoint.url, state: endpoint.breaker.state, healthy: endpoint.healthy }));
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
    },
  };
}
