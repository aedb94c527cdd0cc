/**
 * One gateway under test, in a process of its own so its CPU time is its own:
 *  - `apollo`: plain `@apollo/gateway` behind Apollo Server 5's `startStandaloneServer`;
 *  - `charter`: Charter's `startGateway` with API keys, tenants (one with the generated policy, one
 *    without), in-memory rate limits, metrics, and the cache and deduplication as told;
 *  - `hive`: Hive Gateway's runtime (`createGatewayRuntime`) on node:http.
 * All read the same supergraph file.
 *
 *   node dist/bench/gateway-process.js '{"kind":"charter","supergraphFile":"…","policyFile":"…","cache":false,"dedupe":false}'
 */
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { fetch as undiciFetch } from 'undici';
import type { TenantConfig } from '../cli/config';
import { ApiKeyDirectory, hashApiKey } from '../gateway/auth/api-keys';
import { startGateway } from '../gateway/server';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { TenantDirectory } from '../gateway/tenants/tenant-directory';
import { primaryBucketStore } from '../gateway/traffic/rate-limit';
import { BENCH_ROLES, BENCH_SCOPES } from './bench-policy';
import { reportFailure, reportReady, serveParent } from './child-ipc';
import { runClusterPrimary } from './cluster-relay';
import { BENCH_LIMITS } from './gateway-bound/queries';

export interface GatewayProcessOptions {
  kind: 'apollo' | 'apollo-undici' | 'charter' | 'charter-bare' | 'hive';
  supergraphFile: string;
  /** Charter: the policy of tenant `bench-policy` (JSON file). */
  policyFile?: string;
  /** Charter: response cache on. */
  cache?: boolean;
  /** Charter: in-flight deduplication; Hive: deduplication of identical subgraph requests. */
  dedupe?: boolean;
  /** Charter: this many worker processes (node:cluster), limits kept by the primary. */
  workers?: number;
}

/** API keys of the two Charter tenants: the same principal, one with the 200-rule policy, one without. */
export const BENCH_KEYS = { policy: 'bench-key-with-policy-0123456789', open: 'bench-key-without-policy-0123456789' };

// A limit no benchmark reaches, so every request pays for the buckets but none is refused.
const HIGH_LIMIT = { requestsPerMinute: 1_000_000_000, burst: 1_000_000_000, perKey: { requestsPerMinute: 1_000_000_000, burst: 1_000_000_000 } };

function benchTenants(policy: unknown): TenantConfig[] {
  const common = { roles: BENCH_ROLES, scopes: BENCH_SCOPES, plan: { rateLimit: HIGH_LIMIT } };
  return [
    { id: 'bench-policy', ...common, apiKeys: [{ id: 'bench-policy-key', sha256: hashApiKey(BENCH_KEYS.policy) }], policy },
    { id: 'bench-open', ...common, apiKeys: [{ id: 'bench-open-key', sha256: hashApiKey(BENCH_KEYS.open) }] },
  ];
}

async function startCharter(options: GatewayProcessOptions): Promise<{ url: string; close(): Promise<void> }> {
  const policy = options.policyFile ? JSON.parse(fs.readFileSync(options.policyFile, 'utf8')) : undefined;
  const tenants = benchTenants(policy);
  const gateway = await startGateway({
    source: fileSupergraphSource(options.supergraphFile),
    keys: new ApiKeyDirectory(tenants),
    tenants: new TenantDirectory(tenants),
    subgraphSecret: 'bench-secret-bench-secret-bench-secret',
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    limits: BENCH_LIMITS,
    cache: options.cache ? { defaultTtlSec: 60, maxTtlSec: 300 } : false,
    dedupe: options.dedupe ?? false,
    sharedBuckets: cluster.isWorker ? primaryBucketStore() : undefined,
  });
  await gateway.ready;
  return { url: `${gateway.url}/graphql`, close: () => gateway.close() };
}

/**
 * Charter with every optional layer off: anonymous (no keys, no tenants, so no policy and no rate
 * limits), no cache, no deduplication. Metrics and the principal signature cannot be turned off.
 */
async function startCharterBare(options: GatewayProcessOptions): Promise<{ url: string; close(): Promise<void> }> {
  const gateway = await startGateway({
    source: fileSupergraphSource(options.supergraphFile),
    subgraphSecret: 'bench-secret-bench-secret-bench-secret',
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    limits: BENCH_LIMITS,
    cache: false,
    dedupe: false,
  });
  await gateway.ready;
  return { url: `${gateway.url}/graphql`, close: () => gateway.close() };
}

/** Apollo Gateway's `RemoteGraphQLDataSource` with undici's fetch as its fetcher: the fair transport. */
function undiciDataSource({ url }: { url?: string }): RemoteGraphQLDataSource {
  return new RemoteGraphQLDataSource({ url, fetcher: undiciFetch as never });
}

async function startApollo(options: GatewayProcessOptions): Promise<{ url: string; close(): Promise<void> }> {
  const supergraphSdl = fs.readFileSync(options.supergraphFile, 'utf8');
  // As Charter does (gateway/server.ts): no usage metrics to Apollo, no cloud metadata probes, so
  // the plain row does no work the others skip.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway(options.kind === 'apollo-undici' ? { supergraphSdl, buildService: undiciDataSource } : { supergraphSdl });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, close: () => server.stop() };
}

async function startHive(options: GatewayProcessOptions): Promise<{ url: string; close(): Promise<void> }> {
  // ESM-first package with a CommonJS build; loaded lazily so the other kinds never pay for it.
  const { createGatewayRuntime } = await import('@graphql-hive/gateway');
  const runtime = createGatewayRuntime({
    supergraph: options.supergraphFile,
    logging: false,
    transportEntries: options.dedupe === false ? { '*.http': { options: { deduplicateInflightRequests: false } } } : undefined,
  });
  const server = http.createServer(runtime);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as GatewayProcessOptions;
  if (options.kind === 'charter' && (options.workers ?? 1) > 1 && cluster.isPrimary) return runClusterPrimary(options.workers!);
  const started =
    options.kind === 'charter'
      ? await startCharter(options)
      : options.kind === 'charter-bare'
        ? await startCharterBare(options)
        : options.kind === 'apollo' || options.kind === 'apollo-undici'
          ? await startApollo(options)
          : await startHive(options);
  serveParent(() => started.close());
  reportReady({ url: started.url });
}

if (require.main === module) main().catch(reportFailure);
