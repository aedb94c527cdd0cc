/** The plan's operation limits (depth, aliases, root fields, directives, cost), before any planning. */
import { graphqlErrorsResponse } from '../answer';
import type { DocumentCache } from '../document-cache';
import type { Parsed } from '../request-context';
import type { GatewayStep } from '../step';

export function limitsStep(deps: { documents: DocumentCache }): GatewayStep<Parsed> {
  return {
    name: 'limits',
    run(ctx) {
      const errors = deps.documents.validateLimits(ctx.apiSchema, ctx.document, ctx.plan.limits, ctx.plan.limitsKey);
      return errors.length ? graphqlErrorsResponse('OPERATION_LIMIT_EXCEEDED', errors.map((e) => ({ message: e.message }))) : undefined;
    },
  };
}
