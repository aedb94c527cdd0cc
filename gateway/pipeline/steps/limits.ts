/**
 * The plan's operation limits (depth, aliases, root fields, directives; then cost with this request's
 * variables applied), before any planning.
 */
import { costLimitError } from '../../traffic/operation-limits';
import { graphqlErrorsResponse } from '../answer';
import type { DocumentCache } from '../document-cache';
import type { Selected } from '../request-context';
import type { GatewayStep } from '../step';

export function limitsStep(deps: { documents: DocumentCache }): GatewayStep<Selected> {
  return {
    name: 'limits',
    run(ctx) {
      const { apiSchema, document, operation, plan } = ctx;
      const errors = deps.documents.validateLimits(apiSchema, document, plan.limits, plan.limitsKey);
      if (errors.length) return graphqlErrorsResponse('OPERATION_LIMIT_EXCEEDED', errors.map((e) => ({ message: e.message })));
      if (!deps.documents.withinCost(apiSchema, document, operation, ctx.params.variables, plan.limits, plan.limitsKey)) {
        return graphqlErrorsResponse('OPERATION_LIMIT_EXCEEDED', [{ message: costLimitError().message }]);
      }
      return undefined;
    },
  };
}
