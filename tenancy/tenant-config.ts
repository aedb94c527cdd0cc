/**
 * Tenants as the configuration file declares them (`tenants:` in charter.config.yaml). The gateway
 * serves these beside the registry's tenants; both become the runtime `Tenant` (tenant.ts).
 */
import { z } from 'zod';
import { planSchema } from './plan';

export const tenantApiKeySchema = z.union([
  /** A key generated on first start and written to `.charter/demo-keys.json` (the embedded default). */
  z.object({ id: z.string().min(1), demo: z.literal(true) }).strict(),
  /** A key known only by its SHA-256 hash (hex), as keys must be stored. */
  z.object({ id: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters') }).strict(),
]);

export const tenantConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    name: z.string().optional(),
    description: z.string().optional(),
    roles: z.array(z.string()).default([]),
    scopes: z.array(z.string()).default([]),
    apiKeys: z.array(tenantApiKeySchema).default([]),
    plan: planSchema.default({}),
    policy: z.unknown().optional(),
  })
  .strict();

export type TenantConfig = z.infer<typeof tenantConfigSchema>;
