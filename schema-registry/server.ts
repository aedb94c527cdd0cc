/**
 * Start a registry: its version store (files under `dataDir`, or Redis), the usage store, the
 * publisher with its checks, the JSON and GraphQL APIs, and (with Redis) supergraph notifications.
 */
import path from 'node:path';
import { listen, type RunningServer } from '../core/http';
import { bearerTokenReader, isLoopbackHostname, parseRegistryTokens, RegistryAuthenticator, type CredentialReader, normaliseRegistryTokens, type RegistryToken, type RegistryTokenInput } from './auth';
import { createLogger, type Logger } from '../core/logger';
import type { RegistryGovernanceInput } from './governance-options';
import { createRegistryGraphQLServer, graphqlHandler } from './graphql-api';
import { createRegistryHandler } from './http-api';
import { SupergraphNotifier, type NotificationOptions } from './client/schema-notifications';
import { SchemaPublisher } from './publisher';
import { FileRegistryStore } from './store/file-store';
import { RedisRegistryStore } from './store/redis-store';
import type { RegistryStore } from './store/registry-store';
import { FileTenantStore } from './tenants/file-tenant-store';
import { RedisTenantStore } from './tenants/redis-tenant-store';
import { TenantService } from './tenants/tenant-service';
import type { TenantStore } from './tenants/tenant-store';
import { FileUsageStore } from './usage/file-usage-store';
import { RedisUsageStore } from './usage/redis-usage-store';
import type { UsageStore } from './usage/usage-store';
import { ConsoleService, type ConsoleServiceOptions } from './console/console-service';
import { createConsoleHandler } from './console/console-api';
import { FileConsoleStore } from './console/file-console-store';
import { RedisConsoleStore } from './console/redis-console-store';
import type { ConsoleStore } from './console/console-store';
import type { CallStore } from '../analytics/call-store';
import { openCallStore, scheduleRetention } from './call-store-choice';

export interface RegistryOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** A ready store (tests); otherwise chosen by `storage`. */
  store?: RegistryStore;
  /** A ready tenant store (tests); otherwise beside the version store (files under `dataDir`, or Redis). */
  tenantStore?: TenantStore;
  logger?: Logger;
  /** Redis for notifications and usage (and versions with `storage: 'redis'`). Default: env REDIS_URL. */
  redisUrl?: string;
  /** Where versions live. Default: env CHARTER_REGISTRY_STORE, else 'file'. */
  storage?: 'file' | 'redis';
  /** Prefix of every Redis key the registry writes; default `charter:`. */
  redisKeyPrefix?: string;
  /** Channel prefix of supergraph notifications; default `charter:supergraph:`. */
  notificationChannelPrefix?: NotificationOptions['channelPrefix'];
  /** Registry tokens. Default: env CHARTER_REGISTRY_TOKENS (JSON). At least one is required unless `insecureDev`. */
  tokens?: RegistryTokenInput[];
  /**
   * Serve requests without a credential as if from an admin. Only on a loopback address (refused
   * otherwise); the request guard (Host, Origin, body type) still applies. For tests and local hacking.
   */
  insecureDev?: boolean;
  /** Host names accepted in `Host` besides loopback names and IP literals. Default: env CHARTER_REGISTRY_ALLOWED_HOSTS (comma-separated). */
  allowedHosts?: string[];
  /** Browser origins allowed to call the registry besides its own. Default: env CHARTER_REGISTRY_ALLOWED_ORIGINS (comma-separated). */
  allowedOrigins?: string[];
  /** More credential kinds, tried after bearer tokens (e.g. console sessions). */
  credentials?: CredentialReader[];
  /** A ready usage store (tests); otherwise Redis when `redisUrl` is set, else a file under `dataDir`. */
  usage?: UsageStore;
  /** Lint, usage window, composition worker (schema-registry/governance-options.ts). */
  governance?: RegistryGovernanceInput;
  env?: NodeJS.ProcessEnv;
  /** The console (schema-registry/console/): its store (tests), tenants served from config, where the built app is. */
  console?: { store?: ConsoleStore; baseTenant?: ConsoleServiceOptions['baseTenant']; staticDir?: string };
  /** insight: a ready call store (tests); otherwise PostgreSQL at env CHARTER_ANALYTICS_POSTGRES_URL, else SQLite in `dataDir/analytics`. */
  calls?: CallStore;
}

export interface RunningRegistry extends RunningServer {
  publisher: SchemaPublisher;
  usage: UsageStore;
  tenants: TenantService;
  console: ConsoleService;
  calls: CallStore | undefined;
}

export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('registry');
  const redisUrl = options.redisUrl ?? (env.REDIS_URL || undefined);
  const storage = options.storage ?? (env.CHARTER_REGISTRY_STORE === 'redis' ? 'redis' : 'file');
  if (storage === 'redis' && !redisUrl) throw new Error('registry storage "redis" needs a Redis URL (REDIS_URL)');
  const prefix = options.redisKeyPrefix ?? 'charter:';
  const tokens = options.tokens ? normaliseRegistryTokens(options.tokens, 'tokens') : env.CHARTER_REGISTRY_TOKENS ? parseRegistryTokens(env.CHARTER_REGISTRY_TOKENS) : [];

  const store = options.store ?? (storage === 'redis' ? new RedisRegistryStore(redisUrl!, { prefix: `${prefix}registry:` }) : new FileRegistryStore(path.join(options.dataDir, 'registry')));
  const usage = options.usage ?? (redisUrl ? new RedisUsageStore(redisUrl, { prefix }) : await FileUsageStore.open(path.join(options.dataDir, 'usage')));
  const tenantStore = options.tenantStore ?? (storage === 'redis' ? new RedisTenantStore(redisUrl!, { prefix: `${prefix}registry:` }) : new FileTenantStore(path.join(options.dataDir, 'registry', 'tenants')));
  const tenants = new TenantService(tenantStore, store);
  const calls = options.calls ?? (await openCallStore(options.dataDir, env, logger)); // insight
  const stopRetention = calls ? scheduleRetention(calls, env, logger) : () => undefined; // insight
  const publisher = new SchemaPublisher(store, { usage, governance: options.governance, policies: (variant) => tenants.policiesOf(variant) });
  const host = options.host ?? '127.0.0.1';
  assertSecureStart({ tokens, insecureDev: options.insecureDev === true, host });
  if (options.insecureDev) logger.warn({ host }, 'registry started with --insecure-dev: requests without a token act as admin (loopback only)');
  const auth = new RegistryAuthenticator({
    credentials: [bearerTokenReader(tokens), ...(options.credentials ?? [])],
    insecureDev: options.insecureDev === true,
    allowedHosts: options.allowedHosts ?? listFromEnv(env.CHARTER_REGISTRY_ALLOWED_HOSTS),
    allowedOrigins: options.allowedOrigins ?? listFromEnv(env.CHARTER_REGISTRY_ALLOWED_ORIGINS),
  });

  const notifier = redisUrl ? new SupergraphNotifier(redisUrl, { channelPrefix: options.notificationChannelPrefix }) : null;
  publisher.on('published', (v) => {
    logger.info({ variant: v.variant, version: v.id, action: v.action, subgraph: v.subgraph }, 'published a new supergraph');
    notifier?.notify(v).catch((err: unknown) => logger.warn({ err }, 'could not notify gateways over Redis; they will see the version by polling'));
  });

  const consoleStore = options.console?.store ?? (storage === 'redis' ? new RedisConsoleStore(redisUrl!, { prefix: `${prefix}registry:` }) : new FileConsoleStore(path.join(options.dataDir, 'registry', 'console')));
  const consoleService = new ConsoleService({ store: consoleStore, tenants, schemas: store, usage, baseTenant: options.console?.baseTenant });
  const guard = { allowedHosts: options.allowedHosts ?? listFromEnv(env.CHARTER_REGISTRY_ALLOWED_HOSTS), allowedOrigins: options.allowedOrigins ?? listFromEnv(env.CHARTER_REGISTRY_ALLOWED_ORIGINS) };
  const consoleHandler = createConsoleHandler({ service: consoleService, auth, guard, staticDir: options.console?.staticDir });

  // Every accepted schema change lands in the console's audit log too (a forced one names its verified caller).
  publisher.on('published', (v) => {
    consoleService
      .audit({ actor: v.force ? v.force.by : `author:${v.author ?? 'unknown'}`, action: `schema.${v.action}`, target: `version:${v.variant}/${v.id}`, details: { subgraph: v.subgraph ?? null, ...(v.force ? { forced: v.force.reason } : {}) } })
      .catch((err: unknown) => logger.warn({ err }, 'could not write the audit entry of a schema change'));
  });

  const graphql = createRegistryGraphQLServer(publisher, usage);
  await graphql.start();
  const server = await listen(createRegistryHandler(publisher, { auth, usage, tenants, calls, graphql: graphqlHandler(graphql), console: consoleHandler }), {
    port: options.port,
    host,
    onError: (err) => logger.error({ err }, 'registry request failed'),
  });
  return {
    ...server,
    publisher,
    usage,
    tenants,
    console: consoleService,
    calls,
    close: async () => {
      stopRetention(); // insight
      await server.close();
      await graphql.stop();
      await publisher.close();
      await tenants.close();
      await Promise.all([store.close(), tenantStore.close(), consoleStore.close(), usage.close(), notifier?.close(), calls?.close()]);
    },
  };
}

/**
 * Refuses to start a registry anyone could write to: without tokens it needs `insecureDev`, and
 * `insecureDev` only on a loopback address (so no other machine can reach the open registry).
 */
export function assertSecureStart(options: { tokens: readonly RegistryToken[]; insecureDev: boolean; host: string }): void {
  if (options.insecureDev && !isLoopbackHostname(options.host)) {
    throw new Error(`--insecure-dev is allowed only on a loopback address (127.0.0.1, ::1, localhost), not "${options.host}"`);
  }
  if (options.tokens.length === 0 && !options.insecureDev) {
    throw new Error(
      'the registry has no tokens: set CHARTER_REGISTRY_TOKENS to a JSON array like [{"id":"admin","tokenSha256":"<sha256 of the token>","scopes":["admin"]}] ' +
        '(or start it with --insecure-dev on 127.0.0.1 for local experiments)',
    );
  }
}

function listFromEnv(value: string | undefined): string[] | undefined {
  const list = value?.split(',').map((s) => s.trim()).filter(Boolean);
  return list?.length ? list : undefined;
}
