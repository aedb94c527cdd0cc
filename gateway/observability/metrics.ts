/**
 * Prometheus metrics of the gateway in a registry of its own (never prom-client's global one, so
 * several gateways in one process, as in tests, do not collide). `handler` serves `/metrics`.
 */
import type http from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { SubgraphEvent } from '../resilience/types';
import { HotCounter, HotHistogram, type CounterChild, type HistogramChild } from './hot-metrics';
import { createLabelFolder, operationNameLabel } from './labels';
import { unreachable } from '../../core/errors';

export interface MetricsOptions {
  /** The configured tenants: any other tenant is counted as `other`. Without it, the first `maxTenants` seen get a label. */
  knownTenants?: Iterable<string>;
  /** Most tenant label values when `knownTenants` is not given; default 100. */
  maxTenants?: number;
  /** Most operation label values; later names are counted as `other`. Default 200. */
  maxOperations?: number;
  /** Node process metrics (CPU, memory, event loop); default true. */
  processMetrics?: boolean;
}

export type CacheResult = 'hit' | 'miss' | 'bypass';
export type BreakerStateName = 'closed' | 'half-open' | 'open';

export interface Metrics {
  readonly registry: Registry;
  /** One finished GraphQL request; `status` is its HTTP status. */
  recordRequest(input: { operation?: string | null; tenant: string; status: number; durationSec: number }): void;
  recordError(code: string, tenant: string): void;
  recordSubgraphRequest(subgraph: string, outcome: string, durationSec: number): void;
  recordCache(result: CacheResult): void;
  recordRateLimited(tenant: string): void;
  /** 0 closed, 1 half-open, 2 open. */
  setBreakerState(subgraph: string, url: string, state: BreakerStateName): void;
  recordRedisError(use: string): void;
  /** Pass as the resilience factory's `onEvent`. */
  onSubgraphEvent(event: SubgraphEvent): void;
  /** Serves the text exposition format for `GET /metrics`. */
  handler(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}

const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'charter_' });
  const tenantLabel = createLabelFolder(options.maxTenants ?? 100, options.knownTenants);
  const operationLabel = createLabelFolder(options.maxOperations ?? 200);
  const registers = [registry];

  // Recorded on every request and subgraph fetch: hot-metrics.ts (no allocation per record).
  const requests = new HotCounter({ name: 'charter_requests_total', help: 'GraphQL requests by operation, tenant and HTTP status', labelNames: ['operation', 'tenant', 'status'] as const, registers });
  const duration = new HotHistogram({
    name: 'charter_request_duration_seconds',
    help: 'GraphQL request latency',
    labelNames: ['operation', 'tenant'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const errors = new Counter({ name: 'charter_errors_total', help: 'GraphQL errors by code', labelNames: ['code', 'tenant'] as const, registers });
  const subgraphRequests = new HotCounter({ name: 'charter_subgraph_requests_total', help: 'Subgraph fetch attempts by outcome', labelNames: ['subgraph', 'outcome'] as const, registers });
  const subgraphDuration = new HotHistogram({
    name: 'charter_subgraph_duration_seconds',
    help: 'Subgraph fetch attempt latency',
    labelNames: ['subgraph'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const cache = new Counter({ name: 'charter_cache_total', help: 'Response cache lookups', labelNames: ['result'] as const, registers });
  const rateLimited = new Counter({ name: 'charter_rate_limited_total', help: 'Requests refused by rate limits', labelNames: ['tenant'] as const, registers });
  const breaker = new Gauge({ name: 'charter_breaker_state', help: 'Circuit breaker state per subgraph URL: 0 closed, 1 half-open, 2 open', labelNames: ['subgraph', 'url'] as const, registers });
  const redisErrors = new Counter({ name: 'charter_redis_errors_total', help: 'Failed Redis calls by use', labelNames: ['use'] as const, registers });

  // The hot path keeps its label children, found by one string key per request.
  const requestChildren = new Map<string, { count: CounterChild; time: HistogramChild }>();
  const subgraphChildren = new Map<string, { count: CounterChild; time: HistogramChild }>();
  const codeLabel = createLabelFolder(50);
  const subgraphLabel = createLabelFolder(100);
  const useLabel = createLabelFolder(20);

  const metrics: Metrics = {
    registry,
    recordRequest({ operation, tenant, status, durationSec }) {
      const op = operationLabel(operationNameLabel(operation));
      const t = tenantLabel(tenant);
      const id = `${op}\u0000${t}\u0000${status}`;
      let child = requestChildren.get(id);
      if (!child) {
        child = { count: requests.labels(op, t, String(status)), time: duration.labels(op, t) };
        requestChildren.set(id, child);
      }
      child.count.inc();
      child.time.observe(durationSec);
    },
    recordError: (code, tenant) => errors.labels(codeLabel(code), tenantLabel(tenant)).inc(),
    recordSubgraphRequest(subgraph, outcome, durationSec) {
      // Several per request: keep the label children rather than hash the labels on every fetch.
      const id = `${subgraph}\u0000${outcome}`;
      let child = subgraphChildren.get(id);
      if (!child) {
        const s = subgraphLabel(subgraph);
        child = { count: subgraphRequests.labels(s, outcome), time: subgraphDuration.labels(s) };
        subgraphChildren.set(id, child);
      }
      child.count.inc();
      child.time.observe(durationSec);
    },
    recordCache: (result) => cache.labels(result).inc(),
    recordRateLimited: (tenant) => rateLimited.labels(tenantLabel(tenant)).inc(),
    setBreakerState: (subgraph, url, state) => breaker.labels(subgraphLabel(subgraph), url).set(BREAKER_VALUE[state]),
    recordRedisError: (use) => redisErrors.labels(useLabel(use)).inc(),
    onSubgraphEvent(event) {
      switch (event.type) {
        case 'request':
          return metrics.recordSubgraphRequest(event.subgraph, event.outcome, event.durationMs / 1000);
        case 'breaker':
          return metrics.setBreakerState(event.subgraph, event.url, event.state);
        case 'retry':
        case 'health':
          return undefined;
        default: {
          return unreachable(event);
        }
      }
    },
    async handler(_req, res) {
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
  };
  return metrics;
}
