/**
 * After the answer: field usage to the registry (which tenant and client used which coordinates)
 * and Prometheus metrics (requests, cache results, error codes). Runs for every answer of both
 * entrances, errors included.
 */
import type { Metrics } from '../../observability/metrics';
import type { UsageReporter } from '../../usage/usage-reporter';
import type { Answer } from '../answer';
import type { RequestContext } from '../request-context';
import type { GatewayStep } from '../step';

export function usageAndMetricsStep(deps: { metrics: Metrics; usage: UsageReporter | undefined }): GatewayStep<RequestContext> {
  return {
    name: 'usage-and-metrics',
    after(ctx, answer) {
      if (ctx.coordinates?.length && deps.usage && ctx.principal) {
        const client = ctx.req.headers['apollographql-client-name'];
        const version = ctx.req.headers['apollographql-client-version'];
        deps.usage.record(ctx.coordinates, { tenant: ctx.tenant, clientName: typeof client === 'string' ? client.slice(0, 100) : undefined, clientVersion: typeof version === 'string' ? version.slice(0, 50) : undefined });
      }
      const { metrics } = deps;
      if (ctx.cache) metrics.recordCache(ctx.cache);
      metrics.recordRequest({ operation: ctx.operationName, tenant: ctx.tenant, status: answer.status, durationSec: (performance.now() - ctx.started) / 1000 });
      if (answer.status >= 400) recordErrors(metrics, answer, ctx.tenant);
    },
  };
}

function recordErrors(metrics: Metrics, answer: Answer, tenant: string): void {
  const errors = answer.body?.errors as Array<{ extensions?: { code?: string } }> | undefined;
  if (errors) for (const e of errors) metrics.recordError(e.extensions?.code ?? 'UNKNOWN', tenant);
  else if (answer.errorCode) metrics.recordError(answer.errorCode, tenant);
}
