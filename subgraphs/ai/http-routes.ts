/**
 * The AI subgraph's HTTP surface, OpenAI-compatible so existing clients work by changing their base
 * URL: `POST /v1/chat/completions` (JSON, or server-sent events with `stream: true`), `POST /v1/embeddings`,
 * Anthropic's `POST /v1/messages` (anthropic-compat.ts),
 * `GET /v1/models`, `GET /v1/models/{id}`, and Charter's own `POST /v1/prompts/{name}`. The gateway
 * authenticates the tenant and forwards the principal; `resolvePrincipal` receives it. The same
 * AI service answers as for GraphQL, so keys, routing, budgets and metering are the same.
 * When the client goes away, the provider call is aborted (and a stream records what was produced).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { CharterError } from '../../core/errors';
import { readBody, readJson, requestUrl, sendJson } from '../../core/http';
import { createLogger } from '../../core/logger';
import type { TenantBudget } from './models';
import { budgetFromConfig } from './models';
import type { TenantAiContext } from './chat-types';
import type { AiService } from './routing';
import type { Principal } from './subgraph';
import type { PromptTemplate } from './prompts/template-schema';
import { runPromptTemplate } from './prompts/execute';
import { createOpenAIChunkFrames, fromOpenAIRequest, toOpenAIError, toOpenAIResponse, toOpenAIStreamChunks } from './openai-compat';
import type { ResponseIdentity } from './openai-compat';
import { anthropicBlockStop, anthropicStreamEnd, anthropicStreamError, anthropicStreamStart, anthropicTextBlockStart, anthropicTextDelta, fromAnthropicRequest, toAnthropicError, toAnthropicResponse, toAnthropicStreamEvents } from './anthropic-compat';

export interface AiHttpRoutesOptions {
  service: AiService;
  /** Templates for `/v1/prompts/{name}`: a fixed list, or a lookup that sees run-time swaps (`subgraph.getTemplate`). */
  templates: readonly PromptTemplate[] | ((name: string) => PromptTemplate | undefined);
  /**
   * The verified caller of a request (from the gateway's signed header), or null when there is
   * none (answered 401). It may throw a CharterError, e.g. UNAUTHENTICATED for a bad signature.
   */
  resolvePrincipal: (req: http.IncomingMessage) => Principal | null | Promise<Principal | null>;
  /** The tenant's budget and allowed models; defaults to the `ai.budgets` section of the config. */
  budgets?: (tenant: string) => TenantBudget;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

/** A node:http handler; resolves false when the path is not one of its own (the caller answers it). */
export type AiHttpHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

type OpenAIErrorBody = { error: { message: string; type: string; code: string; param: null } };

const logger = createLogger('ai:http');

function sendError(res: http.ServerResponse, status: number, message: string, type: string, code: string, headers: Record<string, string> = {}): void {
  const body: OpenAIErrorBody = { error: { message, type, code, param: null } };
  sendJson(res, status, body, headers);
}

/** One boundary: known errors in OpenAI's shape with their status, everything else masked as a 500. */
function sendFailure(res: http.ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof CharterError) {
    const { status, body } = toOpenAIError(err);
    sendJson(res, status, { error: { ...body.error, param: null } });
    return;
  }
  logger.error({ err }, 'AI HTTP request failed');
  sendError(res, 500, 'Internal server error', 'api_error', 'internal_server_error');
}

/** An AbortSignal that fires when the client goes away before the response is complete. */
function abortOnClose(res: http.ServerResponse): AbortSignal {
  const controller = new AbortController();
  // `res` closes when the connection does; `req`'s close means only that its body was read.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}

export function createAiHttpRoutes(options: AiHttpRoutesOptions): AiHttpHandler {
  const { service } = options;
  const config = service.config;
  const budgets = options.budgets ?? ((tenant: string) => budgetFromConfig(config, tenant));
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const now = options.now ?? (() => new Date());
  const findTemplate = typeof options.templates === 'function' ? options.templates : (name: string) => (options.templates as readonly PromptTemplate[]).find((template) => template.name === name);

  async function tenantOf(req: http.IncomingMessage): Promise<TenantAiContext> {
    const principal = await options.resolvePrincipal(req);
    if (!principal) throw new CharterError('UNAUTHENTICATED', 'no verified caller: send the request through the gateway with an API key or bearer token');
    const { pathname } = requestUrl(req);
    const cause = pathname.startsWith('/v1/prompts/') ? `prompt:${safeDecode(pathname.slice('/v1/prompts/'.length))}` : pathname;
    return { tenant: principal.tenant, keyId: principal.keyId, budget: budgets(principal.tenant), cause };
  }

  const identity = (): ResponseIdentity => ({ id: `chatcmpl-${randomUUID().replace(/-/g, '')}`, created: Math.floor(now().getTime() / 1000) });

  async function chatCompletions(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const tenant = await tenantOf(req);
    const parsed = fromOpenAIRequest(await readJson(req, maxBodyBytes), Object.keys(config.routes));
    const modelId = parsed.request.model;
    if (modelId !== undefined && !config.models.some((model) => model.id === modelId)) {
      return sendError(res, 404, `The model '${modelId}' does not exist`, 'invalid_request_error', 'model_not_found');
    }
    const signal = abortOnClose(res);
    const id = identity();
    if (!parsed.stream) {
      const result = await service.runChat({ request: parsed.request, tenant, signal });
      return sendJson(res, 200, toOpenAIResponse(result, id));
    }
    if (parsed.request.responseFormat?.type === 'json' || parsed.request.tools?.length) {
      // Structured output is validated whole, and tool calls arrive whole from the SDK's generate
      // call, so the answer is computed first and then sent as a stream.
      const result = await service.runChat({ request: parsed.request, tenant, signal });
      writeEventStreamHead(res);
      for (const frame of toOpenAIStreamChunks(result, id, { includeUsage: parsed.includeUsage })) res.write(frame);
      res.end();
      return;
    }
    // Errors up to the first token (budget, routing, every model failing) are still plain JSON errors.
    const stream = await service.streamChat({ request: parsed.request, tenant, signal });
    const frames = createOpenAIChunkFrames(id, stream.model, { includeUsage: parsed.includeUsage });
    writeEventStreamHead(res);
    res.write(frames.role());
    try {
      for await (const delta of stream.textStream) {
        if (signal.aborted) break;
        res.write(frames.delta(delta));
      }
    } catch (err) {
      // The model failed after the first token: no fallback is possible any more; say so in-stream.
      await stream.result;
      if (!signal.aborted) res.end(frames.error(err instanceof CharterError ? err : new CharterError('UPSTREAM_UNAVAILABLE', 'the model stream failed')));
      return;
    }
    const result = await stream.result;
    if (signal.aborted || res.destroyed) return;
    res.write(frames.finish(result.finishReason));
    if (parsed.includeUsage) res.write(frames.usage(result));
    res.end(frames.done());
  }

  async function listModels(req: http.IncomingMessage, res: http.ServerResponse, id: string | undefined): Promise<void> {
    const tenant = await tenantOf(req);
    const models = service.listModels(tenant.budget).map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.provider }));
    if (id === undefined) return sendJson(res, 200, { object: 'list', data: models });
    const model = models.find((candidate) => candidate.id === id);
    if (!model) return sendError(res, 404, `The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found');
    sendJson(res, 200, model);
  }

  async function runPrompt(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    const tenant = await tenantOf(req);
    const template = findTemplate(name);
    if (!template) return sendError(res, 404, `There is no prompt named '${name}'`, 'invalid_request_error', 'prompt_not_found');
    // An empty body means no variables (for templates that need none).
    const raw = await readBody(req, maxBodyBytes);
    let variables: unknown = {};
    if (raw.length > 0) {
      try {
        variables = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new CharterError('BAD_REQUEST', 'Request body is not valid JSON');
      }
    }
    const run = await runPromptTemplate(service, { template, variables, tenant, signal: abortOnClose(res) });
    const { chat } = run;
    sendJson(res, 200, { name: template.name, output: run.output, model: chat.model, provider: chat.provider, usage: chat.usage, costUsd: chat.costUsd, finishReason: chat.finishReason, attempts: chat.attempts });
  }

  /** OpenAI's embeddings API: `input` a string or strings; `encoding_format` float or base64 (the openai client's default). */
  async function embeddings(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const tenant = await tenantOf(req);
    const body = (await readJson(req, maxBodyBytes)) as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new CharterError('BAD_USER_INPUT', 'the request body must be a JSON object');
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(input)) throw new CharterError('BAD_USER_INPUT', 'input must be a string or an array of strings');
    if (body.model !== undefined && typeof body.model !== 'string') throw new CharterError('BAD_USER_INPUT', 'model must be a string');
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') throw new CharterError('BAD_USER_INPUT', "encoding_format must be 'float' or 'base64'");
    if (typeof body.model === 'string' && !config.models.some((m) => m.id === body.model)) {
      return sendError(res, 404, `The model '${body.model}' does not exist`, 'invalid_request_error', 'model_not_found');
    }
    const result = await service.embed({ request: { model: body.model as string | undefined, input: input as string[] }, tenant, signal: abortOnClose(res) });
    const encode = (vector: number[]) => (format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector);
    sendJson(res, 200, {
      object: 'list',
      data: result.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding: encode(embedding) })),
      model: result.model,
      usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
      charter: { provider: result.provider, cost_usd: result.costUsd },
    });
  }

  /** Anthropic's Messages API over the same service: errors in Anthropic's shape, streaming in its events. */
  async function messages(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const tenant = await tenantOf(req);
      const parsed = fromAnthropicRequest(await readJson(req, maxBodyBytes), Object.keys(config.routes));
      const modelId = parsed.request.model;
      if (modelId !== undefined && !config.models.some((model) => model.id === modelId)) throw new CharterError('NOT_FOUND', `model: ${modelId}`);
      const signal = abortOnClose(res);
      const id = `msg_${randomUUID().replace(/-/g, '')}`;
      if (!parsed.stream) return sendJson(res, 200, toAnthropicResponse(await service.runChat({ request: parsed.request, tenant, signal }), id));
      if (parsed.request.tools?.length) {
        const result = await service.runChat({ request: parsed.request, tenant, signal });
        writeEventStreamHead(res);
        for (const frame of toAnthropicStreamEvents(result, id)) res.write(frame);
        res.end();
        return;
      }
      const stream = await service.streamChat({ request: parsed.request, tenant, signal });
      writeEventStreamHead(res);
      res.write(anthropicStreamStart(id, stream.model, 0));
      res.write(anthropicTextBlockStart(0));
      try {
        for await (const delta of stream.textStream) {
          if (signal.aborted) break;
          res.write(anthropicTextDelta(0, delta));
        }
      } catch (err) {
        await stream.result;
        if (!signal.aborted) res.end(anthropicStreamError(err instanceof CharterError ? err : new CharterError('UPSTREAM_UNAVAILABLE', 'the model stream failed')));
        return;
      }
      const result = await stream.result;
      if (signal.aborted || res.destroyed) return;
      res.write(anthropicBlockStop(0));
      res.end(anthropicStreamEnd(result));
    } catch (err) {
      if (!(err instanceof CharterError) || res.headersSent) throw err;
      const { status, body } = toAnthropicError(err);
      sendJson(res, status, body);
    }
  }

  return async (req, res) => {
    const { pathname } = requestUrl(req);
    const method = req.method ?? 'GET';
    let route: (() => Promise<void>) | undefined;
    let allowed: string;
    if (pathname === '/v1/chat/completions') {
      allowed = 'POST';
      route = () => chatCompletions(req, res);
    } else if (pathname === '/v1/messages') {
      allowed = 'POST';
      route = () => messages(req, res);
    } else if (pathname === '/v1/embeddings') {
      allowed = 'POST';
      route = () => embeddings(req, res);
    } else if (pathname === '/v1/models' || pathname.startsWith('/v1/models/')) {
      allowed = 'GET';
      const id = pathname === '/v1/models' ? undefined : decodeURIComponent(pathname.slice('/v1/models/'.length));
      route = () => listModels(req, res, id);
    } else if (pathname.startsWith('/v1/prompts/') && pathname.length > '/v1/prompts/'.length) {
      allowed = 'POST';
      const name = decodeURIComponent(pathname.slice('/v1/prompts/'.length));
      route = () => runPrompt(req, res, name);
    } else {
      return false;
    }
    if (method !== allowed) {
      sendError(res, 405, `${method} is not allowed on ${pathname}; use ${allowed}`, 'invalid_request_error', 'method_not_allowed', { allow: allowed });
      return true;
    }
    try {
      await route();
    } catch (err) {
      sendFailure(res, err);
    }
    return true;
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function writeEventStreamHead(res: http.ServerResponse): void {
  // No buffering anywhere on the way: each delta should reach the client as it is produced.
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
}
