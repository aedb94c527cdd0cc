/**
 * The gateway's options from charter.config.yaml: keys, JWT, tenants, the subgraph secret. With a
 * registry, its tenants (policies, keys) are merged over the configured ones (registry wins per
 * tenant id) and followed at run time: the returned `tenantSource` keeps the directories current.
 */
import type { CharterConfig } from './config';
import type { Logger } from '../core/logger';
import { loadSubgraphSecret } from '../core/principal-signature';
import { loadOrCreateSecret } from '../core/atomic-file';
import { ApiKeyDirectory, ensureDemoKeys, type DemoKey } from '../gateway/auth/api-keys';
import { createJwtVerifier } from '../gateway/auth/jwt';
import path from 'node:path';
import Redis from 'ioredis';
import { registerTracing } from '../gateway/observability';
import type { SubgraphSettings } from '../gateway/resilience';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/server';
import type { SharedBucketStore } from '../gateway/traffic/rate-limit';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { registrySupergraphSource } from '../gateway/supergraph/registry-source';
import { createUsageReporter } from '../gateway/usage/usage-reporter';
import { createCallLogWriter } from '../analytics/call-log-writer';
import { CallLogClient } from '../schema-registry/client/call-log-client';
import { RegistryClient } from '../schema-registry/client/registry-client';
import type { SupergraphSource } from '../gateway/supergraph/supergraph-source';
import { mergeTenants, registryTenantSource, type RegistryTenantSource } from '../gateway/tenants/registry-tenant-source';
import { TenantDirectory } from '../gateway/tenants/tenant-directory';

/** Where the gateway follows the registry's tenants. */
export interface RegistryTenantsOptions {
  url: string;
  variant: string;
  /** A registry token with the reader role. */
  token?: string;
  /** Last tenant set seen, for starting while the registry is down (e.g. `.charter/last-tenants.json`). */
  cacheFile?: string;
  /** Long-poll wait; default 25000. */
  waitMs?: number;
}

export interface GatewayFromConfig {
  options: GatewayOptions;
  demoKeys: DemoKey[];
  /**
   * Follows the registry's tenants (null without `registry`). Await `ready` before serving so
   * registry-only keys work from the first request; `close` it when the gateway stops.
   */
  tenantSource: RegistryTenantSource | null;
}

export function gatewayOptionsFromConfig(config: CharterConfig, source: SupergraphSource, logger: Logger, registry?: RegistryTenantsOptions): GatewayFromConfig {
  const hasDemo = config.tenants.some((t) => t.apiKeys.some((k) => 'demo' in k));
  const demoKeys = hasDemo ? ensureDemoKeys(config.dataDir, config.tenants) : [];
  const keys = new ApiKeyDirectory(config.tenants, demoKeys);
  const tenants = new TenantDirectory(config.tenants);
  const tenantSource = registry
    ? registryTenantSource({
        registryUrl: registry.url,
        variant: registry.variant,
        token: registry.token,
        cacheFile: registry.cacheFile,
        waitMs: registry.waitMs,
        logger,
        onChange: (fromRegistry, versionId) => {
          const merged = mergeTenants(config.tenants, fromRegistry);
          const { changed, invalid } = tenants.update(merged);
          keys.update(merged);
          for (const bad of invalid) logger.error({ tenant: bad.tenant, errors: bad.errors }, 'a registry tenant policy is invalid: the tenant is refused until it is fixed');
          if (changed.length) logger.info({ version: versionId, changed }, 'tenants updated from the registry');
        },
      })
    : null;
  return {
    demoKeys,
    tenantSource,
    options: {
      source,
      keys,
      // Looked up in the live directory, so a tenant added in the registry may use JWTs at once.
      jwt: config.auth.jwt ? createJwtVerifier(config.auth.jwt, (id) => tenants.tenants.has(id)) : undefined,
      tenants,
      subgraphSecret: loadSubgraphSecret(config.dataDir),
      metricsToken: loadMetricsToken(config.dataDir),
      port: config.gateway.port,
      host: config.gateway.host,
      maxBodyBytes: config.gateway.maxBodyBytes,
      introspection: config.gateway.introspection,
      logger,
      limits: config.gateway.limits,
      rateLimitFailOpen: config.gateway.rateLimit.failOpen,
      cache: config.gateway.cache.enabled ? config.gateway.cache : false,
      dedupe: config.gateway.dedupe,
      subgraphs: config.gateway.subgraphs as Record<string, SubgraphSettings>,
      upstreamErrorDetails: config.gateway.upstreamErrorDetails,
    },
  };
}

export interface StartedGateway {
  gateway: RunningGateway;
  demoKeys: DemoKey[];
  registryUrl: string | null;
  /** Re-reads a supergraph file (a registry source follows the registry by itself); the version served. */
  reloadSupergraph(): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * The gateway as `charter gateway` and `charter dev` run it: its supergraph from a file or from
 * the registry (long-poll, plus Redis notifications when Redis is configured), tenants followed in
 * the registry, Redis shared for limits and cache, field usage reported to the registry.
 */
/** The bearer token `/metrics` requires: `CHARTER_METRICS_TOKEN`, else one made in the data directory. */
export function loadMetricsToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.CHARTER_METRICS_TOKEN || loadOrCreateSecret(dataDir, 'metrics-token');
}

export async function startGatewayFromConfig(
  config: CharterConfig,
  options: { supergraphFile?: string; registryUrl?: string; /** Default env CHARTER_REGISTRY_TOKEN: a token with scopes read and report-usage. */ registryToken?: string; variant?: string; port?: number; host?: string; logger: Logger; sharedBuckets?: SharedBucketStore },
): Promise<StartedGateway> {
  const { logger } = options;
  const variant = options.variant ?? config.gateway.variant;
  const registryUrl = options.supergraphFile ? null : (options.registryUrl ?? config.registry.url ?? `http://127.0.0.1:${config.gateway.port + 1}`);
  const token = options.registryToken ?? (process.env.CHARTER_REGISTRY_TOKEN || undefined);
  const redisUrl = config.gateway.redisUrl;
  const fileSource = options.supergraphFile ? fileSupergraphSource(path.resolve(options.supergraphFile)) : null;
  const source = fileSource
    ? fileSource
    : registrySupergraphSource({ registryUrl: registryUrl!, variant, token, redisUrl, cacheFile: path.join(config.dataDir, 'last-supergraph.json'), logger: logger.child({ part: 'supergraph' }) });
  const built = gatewayOptionsFromConfig(config, source, logger, registryUrl ? { url: registryUrl, variant, token, cacheFile: path.join(config.dataDir, 'last-tenants.json') } : undefined);
  const closers: Array<() => Promise<unknown>> = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    if (built.tenantSource) {
      closers.push(() => built.tenantSource!.close());
      await built.tenantSource.ready;
    }
    let redis: Redis | undefined;
    if (redisUrl) {
      redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
      redis.on('error', (err) => logger.warn({ err: String(err) }, 'Redis connection error'));
      closers.push(() => redis!.quit().catch(() => redis!.disconnect()));
    }
    const usage =
      registryUrl && config.gateway.usageReporting.enabled
        ? createUsageReporter({ sink: new RegistryClient(registryUrl, token), flushIntervalMs: config.gateway.usageReporting.flushIntervalMs, logger })
        : undefined;
    if (usage) closers.push(() => usage.close());
    const { callLog: callLogConfig } = config.gateway;
    const callLog =
      registryUrl && callLogConfig.enabled
        ? createCallLogWriter({
            sink: new CallLogClient(registryUrl, token),
            maxBatch: callLogConfig.maxBatch,
            flushIntervalMs: callLogConfig.flushIntervalMs,
            onError: (err) => logger.warn({ err: String(err) }, 'a call-log batch could not be stored; counted in charter_call_log_dropped_total'),
          })
        : undefined;
    if (callLog) closers.push(() => callLog.close());
    const tracing = registerTracing({ serviceName: 'charter-gateway' });
    if (tracing.status === 'enabled') {
      closers.push(() => tracing.shutdown());
      // Said once at start, so an operator can tell a production install exports spans.
      logger.info({ endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'OpenTelemetry tracing enabled: exporting spans over OTLP/HTTP');
    } else if (tracing.status === 'unavailable' && process.env.OTEL_EXPORTER_OTLP_ENDPOINT) logger.warn({ missing: tracing.missing }, 'OpenTelemetry tracing asked for but packages are missing');
    const gateway = await startGateway({ ...built.options, redis, sharedBuckets: redis ? undefined : options.sharedBuckets, usage, callLog, tracing: tracing.status === 'enabled', port: options.port ?? config.gateway.port, host: options.host ?? config.gateway.host });
    closers.push(() => gateway.close());
    const reloadSupergraph = async () => (fileSource ? fileSource.reload() : source.currentVersion);
    return { gateway, demoKeys: built.demoKeys, registryUrl, reloadSupergraph, close };
  } catch (err) {
    await close();
    throw err;
  }
}
