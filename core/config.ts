/**
 * Configuration: one YAML file (`charter.config.yaml`) plus environment variables, validated at
 * start with zod. Every problem is reported at once with the key that is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { jwtConfigSchema } from '../gateway/auth/jwt';
import { operationLimitsSchema, planSchema } from '../gateway/plan';
import { aiConfigSchema } from '../subgraphs/ai/models';
import { registryGovernanceSchema } from '../schema-registry/governance-options';

const port = z.number().int().min(0).max(65535);

const apiKeySchema = z.union([
  /** A key generated on first start and written to `.charter/demo-keys.json` (the embedded default). */
  z.object({ id: z.string().min(1), demo: z.literal(true) }).strict(),
  /** A key known only by its SHA-256 hash (hex), as keys must be stored. */
  z.object({ id: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters') }).strict(),
]);

const tenantSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    name: z.string().optional(),
    description: z.string().optional(),
    roles: z.array(z.string()).default([]),
    scopes: z.array(z.string()).default([]),
    apiKeys: z.array(apiKeySchema).default([]),
    plan: planSchema.default({}),
    policy: z.unknown().optional(),
  })
  .strict();

const restSubgraphSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    kind: z.literal('rest'),
    schema: z.string().min(1),
    mapping: z.string().min(1),
    /** Base URL of the wrapped REST API; `demo:NAME` means the built-in demo backend NAME. */
    baseUrl: z.string().min(1),
    owner: z.string().optional(),
    /** Hand-written resolvers to merge: a CommonJS module path (relative to the config) or `demo:NAME`. */
    resolvers: z.string().optional(),
    timeoutMs: z.number().int().positive().optional(),
    /** Cache hint (seconds) the subgraph sends with its answers, so the gateway may cache them; 0 = none. */
    cacheMaxAgeSec: z.number().int().min(0).default(0),
  })
  .strict();

export const configSchema = z
  .object({
    /** Where state lives (registry store, demo keys, last good supergraph). Relative to the config file. */
    dataDir: z.string().default('.charter'),
    gateway: z
      .object({
        port: port.default(4000),
        host: z.string().default('127.0.0.1'),
        maxBodyBytes: z.number().int().positive().default(1_048_576),
        /** Introspection and GraphiQL; off by default in production. */
        introspection: z.boolean().optional(),
        supergraphPollIntervalMs: z.number().int().positive().default(1000),
        variant: z.string().default('prod'),
        /** Shared state for replicas (rate limits, cache, schema updates); memory when absent. */
        redisUrl: z.string().url().optional(),
        rateLimit: z.object({ failOpen: z.boolean().default(true) }).strict().default({}),
        cache: z
          .object({
            enabled: z.boolean().default(true),
            /** TTL for answers whose subgraphs sent no cache hint; 0 caches only hinted answers. */
            defaultTtlSec: z.number().int().min(0).default(0),
            maxTtlSec: z.number().int().positive().default(300),
            maxEntries: z.number().int().positive().default(10_000),
          })
          .strict()
          .default({}),
        /** Share one execution among identical in-flight queries of one permission set. */
        dedupe: z.boolean().default(true),
        /** Limits for every operation; a tenant's plan may change them. */
        limits: operationLimitsSchema.default({ maxDepth: 15, maxAliases: 30, maxRootFields: 20, maxDirectives: 50, maxCost: 100_000, maxTokens: 10_000 }),
        /** Per-subgraph timeouts, retries, breaker, extra URLs (see gateway/resilience/types.ts). */
        subgraphs: z.record(z.record(z.unknown())).default({}),
        /** Field usage reported to the registry (what its usage-based checks read). */
        usageReporting: z.object({ enabled: z.boolean().default(true), flushIntervalMs: z.number().int().positive().default(2000) }).strict().default({}),
      })
      .strict()
      .default({}),
    registry: z
      .object({
        /** URL of a running registry; when absent, `charter dev` runs one at gateway port + 1. */
        url: z.string().url().optional(),
        port: port.optional(),
        /** Host names the registry answers for besides loopback names and IP literals (its DNS name in a cluster); `*` for any. Env CHARTER_REGISTRY_ALLOWED_HOSTS. */
        allowedHosts: z.array(z.string().min(1)).optional(),
        /** Browser origins (`https://console.example.com`) allowed to call the registry besides its own. */
        allowedOrigins: z.array(z.string().url()).optional(),
      })
      .strict()
      .default({}),
    auth: z
      .object({ jwt: jwtConfigSchema.optional() })
      .strict()
      .default({}),
    tenants: z.array(tenantSchema).default([]),
    subgraphs: z.array(restSubgraphSchema).default([]),
    /** The AI subgraph: providers, models, routes, budgets (defaults: the local deterministic model). */
    ai: aiConfigSchema.optional(),
    /** The registry's checks: lint severities, usage window, composition worker (schema-registry/governance-options.ts). */
    governance: registryGovernanceSchema.optional(),
  })
  .strict();

export type CharterConfig = z.infer<typeof configSchema> & { configDir: string };
export type TenantConfig = z.infer<typeof tenantSchema>;
export type RestSubgraphConfig = z.infer<typeof restSubgraphSchema>;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Turn zod issues into lines that name the bad key, e.g. `gateway.port: Expected number`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/**
 * Load and validate the config. A missing file is the empty config (defaults only); environment
 * variables override the file: PORT, HOST, CHARTER_DATA_DIR, CHARTER_REGISTRY_URL.
 */
export function loadConfig(file = process.env.CHARTER_CONFIG ?? 'charter.config.yaml', env: NodeJS.ProcessEnv = process.env): CharterConfig {
  const absolute = path.resolve(file);
  let raw: unknown = {};
  if (fs.existsSync(absolute)) {
    try {
      raw = YAML.parse(fs.readFileSync(absolute, 'utf8')) ?? {};
    } catch (err) {
      throw new ConfigError(absolute, [`not valid YAML: ${(err as Error).message}`]);
    }
  } else if (file !== 'charter.config.yaml' || env.CHARTER_CONFIG) {
    throw new ConfigError(absolute, ['file not found']);
  }
  const merged = applyEnv(raw, env);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(absolute, describeIssues(parsed.error));
  const configDir = path.dirname(absolute);
  return { ...parsed.data, dataDir: path.resolve(configDir, parsed.data.dataDir), configDir };
}

function applyEnv(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const out = { ...(raw as Record<string, any>) };
  const problems: string[] = [];
  const num = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) problems.push(`${name}: expected an integer, got "${v}"`);
    return n;
  };
  const portEnv = num('PORT');
  if (portEnv !== undefined || env.HOST) {
    out.gateway = { ...(out.gateway ?? {}) };
    if (portEnv !== undefined) out.gateway.port = portEnv;
    if (env.HOST) out.gateway.host = env.HOST;
  }
  if (env.CHARTER_DATA_DIR) out.dataDir = env.CHARTER_DATA_DIR;
  if (env.CHARTER_REGISTRY_URL) out.registry = { ...(out.registry ?? {}), url: env.CHARTER_REGISTRY_URL };
  if (env.REDIS_URL) out.gateway = { ...(out.gateway ?? {}), redisUrl: env.REDIS_URL };
  if (problems.length) throw new ConfigError('environment', problems);
  return out;
}
