/**
 * Every selected field against the tenant's compiled policy. Denied fields are removed before
 * planning, so no subgraph sees them and no denied mutation runs; reject mode refuses the whole
 * operation (403); an operation whose every field is denied answers at once.
 */
import { getOperationAST } from 'graphql';
import { authorizeOperation } from '../../policy/authorize';
import { applyDenials, rejectionResult } from '../../policy/shape';
import { coordinatesOf } from '../../usage/field-usage';
import type { Selected } from '../request-context';
import type { GatewayStep } from '../step';

export function authorizeStep(): GatewayStep<Selected> {
  return {
    name: 'authorize',
    run(ctx) {
      const { document, params, tenantPolicy } = ctx;
      ctx.query = params.query;
      ctx.executed = document;
      if (tenantPolicy.status === 'compiled') {
        const authorization = authorizeOperation({ schema: ctx.apiSchema, document, operationName: params.operationName, variables: params.variables, principal: ctx.principal, policy: tenantPolicy.policy });
        ctx.authorization = authorization;
        if (authorization.rejected) return { status: 403, body: rejectionResult(authorization.denied), errorCode: 'FORBIDDEN' };
        if (authorization.allDenied) return { status: 200, body: applyDenials({ data: {} }, authorization) };
        // The filtered text, not the original: @apollo/gateway keys its query-plan cache by query
        // text, so a plan made for one permission set can never serve another.
        if (authorization.changed) {
          ctx.query = authorization.query!;
          ctx.executed = authorization.document;
        }
      }
      ctx.coordinates = coordinatesOf(ctx.apiSchema, ctx.executed);
      // The filtered document holds only the selected operation (and its fragments).
      ctx.executedOperation = ctx.executed === document ? ctx.operation : getOperationAST(ctx.executed, params.operationName) ?? ctx.operation;
      return undefined;
    },
  };
}
