/**
 * The tenants the gateway knows: each one's policy, compiled once per supergraph schema (a new
 * supergraph recompiles lazily), and its plan. A tenant without a policy may query everything.
 */
import type { GraphQLSchema } from 'graphql';
import type { TenantConfig } from '../../core/config';
import { compilePolicy, isCompileFailure, type CompiledPolicy, type PolicyCompileError } from '../policy/compile';
import { parsePolicy, type Policy } from '../policy/policy';

export type TenantPolicy = { status: 'none' } | { status: 'compiled'; policy: CompiledPolicy } | { status: 'invalid'; errors: PolicyCompileError[] };

export class TenantDirectory {
  private readonly policies = new Map<string, Policy>();
  private readonly compiled = new WeakMap<GraphQLSchema, Map<string, TenantPolicy>>();
  readonly tenants: ReadonlyMap<string, TenantConfig>;

  constructor(tenants: TenantConfig[]) {
    const problems: string[] = [];
    tenants.forEach((tenant, index) => {
      if (tenant.policy === undefined) return;
      const parsed = parsePolicy(tenant.policy);
      if (parsed.status === 'invalid') problems.push(...parsed.errors.map((e) => `tenants.${index}.policy: ${e}`));
      else this.policies.set(tenant.id, { ...parsed.policy, version: parsed.policy.version ?? `config:${tenant.id}` });
    });
    if (problems.length) throw new Error(`Invalid tenant policies:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.tenants = new Map(tenants.map((t) => [t.id, t]));
  }

  /** The tenant's policy compiled against `schema` (memoised per schema object). */
  policyFor(tenant: string, schema: GraphQLSchema): TenantPolicy {
    let perSchema = this.compiled.get(schema);
    if (!perSchema) {
      perSchema = new Map();
      this.compiled.set(schema, perSchema);
    }
    let entry = perSchema.get(tenant);
    if (!entry) {
      const policy = this.policies.get(tenant);
      if (!policy) entry = { status: 'none' };
      else {
        const result = compilePolicy(policy, schema);
        entry = isCompileFailure(result) ? { status: 'invalid', errors: result.errors } : { status: 'compiled', policy: result };
      }
      perSchema.set(tenant, entry);
    }
    return entry;
  }

  /** Identity of a tenant's policy, for cache keys. */
  policyVersion(tenant: string): string {
    return this.policies.get(tenant)?.version ?? 'none';
  }
}
