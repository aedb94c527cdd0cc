/**
 * Plan and execute through @apollo/gateway's executor, then put `null` and FORBIDDEN errors where
 * fields were denied. Identical queries in flight at once share one execution, but only within one
 * principal: a subgraph may answer per subject, and nothing says yet whether it did.
 */
import { applyDenials } from '../../policy/shape';
import { cacheKeyFor, type InflightDeduper } from '../../traffic/response-cache';
import type { ExecutePlan } from '../execute-plan';
import { maskUpstreamErrors, maySeeUpstreamDetails, type UpstreamErrorDetails } from '../upstream-errors';
import type { Authorized, ExecutedOperation } from '../request-context';
import type { GatewayStep } from '../step';

export function executeStep(deps: { executePlan: ExecutePlan; deduper: InflightDeduper | null; upstreamErrorDetails: UpstreamErrorDetails }): GatewayStep<Authorized> {
  const run = async (ctx: Authorized): Promise<ExecutedOperation> => {
    const response = await deps.executePlan({ document: ctx.executed, query: ctx.query, operation: ctx.executedOperation, operationName: ctx.params.operationName, variables: ctx.params.variables, context: { principal: ctx.principal } });
    const single = response.body as Parameters<typeof applyDenials>[0];
    const { authorization } = ctx;
    const shaped = authorization && authorization.denied.length ? applyDenials(single, authorization) : single;
    // Subgraph internals (names, REST paths, statuses) only for callers allowed to see them.
    const body = maySeeUpstreamDetails(deps.upstreamErrorDetails, ctx.principal) ? shaped : maskUpstreamErrors(shaped);
    return { status: response.status, text: JSON.stringify(body), hasErrors: !!body.errors?.length, cacheHint: response.cacheHint };
  };
  return {
    name: 'execute',
    async run(ctx) {
      const dedupe = deps.deduper && ctx.operation.operation === 'query' && ctx.cacheKeyParts;
      ctx.execution = dedupe ? await deps.deduper!.run(cacheKeyFor({ ...ctx.cacheKeyParts!, principalScope: ctx.principal.subject }), () => run(ctx)) : await run(ctx);
      return undefined;
    },
  };
}
