/**
 * The tenants the gateway knows: each one's policy, compiled once per supergraph schema (a new
 * supergraph recompiles lazily), and its plan. A tenant without a policy may query everything.
 *
 * The set can be swapped at run time (`update`, fed by the registry): a tenant whose policy changed
 * gets a new policy object, and compiled entries are memoised against that object, so a request
 * can never be answered from a compilation of the old policy; its `policyVersion` changes too, so
 * caches keyed by it miss. Tenants whose policy did not change keep their compiled entries.
 */
import type { GraphQLSchema } from 'graphql';
import type { Tenant } from '../../tenancy/tenant';
import { compilePolicy, isCompileFailure, type CompiledPolicy, type PolicyCompileError } from '../policy/compile';
import { parsePolicy, type Policy } from '../../tenancy/policy';

export type TenantPolicy = { status: 'none' } | { status: 'compiled'; policy: CompiledPolicy } | { status: 'invalid'; errors: PolicyCompileError[] };

/** What a tenant's policy is now; compiled entries are memoised against this object's identity. */
type PolicyState = { kind: 'policy'; policy: Policy; canonical: string } | { kind: 'invalid'; errors: PolicyCompileError[]; version: string };

export interface TenantDirectoryUpdate {
  /** Tenants added, removed, or whose record changed. */
  changed: string[];
  /** Tenants whose policy does not parse: they are refused every operation (fail closed) until fixed. */
  invalid: Array<{ tenant: string; errors: string[] }>;
}

const NONE: TenantPolicy = Object.freeze({ status: 'none' }) as TenantPolicy;

export class TenantDirectory {
  private states = new Map<string, PolicyState>();
  private compiled = new WeakMap<GraphQLSchema, Map<string, { state: PolicyState; entry: TenantPolicy }>>();
  private current: ReadonlyMap<string, Tenant>;
  /** Distinguishes successive policies that carry the same version label. */
  private revision = 0;
  /** Every `tenant\nversion` handed out, with the policy content it named. */
  private readonly versionsSeen = new Map<string, string>();

  /** Throws when a policy is invalid: configuration is checked at start. */
  constructor(tenants: Tenant[]) {
    const problems: string[] = [];
    tenants.forEach((tenant, index) => {
      if (tenant.policy === undefined) return;
      const parsed = parsePolicy(tenant.policy);
      if (parsed.status === 'invalid') problems.push(...parsed.errors.map((e) => `tenants.${index}.policy: ${e}`));
    });
    if (problems.length) throw new Error(`Invalid tenant policies:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.current = new Map();
    this.update(tenants);
  }

  /** The tenants now known, by id. */
  get tenants(): ReadonlyMap<string, Tenant> {
    return this.current;
  }

  /**
   * Replaces the whole tenant set (the registry's, merged over the configuration's). Never throws:
   * a policy that does not parse makes its tenant fail closed rather than keeping a stale policy.
   */
  update(tenants: Tenant[]): TenantDirectoryUpdate {
    const states = new Map<string, PolicyState>();
    const invalid: TenantDirectoryUpdate['invalid'] = [];
    for (const tenant of tenants) {
      if (tenant.policy === undefined) continue;
      const previous = this.states.get(tenant.id);
      const parsed = parsePolicy(tenant.policy);
      if (parsed.status === 'invalid') {
        invalid.push({ tenant: tenant.id, errors: parsed.errors });
        states.set(tenant.id, { kind: 'invalid', errors: parsed.errors.map((message) => ({ coordinate: '(policy)', message })), version: `invalid:${tenant.id}:${++this.revision}` });
        continue;
      }
      const label = parsed.policy.version ?? `config:${tenant.id}`;
      // The content without its label: the same rules under a new label (the registry labels by
      // tenant version, which a new API key also moves) keep their compiled entries and version.
      const canonical = JSON.stringify({ ...parsed.policy, version: undefined });
      if (previous?.kind === 'policy' && previous.canonical === canonical) {
        states.set(tenant.id, previous);
        continue;
      }
      // A version string ever used for other content (an edited config, a registry that reuses a
      // label) is never used again: caches keyed by it could still hold that content's answers.
      let version = label;
      while (this.versionsSeen.has(`${tenant.id}\n${version}`) && this.versionsSeen.get(`${tenant.id}\n${version}`) !== canonical) version = `${label}~${++this.revision}`;
      this.versionsSeen.set(`${tenant.id}\n${version}`, canonical);
      states.set(tenant.id, { kind: 'policy', policy: { ...parsed.policy, version }, canonical });
    }
    const next = new Map(tenants.map((t) => [t.id, t]));
    const changed = [...new Set([...next.keys(), ...this.current.keys()])].filter((id) => JSON.stringify(next.get(id)) !== JSON.stringify(this.current.get(id)) || states.get(id) !== this.states.get(id));
    // Swapped together, after everything is built: a request sees the old set or the new one, never half.
    this.states = states;
    this.current = next;
    return { changed: changed.sort(), invalid };
  }

  /** The tenant's policy compiled against `schema` (memoised per schema object and policy). */
  policyFor(tenant: string, schema: GraphQLSchema): TenantPolicy {
    const state = this.states.get(tenant);
    if (!state) return NONE;
    if (state.kind === 'invalid') return { status: 'invalid', errors: state.errors };
    let perSchema = this.compiled.get(schema);
    if (!perSchema) {
      perSchema = new Map();
      this.compiled.set(schema, perSchema);
    }
    const memo = perSchema.get(tenant);
    if (memo && memo.state === state) return memo.entry;
    const result = compilePolicy(state.policy, schema);
    const entry: TenantPolicy = isCompileFailure(result) ? { status: 'invalid', errors: result.errors } : { status: 'compiled', policy: result };
    perSchema.set(tenant, { state, entry });
    return entry;
  }

  /** Identity of a tenant's policy, for cache keys: it changes whenever the policy does. */
  policyVersion(tenant: string): string {
    const state = this.states.get(tenant);
    if (!state) return 'none';
    return state.kind === 'policy' ? state.policy.version! : state.version;
  }
}
