/**
 * Configuration, assembled at the composition root: one YAML file (`charter.config.yaml`) plus
 * environment variables, validated at start with zod. Each part owns its section (gateway/config.ts,
 * schema-registry/config.ts, tenancy/tenant-config.ts, subgraphs/rest/config.ts, subgraphs/ai/models.ts);
 * every problem is reported at once with the key that is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { ConfigError, describeIssues } from '../core/config-errors';
import { gatewayAuthSectionSchema, gatewaySectionSchema } from '../gateway/config';
import { registryGovernanceSchema, registrySectionSchema } from '../schema-registry/config';
import { aiConfigSchema } from '../subgraphs/ai/models';
import { restSubgraphSchema, type RestSubgraphConfig } from '../subgraphs/rest/config';
import { tenantConfigSchema, type TenantConfig } from '../tenancy/tenant-config';

export { ConfigError };

export const configSchema = z
  .object({
    /** Where state lives (registry store, demo keys, last good supergraph). Relative to the config file. */
    dataDir: z.string().default('.charter'),
    gateway: gatewaySectionSchema,
    registry: registrySectionSchema,
    auth: gatewayAuthSectionSchema,
    tenants: z.array(tenantConfigSchema).default([]),
    subgraphs: z.array(restSubgraphSchema).default([]),
    /** The AI subgraph: providers, models, routes, budgets (defaults: the local deterministic model). */
    ai: aiConfigSchema.optional(),
    /** The registry's checks: lint severities, usage window, composition worker (schema-registry/governance-options.ts). */
    governance: registryGovernanceSchema.optional(),
  })
  .strict();

export type CharterConfig = z.infer<typeof configSchema> & { configDir: string };
export type { TenantConfig, RestSubgraphConfig };

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
