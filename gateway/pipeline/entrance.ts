/**
 * An entrance runs its pipeline for one request and writes the answer: `/graphql` and the
 * OpenAI-compatible `/v1/*` share the loop, the error path and the after hooks. A thrown
 * CharterError becomes its catalogue answer; anything else is logged, masked as
 * INTERNAL_SERVER_ERROR in the entrance's wire shape, and counted in the metrics.
 */
import type http from 'node:http';
import type { Logger } from '../../core/logger';
import { REQUEST_ID_HEADER, requestId, withSpan } from '../observability';
import { knownErrorResponse, maskedErrorResponse, type Answer, type WireShape } from './answer';
import { graphqlWire, JSON_TYPE, negotiateGraphQLMedia, type GraphQLMedia } from './media-type';
import { RequestContext } from './request-context';
import { runAfterHooks, runSteps, type GatewayStep } from './step';

export interface Entrance {
  /** The ordered steps; read them to know what a request goes through. */
  readonly steps: ReadonlyArray<GatewayStep<RequestContext>>;
  serve(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void>;
}

export interface EntranceOptions {
  shape: WireShape;
  steps: ReadonlyArray<GatewayStep<RequestContext>>;
  /** With tracing on, the steps after this one run inside a root span named for the tenant. */
  traceAfter?: string;
  tracing?: boolean;
  logger: Logger;
}

export function createEntrance(options: EntranceOptions): Entrance {
  const { steps, shape, logger } = options;
  const traceFrom = options.tracing && options.traceAfter ? steps.findIndex((s) => s.name === options.traceAfter) + 1 : 0;

  const run = async (ctx: RequestContext): Promise<Answer | undefined> => {
    if (traceFrom === 0) return runSteps(steps, ctx);
    const early = await runSteps(steps, ctx, 0, traceFrom);
    if (early) return early;
    // The request is the root span of the plan and subgraph fetch spans.
    return withSpan('charter.request', { 'charter.tenant': ctx.tenant, 'charter.request_id': ctx.requestId }, () => runSteps(steps, ctx, traceFrom));
  };

  return {
    steps,
    async serve(req, res, url) {
      const id = requestId(req);
      res.setHeader(REQUEST_ID_HEADER, id);
      const ctx = new RequestContext(req, res, url, shape, id);
      let answer: Answer;
      try {
        answer = (await run(ctx)) ?? maskedErrorResponse(shape);
      } catch (err) {
        const known = knownErrorResponse(err, shape);
        if (!known) logger.error({ err, requestId: id }, 'request failed');
        answer = known ?? maskedErrorResponse(shape);
      }
      if (!answer.written) writeAnswer(res, answer, ctx.rateHeaders, shape === 'graphql' ? negotiateGraphQLMedia(req.headers.accept) : null);
      runAfterHooks(steps, ctx, answer);
    },
  };
}

/** `media`: the GraphQL media type negotiated (null: not a GraphQL entrance, plain JSON). */
function writeAnswer(res: http.ServerResponse, answer: Answer, rateHeaders: Record<string, string> | undefined, media: GraphQLMedia | null): void {
  if (res.headersSent) {
    // A failure after streaming began: the client sees a cut connection, never a second status.
    res.destroy();
    return;
  }
  const text = answer.text ?? JSON.stringify(answer.body);
  const wire = media ? graphqlWire(media, answer.status, answer.errorCode) : { contentType: JSON_TYPE, status: answer.status };
  res.writeHead(wire.status, { 'content-type': wire.contentType, 'content-length': Buffer.byteLength(text), ...(rateHeaders ?? {}), ...(answer.headers ?? {}) });
  res.end(text);
}
