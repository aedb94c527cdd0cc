/**
 * The gateway: one GraphQL endpoint over the supergraph. Charter owns the HTTP layer and every step
 * before planning — identity, rate limits, persisted queries, parsing and limits, the tenant's view,
 * authorization, the response cache — and Apollo Server with @apollo/gateway plans and executes.
 * The listener starts first, so `/health` answers at once and `/ready` tells when a supergraph is loaded.
 */
import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type Redis from 'ioredis';
import { bearerTokenCheck, listen, requestUrl, sendJson, type RunningServer } from '../core/http';
import { createLogger, type Logger } from '../core/logger';
import { DEFAULT_OPERATION_LIMITS, resolvePlan, type ResolvedPlan } from '../tenancy/plan';
import { AI_SUBGRAPH, subgraphUrlFromSupergraph } from './ai-proxy';
import type { ApiKeyDirectory } from './auth/api-keys';
import { createAuthenticator } from './auth/authenticate';
import type { JwtVerifier } from './auth/jwt';
import type { Principal } from './auth/principal';
import { serveGraphiQLAsset, serveGraphiQLPage, wantsGraphiQL } from './graphiql';
import { createMetrics } from './observability';
import { errorResponse } from './pipeline/answer';
import { DocumentCache } from './pipeline/document-cache';
import { createEntrance } from './pipeline/entrance';
import { createPlanExecutor } from './pipeline/execute-plan';
import { memoryPersistedQueries, redisPersistedQueries } from './pipeline/persisted-queries';
import type { UpstreamErrorDetails } from './pipeline/upstream-errors';
import { aiSteps, graphqlSteps, type PipelineDeps } from './pipeline/pipelines';
import type { ServedSupergraph } from './pipeline/steps/supergraph-ready';
import type { SubgraphSettings } from './resilience';
import { createSubgraphCalls } from './subgraph-calls';
import type { SupergraphSource } from './supergraph/supergraph-source';
import type { TenantDirectory } from './tenants/tenant-directory';
import type { OperationLimits } from './traffic/operation-limits';
import { createRateLimiter, type SharedBucketStore } from './traffic/rate-limit';
import { createInflightDeduper, createResponseCache } from './traffic/response-cache';
import type { UsageReporter } from './usage/usage-reporter';
import { registerCallLogMetrics, type CallLogWriter } from '../analytics/call-log-writer';

export interface GatewayOptions {
  source: SupergraphSource;
  /** API keys of the configured tenants. */
  keys?: ApiKeyDirectory;
  /** JWT bearer tokens; with neither keys nor JWT, access is anonymous (with a warning). */
  jwt?: JwtVerifier;
  /** Tenants' policies and plans; none means every caller may query everything. */
  tenants?: TenantDirectory;
  /** Secret shared with subgraphs to sign the forwarded principal. */
  subgraphSecret: string;
  /**
   * Bearer token that `/metrics` requires (its series name tenants and their traffic). Without one,
   * `/metrics` refuses every caller: closed by default, in dev too.
   */
  metricsToken?: string;
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  /** Introspection and GraphiQL; default: on unless NODE_ENV=production. */
  introspection?: boolean;
  logger?: Logger;
  /** Shared state across replicas (rate limits, cache, persisted queries); memory when absent. */
  redis?: Redis;
  /** Prefix of every Redis key this gateway writes (one per deployment). */
  redisPrefix?: string;
  /** Operation limits for every tenant; a plan may change them. */
  limits?: OperationLimits;
  /** When Redis fails, let requests through (default) or refuse them. */
  rateLimitFailOpen?: boolean;
  /** Rate-limit buckets shared without Redis (the cluster primary under `--workers N`). */
  sharedBuckets?: SharedBucketStore;
  /** Response cache; `false` turns it off. */
  cache?: { defaultTtlSec?: number; maxTtlSec?: number; maxEntries?: number } | false;
  /** Share one execution among identical in-flight queries of one principal (default on). */
  dedupe?: boolean;
  /** Per-subgraph timeouts, retries, breakers, extra URLs. */
  subgraphs?: Record<string, SubgraphSettings>;
  /** Where field usage goes (the registry's usage checks). */
  usage?: UsageReporter;
  /** insight: the call log writer (analytics/call-log-writer.ts); absent: call log off. */
  callLog?: CallLogWriter;
  /** Wrap each request in a root span (set when an OpenTelemetry provider is registered). */
  tracing?: boolean;
  /** Hashes (SHA-256 hex) of the operations tenants in trusted-documents mode may run. */
  trustedDocuments?: ReadonlySet<string>;
  /** Who sees subgraph errors unmasked (default: principals with the `admin` role). */
  upstreamErrorDetails?: UpstreamErrorDetails;
}

export interface GatewayContext {
  principal: Principal;
}

export interface RunningGateway extends RunningServer {
  readonly ready: Promise<void>;
  isReady(): boolean;
  apollo: ApolloServer<GatewayContext>;
}


/** Wires the parts together; what a request goes through is the step lists of pipeline/pipelines.ts. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const introspection = options.introspection ?? process.env.NODE_ENV !== 'production';
  const authenticate = createAuthenticator({ keys: options.keys, jwt: options.jwt });
  if (authenticate.anonymous) logger.warn('no API keys or JWT issuer are configured: the gateway serves anonymous requests');
  const prefix = options.redisPrefix ?? 'charter:';
  const limits: OperationLimits = { ...DEFAULT_OPERATION_LIMITS, ...(options.limits ?? {}) };

  const metrics = createMetrics({ knownTenants: options.tenants ? [...options.tenants.tenants.keys()] : [] });
  if (options.callLog) registerCallLogMetrics(metrics.registry, options.callLog); // insight: drops counted on /metrics
  const subgraphCalls = createSubgraphCalls({
    secret: options.subgraphSecret,
    subgraphs: options.subgraphs,
    onEvent: (event) => {
      metrics.onSubgraphEvent(event);
      if (event.type === 'breaker') logger.warn({ subgraph: event.subgraph, url: event.url, state: event.state }, 'circuit breaker changed state');
    },
  });
  // @apollo/gateway 2.x sends usage metrics to Apollo and probes cloud metadata servers
  // (169.254.169.254, …) from its constructor unless told not to: Charter sends nothing off the
  // machine that its operator did not configure. An explicit setting is respected.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({ supergraphSdl: options.source, buildService: subgraphCalls.buildService as never, logger });
  let served: ServedSupergraph | null = null;
  let aiGraphqlUrl: string | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    served = { apiSchema, version: options.source.currentVersion ?? 'unknown' };
    aiGraphqlUrl = subgraphUrlFromSupergraph(coreSupergraphSdl, AI_SUBGRAPH);
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Charter answers introspection itself, from each tenant's view; Apollo never sees it.
    introspection: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginUsageReportingDisabled()],
    logger,
  });
  // Apollo Server loads the gateway and stops it; requests go to the gateway's executor directly.
  const executePlan = createPlanExecutor(gateway, logger);
  const ready = apollo.start();
  ready.catch((err) => logger.error({ err }, 'gateway failed to start'));

  const onRedisError = (use: string) => (err: unknown) => {
    metrics.recordRedisError(use);
    logger.warn({ err: String(err), use }, 'Redis call failed');
  };
  const plans = new WeakMap<object, ResolvedPlan>();
  const defaultPlan = resolvePlan(undefined, limits);
  const deps: PipelineDeps = {
    authenticate,
    planFor(tenant) {
      const config = options.tenants?.tenants.get(tenant);
      if (!config) return defaultPlan;
      let plan = plans.get(config);
      if (!plan) {
        plan = resolvePlan(config.plan, limits);
        plans.set(config, plan);
      }
      return plan;
    },
    limiter: createRateLimiter({ redis: options.redis, sharedStore: options.sharedBuckets, prefix: `${prefix}rl:`, failOpen: options.rateLimitFailOpen ?? true, onRedisError: onRedisError('rate-limit') }),
    metrics,
    usage: options.usage,
    // The version is read per request: a registry source moves it without a schema change event.
    served: () => (served ? { apiSchema: served.apiSchema, version: options.source.currentVersion ?? 'unknown' } : null),
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    persistedQueries: options.redis ? redisPersistedQueries(options.redis, `${prefix}apq:`) : memoryPersistedQueries(),
    trustedDocuments: options.trustedDocuments,
    documents: new DocumentCache({ maxTokens: limits.maxTokens }),
    tenants: options.tenants ?? null,
    introspection,
    upstreamErrorDetails: options.upstreamErrorDetails ?? 'admins',
    caching:
      options.cache === false
        ? null
        : {
            store: createResponseCache({ redis: options.redis, prefix: `${prefix}rc:`, maxEntries: options.cache?.maxEntries, onRedisError: onRedisError('cache') }),
            defaultTtlSec: options.cache?.defaultTtlSec ?? 0,
            maxTtlSec: options.cache?.maxTtlSec ?? 300,
          },
    deduper: options.dedupe === false ? null : createInflightDeduper(),
    executePlan,
    aiGraphqlUrl: () => aiGraphqlUrl,
    subgraphSecret: options.subgraphSecret,
    callLog: options.callLog, // insight: the call-log step's writer
  };
  const graphqlEntrance = createEntrance({ shape: 'graphql', steps: graphqlSteps(deps), traceAfter: 'authenticate', tracing: options.tracing, logger });
  const aiEntrance = createEntrance({ shape: 'openai', steps: aiSteps(deps), logger });

  const metricsAccess = bearerTokenCheck(options.metricsToken);
  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (url.pathname.startsWith('/v1/')) return aiEntrance.serve(req, res, url);
    switch (url.pathname) {
      case '/health':
        return sendJson(res, 200, { status: 'ok' });
      case '/ready':
        return served ? sendJson(res, 200, { status: 'ready', supergraph: options.source.currentVersion }) : sendJson(res, 503, { status: 'starting' });
      case '/metrics':
        if (!metricsAccess(req)) {
          const refused = errorResponse('UNAUTHENTICATED', 'Missing or invalid metrics token', { shape: 'rest' });
          return sendJson(res, refused.status, refused.body, { 'www-authenticate': 'Bearer' });
        }
        for (const b of subgraphCalls.breakerStates()) metrics.setBreakerState(b.subgraph, b.url, b.state);
        return metrics.handler(req, res);
      case '/graphql':
        if (introspection && wantsGraphiQL(req)) return serveGraphiQLPage(res, '/graphql');
        return graphqlEntrance.serve(req, res, url);
      default:
        if (introspection && url.pathname.startsWith('/graphiql/') && serveGraphiQLAsset(url.pathname, res)) return;
        return sendJson(res, 404, errorResponse('NOT_FOUND', `No route for ${req.method} ${url.pathname}`, { shape: 'rest' }).body);
    }
  };

  const server = await listen(handler, { port: options.port, host: options.host, onError: (err) => logger.error({ err }, 'request failed') });
  return {
    ...server,
    ready,
    isReady: () => served !== null,
    apollo,
    close: async () => {
      await server.close();
      await ready.catch(() => undefined);
      await apollo.stop();
      await subgraphCalls.close();
      await options.usage?.flush();
      await options.callLog?.flush(); // insight
    },
  };
}
