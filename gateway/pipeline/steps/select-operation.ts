/** The operation to run (by `operationName` when the document has several); a mutation over GET → 405. */
import { getOperationAST } from 'graphql';
import { errorResponse } from '../answer';
import type { Parsed } from '../request-context';
import type { GatewayStep } from '../step';

export function selectOperationStep(): GatewayStep<Parsed> {
  return {
    name: 'select-operation',
    run(ctx) {
      const { operationName } = ctx.params;
      const operation = getOperationAST(ctx.document, operationName);
      if (!operation) {
        return errorResponse('BAD_REQUEST', operationName ? `Unknown operation "${operationName}"` : 'The document has several operations: say which one with "operationName"');
      }
      if (ctx.req.method === 'GET' && operation.operation !== 'query') return errorResponse('BAD_REQUEST', `A ${operation.operation} cannot be sent with GET: use POST`, { rule: 'mutation-over-get' });
      ctx.operation = operation;
      ctx.operationName = operationName ?? operation.name?.value;
      return undefined;
    },
  };
}
