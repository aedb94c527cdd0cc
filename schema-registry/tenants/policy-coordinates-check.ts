/**
 * The registry's policy checks. A policy may only name coordinates of the variant's current API
 * (checked when the policy is saved); a schema change that removes a coordinate some tenant's
 * policy names fails its check, with one finding per tenant and coordinate, because that tenant's
 * gateway would otherwise fail closed on every request.
 */
import type { GraphQLSchema } from 'graphql';
import type { CheckFailure, CheckReport } from '../../governance/check';
import { checkPolicyCoordinates } from '../../tenancy/policy-coordinates';
import type { Policy } from '../../tenancy/policy';

/** A tenant's policy as the check pipeline sees it (plain data: it crosses into the check worker). */
export interface TenantPolicyRef {
  tenant: string;
  policy: Policy;
}

export const POLICY_COORDINATE_RULE = 'policy-coordinate-removed';

/**
 * Coordinates that policies name, exist in the live API and are gone from the candidate one.
 * Coordinates the live API already lacked are not this change's doing, so they are not reported.
 */
export function findPolicyCoordinatesRemoved(policies: readonly TenantPolicyRef[], liveApi: GraphQLSchema, candidateApi: GraphQLSchema): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const { tenant, policy } of policies) {
    const missingBefore = new Set(checkPolicyCoordinates(policy, liveApi).map((e) => e.coordinate));
    for (const error of checkPolicyCoordinates(policy, candidateApi)) {
      if (missingBefore.has(error.coordinate)) continue;
      failures.push({
        kind: 'change',
        rule: POLICY_COORDINATE_RULE,
        coordinate: error.coordinate,
        message: `The policy of tenant "${tenant}" names ${error.coordinate}, which this change removes from the API; change the policy first.`,
      });
    }
  }
  return failures;
}

/** Adds the findings of `findPolicyCoordinatesRemoved` to a report, failing it when there are any. */
export function addPolicyFindings(report: CheckReport, policies: readonly TenantPolicyRef[] | undefined, liveApi: GraphQLSchema | undefined, candidateApi: () => GraphQLSchema): void {
  if (!policies || policies.length === 0 || !liveApi) return;
  const failures = findPolicyCoordinatesRemoved(policies, liveApi, candidateApi());
  if (failures.length === 0) return;
  report.failures.push(...failures);
  report.verdict = 'fail';
}
