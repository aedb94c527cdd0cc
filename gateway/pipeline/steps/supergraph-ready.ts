/** No supergraph loaded yet → 503; otherwise pin the schema now served for the whole request. */
import type { GraphQLSchema } from 'graphql';
import { errorResponse } from '../answer';
import type { RequestContext } from '../request-context';
import type { GatewayStep } from '../step';

export interface ServedSupergraph {
  apiSchema: GraphQLSchema;
  version: string;
}

export function supergraphReadyStep(deps: { served(): ServedSupergraph | null }): GatewayStep<RequestContext> {
  return {
    name: 'supergraph-ready',
    run(ctx) {
      const served = deps.served();
      if (!served) return errorResponse('NOT_READY', 'The gateway has no supergraph loaded yet', { shape: ctx.shape });
      ctx.apiSchema = served.apiSchema;
      ctx.supergraphVersion = served.version;
      return undefined;
    },
  };
}
