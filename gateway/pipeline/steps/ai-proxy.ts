/** The /v1 entrance's last step: stream the request to the AI subgraph with the principal signed. */
import { proxyToAiSubgraph } from '../../ai-proxy';
import type { Identified } from '../request-context';
import type { GatewayStep } from '../step';

export function aiProxyStep(deps: { aiGraphqlUrl(): string | null; secret: string; maxBodyBytes: number }): GatewayStep<Identified> {
  return {
    name: 'ai-proxy',
    run(ctx) {
      return proxyToAiSubgraph(ctx.req, ctx.res, { principal: ctx.principal, aiGraphqlUrl: deps.aiGraphqlUrl(), secret: deps.secret, maxBodyBytes: deps.maxBodyBytes, path: ctx.url.pathname });
    },
  };
}
