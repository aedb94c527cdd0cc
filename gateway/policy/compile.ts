/**
 * Compiles a policy (data) into graphql-shield rules, one per coordinate, and checks that every
 * coordinate it names exists in the schema (the registry's policy check).
 *
 * Shield is the reference evaluator (`isAllowed`); `isAllowedSync` evaluates the same data directly
 * and is what the request path uses, memoised per principal. `policy-evaluators-agree.test.ts`
 * proves both give the same answer.
 */
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { isInterfaceType, isObjectType } from 'graphql';
import { allow, and, deny, not, or, rule } from 'graphql-shield';
import type { IOptions, ShieldRule } from 'graphql-shield/typings/types';
import type { Policy, PolicyPrincipal, Rule } from '../../tenancy/policy';
import { checkPolicyCoordinates, type PolicyCompileError } from '../../tenancy/policy-coordinates';
import { unreachable } from '../../core/errors';

export type { PolicyCompileError };

/** A decision function for one principal: may it select `typeName.fieldName`? */
export type FieldDecision = (typeName: string, fieldName: string) => boolean;

export interface CompiledPolicy {
  readonly version: string | undefined;
  readonly mode: Policy['mode'];
  readonly policy: Policy;
  /** The schema the policy was checked against. */
  readonly schema: GraphQLSchema;
  /** The rule that governs a coordinate: `Type.field`, else `Type.*`, else the fallback. */
  ruleFor(typeName: string, fieldName: string): Rule;
  /** The graphql-shield rule that governs a coordinate (built once, shared). */
  shieldRuleFor(typeName: string, fieldName: string): ShieldRule;
  /** Reference evaluation through graphql-shield; anything but `true` (errors included) denies. */
  isAllowed(typeName: string, fieldName: string, principal: PolicyPrincipal): Promise<boolean>;
  /** The same decision, evaluated synchronously from the data form. */
  isAllowedSync(typeName: string, fieldName: string, principal: PolicyPrincipal): boolean;
  /** A memoised decision function for the principal's roles and scopes. */
  decisionsFor(principal: PolicyPrincipal): FieldDecision;
  /** Every decision of the schema evaluated through shield, as a decision function. */
  shieldDecisionsFor(principal: PolicyPrincipal): Promise<FieldDecision>;
}

export type CompilePolicyResult = CompiledPolicy | { errors: PolicyCompileError[] };

export function isCompileFailure(result: CompilePolicyResult): result is { errors: PolicyCompileError[] } {
  return 'errors' in result;
}

/** Introspection meta-fields are always allowed: the tenant's schema view filters what they show. */
function isIntrospectionField(fieldName: string): boolean {
  // Only meta-fields (`__typename`, `__schema`, `__type`) may start with "__" in GraphQL.
  return fieldName.startsWith('__');
}

const principalKeys = new WeakMap<PolicyPrincipal, string>();

/**
 * The part of a principal a decision depends on: its roles and scopes, sorted. Two principals with
 * the same key get the same decisions, so it keys every memo in this folder.
 */
export function principalKeyOf(principal: PolicyPrincipal): string {
  let key = principalKeys.get(principal);
  if (key === undefined) {
    const roles = [...new Set(principal.roles)].sort().join(',');
    const scopes = [...new Set(principal.scopes)].sort().join(',');
    key = `${roles}|${scopes}`;
    principalKeys.set(principal, key);
  }
  return key;
}

interface ShieldContext {
  principal: PolicyPrincipal;
  _shield: { cache: Record<string, unknown> };
}

const shieldOptions: IOptions = {
  debug: false,
  allowExternalErrors: false,
  fallbackRule: deny,
  hashFunction: () => '',
};

function buildShieldRule(data: Rule, cache: Map<string, ShieldRule>): ShieldRule {
  if (data === 'allow') return allow;
  if (data === 'deny') return deny;
  if ('role' in data) {
    const key = `role:${data.role}`;
    let built = cache.get(key);
    if (!built) {
      const role = data.role;
      built = rule(key, { cache: 'no_cache' })((_parent, _args, ctx: ShieldContext) => ctx.principal.roles.includes(role));
      cache.set(key, built);
    }
    return built;
  }
  if ('scope' in data) {
    const key = `scope:${data.scope}`;
    let built = cache.get(key);
    if (!built) {
      const scope = data.scope;
      built = rule(key, { cache: 'no_cache' })((_parent, _args, ctx: ShieldContext) => ctx.principal.scopes.includes(scope));
      cache.set(key, built);
    }
    return built;
  }
  if ('and' in data) return and(...data.and.map((r) => buildShieldRule(r, cache)));
  if ('or' in data) return or(...data.or.map((r) => buildShieldRule(r, cache)));
  if ('not' in data) return not(buildShieldRule(data.not, cache));
  return unreachable(data);
}

/** Evaluates the data form of a rule: the fast path shield is checked against. */
export function evaluateRule(data: Rule, principal: PolicyPrincipal): boolean {
  if (data === 'allow') return true;
  if (data === 'deny') return false;
  if ('role' in data) return principal.roles.includes(data.role);
  if ('scope' in data) return principal.scopes.includes(data.scope);
  if ('and' in data) return data.and.every((r) => evaluateRule(r, principal));
  if ('or' in data) return data.or.some((r) => evaluateRule(r, principal));
  if ('not' in data) return !evaluateRule(data.not, principal);
  return unreachable(data);
}


/**
 * Checks a policy against a schema and compiles it. A coordinate the schema lacks is an error naming
 * it; nothing is compiled then.
 */
export function compilePolicy(policy: Policy, schema: GraphQLSchema): CompilePolicyResult {
  const errors = checkPolicyCoordinates(policy, schema);
  if (errors.length > 0) return { errors };

  const leafRules = new Map<string, ShieldRule>();
  const shieldByRule = new Map<Rule, ShieldRule>();
  const decisionMemo = new Map<string, FieldDecision>();
  // Stub: no rule reads `info`, because decisions depend on the principal alone.
  const info = {} as GraphQLResolveInfo;

  const ruleFor = (typeName: string, fieldName: string): Rule =>
    isIntrospectionField(fieldName)
      ? 'allow'
      : (policy.rules[`${typeName}.${fieldName}`] ?? policy.rules[`${typeName}.*`] ?? policy.fallback);

  const shieldRuleFor = (typeName: string, fieldName: string): ShieldRule => {
    const data = ruleFor(typeName, fieldName);
    let built = shieldByRule.get(data);
    if (!built) {
      built = buildShieldRule(data, leafRules);
      shieldByRule.set(data, built);
    }
    return built;
  };

  const isAllowed = async (typeName: string, fieldName: string, principal: PolicyPrincipal): Promise<boolean> => {
    const ctx: ShieldContext = { principal, _shield: { cache: {} } };
    try {
      const result = await shieldRuleFor(typeName, fieldName).resolve({}, {}, ctx as never, info, shieldOptions);
      return result === true;
    } catch {
      return false;
    }
  };

  const isAllowedSync = (typeName: string, fieldName: string, principal: PolicyPrincipal): boolean => {
    try {
      return evaluateRule(ruleFor(typeName, fieldName), principal);
    } catch {
      return false;
    }
  };

  const decisionsFor = (principal: PolicyPrincipal): FieldDecision => {
    const key = principalKeyOf(principal);
    let decide = decisionMemo.get(key);
    if (!decide) {
      const known = new Map<string, boolean>();
      // Copy what matters so a later change to the caller's principal object cannot leak in.
      const frozen: PolicyPrincipal = { roles: [...principal.roles], scopes: [...principal.scopes] };
      decide = (typeName, fieldName) => {
        const coordinate = `${typeName}.${fieldName}`;
        let allowed = known.get(coordinate);
        if (allowed === undefined) {
          allowed = isAllowedSync(typeName, fieldName, frozen);
          known.set(coordinate, allowed);
        }
        return allowed;
      };
      decisionMemo.set(key, decide);
    }
    return decide;
  };

  const shieldDecisionsFor = async (principal: PolicyPrincipal): Promise<FieldDecision> => {
    const table = new Map<string, boolean>();
    const pending: Promise<void>[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const fieldName of Object.keys(type.getFields())) {
        pending.push(isAllowed(type.name, fieldName, principal).then((allowed) => void table.set(`${type.name}.${fieldName}`, allowed)));
      }
    }
    await Promise.all(pending);
    return (typeName, fieldName) => isIntrospectionField(fieldName) || table.get(`${typeName}.${fieldName}`) === true;
  };

  return {
    version: policy.version,
    mode: policy.mode,
    policy,
    schema,
    ruleFor,
    shieldRuleFor,
    isAllowed,
    isAllowedSync,
    decisionsFor,
    shieldDecisionsFor,
  };
}
