/** The GraphQL request from GET parameters or a JSON body (size-capped); bad input → 400/413/415. */
import { readGraphQLParams } from '../request-params';
import type { Identified } from '../request-context';
import type { GatewayStep } from '../step';

export function readRequestStep(deps: { maxBodyBytes: number }): GatewayStep<Identified> {
  return {
    name: 'read-request',
    async run(ctx) {
      ctx.params = await readGraphQLParams(ctx.req, ctx.url, deps.maxBodyBytes);
      return undefined;
    },
  };
}
