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
import type { GraphQLSchema } from 'graphql';
import type Redis from 'ioredis';
import { CharterError } from '../core/errors';
import { listen, requestUrl, sendJson, type RunningServer } from '../core/http';
import { createLogger, type Logger } from '../core/logger';
import { proxyToAiSubgraph, subgraphUrlFromSupergraph } from './ai-proxy';
import type { ApiKeyDirectory } from './auth/api-keys';
import { createAuthenticator } from './auth/authenticate';
import type { JwtVerifier } from './auth/jwt';
import type { Principal } from './auth/principal';
import { serveGraphiQLAsset, serveGraphiQLPage, wantsGraphiQL } from './graphiql';
import { createMetrics, REQUEST_ID_HEADER, requestId, withSpan } from './observability';
import { DocumentCache } from './pipeline/document-cache';
import { createPlanExecutor } from './pipeline/execute-plan';
import { memoryPersistedQueries, redisPersistedQueries, resolvePersistedQuery, sha256Hex } from './pipeline/persisted-queries';
import { readGraphQLParams } from './pipeline/request-params';
import { runOperation, type OperationDeps, type OperationResult } from './pipeline/run-operation';
import { resolvePlan, type ResolvedPlan } from './plan';
import type { SubgraphSettings } from './resilience';
import { createSubgraphCalls } from './subgraph-calls';
import type { SupergraphSource } from './supergraph/supergraph-source';
import type { TenantDirectory } from './tenants/tenant-directory';
import type { OperationLimits } from './traffic/operation-limits';
import { createRateLimiter, scopesForPlan, type RateLimitResult, type SharedBucketStore } from './traffic/rate-limit';
import { createInflightDeduper, createResponseCache } from './traffic/response-cache';
import type { UsageReporter } from './usage/usage-reporter';

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
  /** Wrap each request in a root span (set when an OpenTelemetry provider is registered). */
  tracing?: boolean;
  /** Hashes (SHA-256 hex) of the operations tenants in trusted-documents mode may run. */
  trustedDocuments?: ReadonlySet<string>;
}

export interface GatewayContext {
  principal: Principal;
}

export interface RunningGateway extends RunningServer {
  readonly ready: Promise<void>;
  isReady(): boolean;
  apollo: ApolloServer<GatewayContext>;
}

const DEFAULT_LIMITS: OperationLimits = { maxDepth: 15, maxAliases: 30, maxRootFields: 20, maxDirectives: 50, maxCost: 100_000, maxTokens: 10_000 };

function errorResult(status: number, code: string, message: string, headers?: Record<string, string>): OperationResult {
  return { status, body: { errors: [{ message, extensions: { code } }] }, headers };
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const introspection = options.introspection ?? process.env.NODE_ENV !== 'production';
  const authenticate = createAuthenticator({ keys: options.keys, jwt: options.jwt });
  if (authenticate.anonymous) logger.warn('no API keys or JWT issuer are configured: the gateway serves anonymous requests');
  const prefix = options.redisPrefix ?? 'charter:';
  const limits = options.limits ?? DEFAULT_LIMITS;

  const metrics = createMetrics({ knownTenants: options.tenants ? [...options.tenants.tenants.keys()] : [] });
  const subgraphCalls = createSubgraphCalls({
    secret: options.subgraphSecret,
    subgraphs: options.subgraphs,
    onEvent: (event) => {
      metrics.onSubgraphEvent(event);
      if (event.type === 'breaker') logger.warn({ subgraph: event.subgraph, url: event.url, state: event.state }, 'circuit breaker changed state');
    },
  });
  const gateway = new ApolloGateway({ supergraphSdl: options.source, buildService: subgraphCalls.buildService as never, logger });
  let apiSchema: GraphQLSchema | null = null;
  let aiGraphqlUrl: string | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    apiSchema = schema;
    aiGraphqlUrl = subgraphUrlFromSupergraph(coreSupergraphSdl, 'ai');
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
  const limiter = createRateLimiter({ redis: options.redis, sharedStore: options.sharedBuckets, prefix: `${prefix}rl:`, failOpen: options.rateLimitFailOpen ?? true, onRedisError: onRedisError('rate-limit') });
  const caching =
    options.cache === false
      ? null
      : {
          store: createResponseCache({ redis: options.redis, prefix: `${prefix}rc:`, maxEntries: options.cache?.maxEntries, onRedisError: onRedisError('cache') }),
          defaultTtlSec: options.cache?.defaultTtlSec ?? 0,
          maxTtlSec: options.cache?.maxTtlSec ?? 300,
        };
  const deduper = options.dedupe === false ? null : createInflightDeduper();
  const persistedQueries = options.redis ? redisPersistedQueries(options.redis, `${prefix}apq:`) : memoryPersistedQueries();
  const documents = new DocumentCache({ maxTokens: limits.maxTokens });
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;

  const plans = new WeakMap<object, ResolvedPlan>();
  const defaultPlan = resolvePlan(undefined, limits);
  const planFor = (tenant: string): ResolvedPlan => {
    const config = options.tenants?.tenants.get(tenant);
    if (!config) return defaultPlan;
    let plan = plans.get(config);
    if (!plan) {
      plan = resolvePlan(config.plan, limits);
      plans.set(config, plan);
    }
    return plan;
  };

  /** One token from the tenant's (and key's) buckets; null when the plan sets no limit. */
  const takeRateLimit = async (principal: Principal, plan: ResolvedPlan): Promise<RateLimitResult | null> => {
    const scopes = scopesForPlan({ tenant: principal.tenant, keyId: principal.keyId, plan: plan.rateLimit });
    if (!scopes.length) return null;
    const decision = await limiter.take(scopes);
    if (!decision.allowed) metrics.recordRateLimited(principal.tenant);
    return decision;
  };

  const graphqlOperation = async (req: http.IncomingMessage, url: URL, principal: Principal): Promise<OperationResult> => {
    const plan = planFor(principal.tenant);
    const decision = await takeRateLimit(principal, plan);
    const rateHeaders = decision?.headers;
    if (decision && !decision.allowed) {
      return errorResult(429, 'RATE_LIMITED', `Rate limit of tenant "${principal.tenant}" exceeded; retry after ${Math.ceil(decision.retryAfterMs / 1000)} s`, rateHeaders);
    }
    let params = await readGraphQLParams(req, url, maxBodyBytes);
    const resolved = await resolvePersistedQuery(params, persistedQueries);
    if ('notFound' in resolved) return { ...errorResult(200, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound'), headers: rateHeaders };
    params = resolved;
    if (plan.trustedDocuments && !options.trustedDocuments?.has(sha256Hex(params.query))) {
      return errorResult(403, 'FORBIDDEN', `Tenant "${principal.tenant}" may run only registered operations, and this one is not registered`, rateHeaders);
    }
    const deps: OperationDeps = { executePlan, documents, tenants: options.tenants ?? null, apiSchema: apiSchema!, supergraphVersion: options.source.currentVersion ?? 'unknown', introspection, caching, deduper };
    const result = await runOperation(deps, params, principal, plan, req.method ?? 'POST');
    if (rateHeaders) result.headers = { ...rateHeaders, ...(result.headers ?? {}) };
    return result;
  };

  const serveGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const started = performance.now();
    const id = requestId(req);
    res.setHeader(REQUEST_ID_HEADER, id);
    let tenant = 'anonymous';
    let result: OperationResult;
    if (!apiSchema) {
      result = errorResult(503, 'NOT_READY', 'The gateway has no supergraph loaded yet');
    } else {
      const principal = await authenticate(req);
      if (!principal) {
        result = errorResult(401, 'UNAUTHENTICATED', 'Missing or invalid credentials', { 'www-authenticate': 'Bearer, ApiKey header="x-api-key"' });
      } else {
        tenant = principal.tenant;
        try {
          // With tracing on, the request is the root span of the plan and subgraph fetch spans.
          result = options.tracing
            ? await withSpan('charter.request', { 'charter.tenant': tenant, 'charter.request_id': id }, () => graphqlOperation(req, url, principal))
            : await graphqlOperation(req, url, principal);
        } catch (err) {
          if (!(err instanceof CharterError)) throw err;
          result = errorResult(err.status, err.code, err.message);
        }
        if (result.coordinates?.length && options.usage) {
          const client = req.headers['apollographql-client-name'];
          const version = req.headers['apollographql-client-version'];
          options.usage.record(result.coordinates, { tenant, clientName: typeof client === 'string' ? client.slice(0, 100) : undefined, clientVersion: typeof version === 'string' ? version.slice(0, 50) : undefined });
        }
      }
    }
    const text = result.text ?? JSON.stringify(result.body);
    res.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(result.headers ?? {}) });
    res.end(text);
    if (result.cache) metrics.recordCache(result.cache);
    metrics.recordRequest({ operation: result.operationName, tenant, status: result.status, durationSec: (performance.now() - started) / 1000 });
    if (result.status >= 400 && result.body?.errors) for (const e of result.body.errors as Array<{ extensions?: { code?: string } }>) metrics.recordError(e.extensions?.code ?? 'UNKNOWN', tenant);
  };

  const serveAi = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const principal = await authenticate(req);
    if (!principal) return sendJson(res, 401, { error: { message: 'Missing or invalid credentials', type: 'authentication_error', code: 'unauthenticated', param: null } });
    const decision = await takeRateLimit(principal, planFor(principal.tenant));
    if (decision && !decision.allowed) {
      return sendJson(res, 429, { error: { message: 'Rate limit exceeded', type: 'rate_limit_error', code: 'rate_limited', param: null } }, decision.headers);
    }
    await proxyToAiSubgraph(req, res, { principal, aiGraphqlUrl, secret: options.subgraphSecret, maxBodyBytes, path: url.pathname });
  };

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (url.pathname.startsWith('/v1/')) return serveAi(req, res, url);
    switch (url.pathname) {
      case '/health':
        return sendJson(res, 200, { status: 'ok' });
      case '/ready':
        return apiSchema ? sendJson(res, 200, { status: 'ready', supergraph: options.source.currentVersion }) : sendJson(res, 503, { status: 'starting' });
      case '/metrics':
        for (const b of subgraphCalls.breakerStates()) metrics.setBreakerState(b.subgraph, b.url, b.state);
        return metrics.handler(req, res);
      case '/graphql':
        if (introspection && wantsGraphiQL(req)) return serveGraphiQLPage(res, '/graphql');
        return serveGraphQL(req, res, url);
      default:
        if (introspection && url.pathname.startsWith('/graphiql/') && serveGraphiQLAsset(url.pathname, res)) return;
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${url.pathname}` } });
    }
  };

  const server = await listen(handler, { port: options.port, host: options.host, onError: (err) => logger.error({ err }, 'request failed') });
  return {
    ...server,
    ready,
    isReady: () => apiSchema !== null,
    apollo,
    close: async () => {
      await server.close();
      await ready.catch(() => undefined);
      await apollo.stop();
      await subgraphCalls.close();
      await options.usage?.flush();
    },
  };
}
