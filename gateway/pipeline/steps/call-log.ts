/**
 * After the answer: one call-log record (analytics/call-record.ts) handed to the call-log writer,
 * which batches it to the registry off the request path. The record holds no variables and no
 * answer. Absent writer: the step does nothing (call log off).
 */
import type { CallLogWriter } from '../../../analytics/call-log-writer';
import type { CallRecord } from '../../../analytics/call-record';
import type { Answer } from '../answer';
import { queryHashOf } from '../query-hash';
import type { RequestContext } from '../request-context';
import type { GatewayStep } from '../step';

export function callLogStep(deps: { callLog?: CallLogWriter | undefined }, entrance: CallRecord['entrance']): GatewayStep<RequestContext> {
  return {
    name: 'call-log',
    after(ctx, answer) {
      const writer = deps.callLog;
      if (!writer) return;
      const client = ctx.req.headers['apollographql-client-name'];
      const version = ctx.req.headers['apollographql-client-version'];
      const call: CallRecord = {
        time: Math.round(performance.timeOrigin + ctx.started),
        tenant: ctx.tenant,
        entrance,
        status: answer.status,
        errorCodes: errorCodesOf(answer),
        latencyMs: Math.round((performance.now() - ctx.started) * 100) / 100,
        rateLimit: answer.status === 429 ? 'limited' : 'allowed',
      };
      if (ctx.principal?.keyId) call.keyId = ctx.principal.keyId;
      if (typeof client === 'string') call.clientName = client.slice(0, 200);
      if (typeof version === 'string') call.clientVersion = version.slice(0, 100);
      if (ctx.operationName) call.operationName = ctx.operationName.slice(0, 200);
      else if (entrance === 'v1') call.operationName = ctx.url.pathname.slice(0, 200);
      if (ctx.document && ctx.params) call.operationHash = queryHashOf(ctx.document, ctx.params.query);
      if (ctx.cache) call.cacheHit = ctx.cache === 'hit';
      writer.record(call);
    },
  };
}

function errorCodesOf(answer: Answer): string[] {
  const errors = answer.body?.errors as Array<{ extensions?: { code?: unknown } }> | undefined;
  if (errors?.length) return errors.slice(0, 50).map((e) => (typeof e?.extensions?.code === 'string' ? e.extensions.code.slice(0, 100) : 'UNKNOWN'));
  return answer.errorCode ? [answer.errorCode] : [];
}
