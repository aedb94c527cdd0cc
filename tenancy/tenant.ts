/**
 * A tenant as the gateway serves it, whichever source it came from (the configuration file or the
 * registry). Deliberately not the YAML config type: the registry's records are converted into this,
 * and the config's tenants are assignable to it.
 */
import type { Plan } from './plan';

/** A key the tenant may present: a demo key generated on first start, or a stored SHA-256 hash. */
export type TenantApiKey = { id: string; demo: true } | { id: string; sha256: string };

export interface Tenant {
  id: string;
  name?: string;
  description?: string;
  roles: string[];
  scopes: string[];
  apiKeys: TenantApiKey[];
  plan: Plan;
  /** The field policy as written (parsed and checked by the gateway's tenant directory). */
  policy?: unknown;
}
