/**
 * The two entrances' ordered step lists: what a request goes through, top to bottom. Each step is
 * one file in `steps/`. A new concern (the call log, a field policy on /v1, another executor) is a
 * step added here, not a branch in the server.
 */
import type { CallLogWriter } from '../../analytics/call-log-writer';
import type { ResolvedPlan } from '../../tenancy/plan';
import type { Principal } from '../auth/principal';
import type { Metrics } from '../observability/metrics';
import type { TenantDirectory } from '../tenants/tenant-directory';
import type { RateLimiter } from '../traffic/rate-limit';
import type { InflightDeduper } from '../traffic/response-cache';
import type { UsageReporter } from '../usage/usage-reporter';
import type { DocumentCache } from './document-cache';
import type { ExecutePlan } from './execute-plan';
import type { PersistedQueryStore } from './persisted-queries';
import type { UpstreamErrorDetails } from './upstream-errors';
import type { RequestContext } from './request-context';
import type { GatewayStep } from './step';
import { aiProxyStep } from './steps/ai-proxy';
import { authenticateStep } from './steps/authenticate';
import { authorizeStep } from './steps/authorize';
import { authorizeAiRouteStep } from './steps/authorize-ai-route';
import { cacheLookupStep, type ResponseCaching } from './steps/cache-lookup';
import { cacheStoreStep } from './steps/cache-store';
import { callLogStep } from './steps/call-log';
import { executeStep } from './steps/execute';
import { introspectionStep } from './steps/introspection';
import { limitsStep } from './steps/limits';
import { parseAndValidateStep } from './steps/parse-and-validate';
import { persistedQueryRegisterStep, persistedQueryStep } from './steps/persisted-query';
import { rateLimitStep } from './steps/rate-limit';
import { readRequestStep } from './steps/read-request';
import { selectOperationStep } from './steps/select-operation';
import { supergraphReadyStep, type ServedSupergraph } from './steps/supergraph-ready';
import { trustedDocumentsStep } from './steps/trusted-documents';
import { usageAndMetricsStep } from './steps/usage-and-metrics';

export interface PipelineDeps {
  authenticate(req: RequestContext['req']): Promise<Principal | null> | Principal | null;
  planFor(tenant: string): ResolvedPlan;
  limiter: RateLimiter;
  metrics: Metrics;
  usage: UsageReporter | undefined;
  served(): ServedSupergraph | null;
  maxBodyBytes: number;
  persistedQueries: PersistedQueryStore;
  trustedDocuments: ReadonlySet<string> | undefined;
  documents: DocumentCache;
  tenants: TenantDirectory | null;
  introspection: boolean;
  upstreamErrorDetails: UpstreamErrorDetails;
  caching: ResponseCaching | null;
  deduper: InflightDeduper | null;
  executePlan: ExecutePlan;
  aiGraphqlUrl(): string | null;
  subgraphSecret: string;
  /** The call log (analytics/); absent: off. */
  callLog?: CallLogWriter | undefined;
}

type Steps = Array<GatewayStep<RequestContext>>;

/** `/graphql`: every step of a GraphQL operation. */
export function graphqlSteps(deps: PipelineDeps): Steps {
  return [
    supergraphReadyStep(deps),
    authenticateStep(deps),
    rateLimitStep(deps),
    readRequestStep(deps),
    persistedQueryStep({ store: deps.persistedQueries }),
    trustedDocumentsStep({ trusted: deps.trustedDocuments }),
    parseAndValidateStep(deps),
    selectOperationStep(),
    limitsStep(deps),
    persistedQueryRegisterStep({ store: deps.persistedQueries }),
    introspectionStep({ enabled: deps.introspection }),
    authorizeStep(),
    cacheLookupStep({ caching: deps.caching, dedupe: deps.deduper !== null, tenants: deps.tenants }),
    executeStep(deps),
    cacheStoreStep(deps),
    usageAndMetricsStep(deps),
    callLogStep(deps, 'graphql'),
  ] as Steps;
}

/**
 * `/v1/*`: the OpenAI-compatible streaming proxy reuses the served supergraph, identity, rate limits,
 * the field policy (of the field behind each route), usage and metrics;
 * no GraphQL parsing or planning.
 */
export function aiSteps(deps: PipelineDeps): Steps {
  return [
    supergraphReadyStep(deps),
    authenticateStep(deps),
    rateLimitStep(deps),
    // The field behind the route, against the same compiled policy as GraphQL, before any AI call.
    authorizeAiRouteStep(deps),
    aiProxyStep({ aiGraphqlUrl: deps.aiGraphqlUrl, secret: deps.subgraphSecret, maxBodyBytes: deps.maxBodyBytes }),
    usageAndMetricsStep(deps),
    callLogStep(deps, 'v1'),
  ] as Steps;
}
