/**
 * Model routing: validate a chat request, pick its models (one model, or a route's ordered
 * fallbacks), hold a budget estimate, then call providers until one answers. Retryable failures
 * (429, 5xx, network) are retried on the same model with jittered backoff; any failure moves on to
 * the next model. Every call has a deadline, and the caller's AbortSignal cancels the call in flight.
 * Every billed call is recorded in the usage ledger; the held estimate is settled with the real cost.
 */
import { APICallError, NoObjectGeneratedError, embedMany, generateObject, generateText, jsonSchema, streamText, tool, zodSchema } from 'ai';
import type { ModelMessage, Schema } from 'ai';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { backoffDelayMs, sleep } from '../../core/async';
import { CharterError } from '../../core/errors';
import type { AiConfig, ModelConfig, TenantBudget } from './models';
import { computeCostUsd, isEmbeddingModel, isModelAllowed } from './models';
import type { ChatAttempt, ChatFinishReason, ChatMessage, ChatRequest, ChatResult, ChatStream, ChatToolCall, ChatUsage, EmbedRequest, EmbedResult, TenantAiContext } from './chat-types';
import { estimatePromptTokens } from './tokens';
import { openChatStream } from './streaming';
import type { EmbeddingModelResolver, LanguageModelResolver } from './providers';
import { ProviderNotConfiguredError, createEmbeddingModelResolver, createLanguageModelResolver } from './providers';
import type { UsageLedger } from './usage/ledger';
import { createBudgetHolder } from './usage/budget-holds';
import { createLogger, type Logger } from '../../core/logger';
import type { CallFailure, PlannedCall, UsageMeter } from './provider-call';

export type { CallFailure, PlannedCall, UsageMeter };

export interface AiServiceOptions {
  config: AiConfig;
  ledger: UsageLedger;
  /** Builds language models from config; defaults to the real SDK providers (keys from process.env). */
  resolveModel?: LanguageModelResolver;
  resolveEmbeddingModel?: EmbeddingModelResolver;
  /** Clock, for tests. */
  now?: () => Date;
  /** Jitter source in [0, 1), for tests. */
  random?: () => number;
  /** Where soft-budget warnings go. */
  logger?: Logger;
}

export interface RunChatArgs {
  request: ChatRequest;
  tenant: TenantAiContext;
  /** Cancels the provider call in flight and any backoff wait. */
  signal?: AbortSignal;
}

/** Output tokens assumed for a budget estimate when neither the request nor the model sets a cap. */
const DEFAULT_OUTPUT_ESTIMATE_TOKENS = 4_096;
const MAX_BACKOFF_MS = 10_000;

const chatRequestSchema = z
  .object({
    model: z.string().min(1).optional(),
    route: z.string().min(1).optional(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'user', 'assistant', 'tool'], { errorMap: () => ({ message: "role must be one of 'system', 'user', 'assistant', 'tool'" }) }),
            content: z.string({ invalid_type_error: 'content must be a string', required_error: 'content is required' }),
            toolCalls: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), arguments: z.string() })).optional(),
            toolCallId: z.string().min(1).optional(),
          })
          .refine((m) => m.role !== 'tool' || m.toolCallId, { message: 'a tool message needs toolCallId', path: ['toolCallId'] }),
      )
      .min(1, 'messages must not be empty')
      .refine((messages) => messages.some((message) => message.role !== 'system'), 'messages need at least one user or assistant message'),
    tools: z
      .array(z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'), description: z.string().optional(), parameters: z.record(z.unknown()) }))
      .max(128)
      .optional(),
    toolChoice: z.union([z.enum(['auto', 'none', 'required']), z.object({ name: z.string().min(1) })]).optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    responseFormat: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }),
        z.object({
          type: z.literal('json'),
          schema: z.record(z.unknown()).optional(),
          name: z.string().optional(),
          validator: z.custom<z.ZodTypeAny>((value) => value instanceof z.ZodType, 'validator must be a zod schema').optional(),
        }),
      ])
      .optional(),
  })
  .refine((request) => !(request.model && request.route), { message: 'give either model or route, not both', path: ['model'] })
  .refine((request) => typeof request.toolChoice !== 'object' || request.tools?.some((t) => t.name === (request.toolChoice as { name: string }).name), {
    message: 'toolChoice names a tool that is not in tools',
    path: ['toolChoice'],
  });

export function validateRequest(request: unknown): ChatRequest {
  const parsed = chatRequestSchema.safeParse(request);
  if (parsed.success) {
    // Before any provider call: a tool result must answer a call an earlier assistant message made.
    const made = new Set<string>();
    parsed.data.messages.forEach((message, index) => {
      for (const call of message.toolCalls ?? []) made.add(call.id);
      if (message.role === 'tool' && !made.has(message.toolCallId!)) {
        throw new CharterError('BAD_USER_INPUT', `invalid chat request: messages.${index}: a tool message answers tool call '${message.toolCallId}', which no earlier assistant message made`);
      }
    });
    return parsed.data as ChatRequest;
  }
  const issues = parsed.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  throw new CharterError('BAD_USER_INPUT', `invalid chat request: ${issues.join('; ')}`, { issues });
}

/** The models a request may use, in order; throws for unknown or forbidden names. */
function resolveCandidates(config: AiConfig, request: ChatRequest, budget: TenantBudget, tenant: string): ModelConfig[] {
  const byId = new Map(config.models.map((model) => [model.id, model] as const));
  if (request.model) {
    const model = byId.get(request.model);
    if (!model) throw new CharterError('BAD_USER_INPUT', `unknown model '${request.model}'; ${knownModelsHint([...byId.keys()])}`);
    if (!isModelAllowed(budget, model.id)) throw new CharterError('FORBIDDEN', `model '${model.id}' is not allowed for tenant ${tenant}`);
    if (isEmbeddingModel(model)) throw new CharterError('BAD_USER_INPUT', `model '${model.id}' is an embedding model: use embed or /v1/embeddings`);
    return [model];
  }
  const routeName = request.route ?? 'default';
  const route = config.routes[routeName];
  if (!route) throw new CharterError('BAD_USER_INPUT', `unknown route '${routeName}'; known routes: ${Object.keys(config.routes).join(', ')}`);
  const allowed = route.map((id) => byId.get(id)!).filter((model) => isModelAllowed(budget, model.id));
  if (allowed.length === 0) throw new CharterError('FORBIDDEN', `no model of route '${routeName}' is allowed for tenant ${tenant}`);
  return allowed;
}


/** Keep the models that can take the request (tools, context window); throws when none can. */
function planCalls(all: ModelConfig[], request: ChatRequest, promptTokens: number, skipped: ChatAttempt[]): PlannedCall[] {
  const planned: PlannedCall[] = [];
  let candidates = all;
  if (request.tools?.length && request.toolChoice !== 'none') {
    candidates = all.filter((model) => model.tools !== false);
    if (candidates.length === 0) throw new CharterError('BAD_USER_INPUT', `${all.map((m) => `model '${m.id}'`).join(', ')} cannot call tools; send the request without tools or to a model that can`);
    for (const model of all) if (model.tools === false) skipped.push({ model: model.id, provider: model.provider, error: { code: 'TOOLS_UNSUPPORTED', message: `model '${model.id}' cannot call tools` } });
  }
  for (const model of candidates) {
    const needed = promptTokens + (request.maxTokens ?? 0);
    if (needed > model.contextWindow) {
      skipped.push({ model: model.id, provider: model.provider, error: { code: 'CONTEXT_WINDOW_EXCEEDED', message: `about ${needed} tokens do not fit the context window of ${model.contextWindow}` } });
      continue;
    }
    const cap = request.maxTokens !== undefined && model.maxOutputTokens !== undefined ? Math.min(request.maxTokens, model.maxOutputTokens) : (request.maxTokens ?? model.maxOutputTokens);
    planned.push({ model, maxOutputTokens: cap, outputEstimate: Math.min(cap ?? DEFAULT_OUTPUT_ESTIMATE_TOKENS, model.contextWindow - promptTokens) });
  }
  if (planned.length === 0) {
    const windows = candidates.map((model) => `${model.id} (${model.contextWindow})`).join(', ');
    const extra = request.maxTokens ? ` plus maxTokens ${request.maxTokens}` : '';
    throw new CharterError('BAD_USER_INPUT', `the prompt of about ${promptTokens} tokens${extra} exceeds the context window of ${windows}`);
  }
  return planned;
}


function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function classifyFailure(err: unknown, timedOut: boolean, timeoutMs: number): CallFailure {
  if (timedOut) return { code: 'PROVIDER_TIMEOUT', message: `no answer within ${timeoutMs} ms`, retryable: false, timedOut: true };
  if (err instanceof ProviderNotConfiguredError) return { code: 'PROVIDER_NOT_CONFIGURED', message: err.message, retryable: false, timedOut: false };
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    // A 2xx the SDK could not parse is garbage, not a refusal.
    if (status !== undefined && status < 300) return { code: 'PROVIDER_INVALID_RESPONSE', message: `HTTP ${status} with a malformed body: ${err.message}`, retryable: false, timedOut: false };
    if (status === 429) return { code: 'PROVIDER_RATE_LIMITED', message: `HTTP 429: ${err.message}`, retryable: true, timedOut: false, retryAfterMs: retryAfterMs(err.responseHeaders) };
    if (status !== undefined && (status >= 500 || status === 408)) {
      return { code: 'PROVIDER_ERROR', message: `HTTP ${status}: ${err.message}`, retryable: true, timedOut: false, retryAfterMs: retryAfterMs(err.responseHeaders) };
    }
    if (status !== undefined) return { code: 'PROVIDER_REJECTED', message: `HTTP ${status}: ${err.message}`, retryable: false, timedOut: false };
    return { code: 'PROVIDER_UNREACHABLE', message: err.message, retryable: err.isRetryable, timedOut: false };
  }
  if (NoObjectGeneratedError.isInstance(err)) {
    const billed = err.usage ? { inputTokens: err.usage.inputTokens ?? 0, outputTokens: err.usage.outputTokens ?? 0 } : undefined;
    return { code: 'PROVIDER_INVALID_RESPONSE', message: `no valid structured output: ${err.message}`, retryable: false, timedOut: false, billed };
  }
  const message = err instanceof Error ? err.message : String(err);
  // JSON parse and type validation errors mean the provider sent something that is not its wire format.
  return { code: 'PROVIDER_INVALID_RESPONSE', message, retryable: false, timedOut: false };
}

interface ProviderAnswer {
  text: string;
  toolCalls?: ChatToolCall[];
  object?: unknown;
  usage: ChatUsage;
  finishReason: ChatFinishReason;
}

export function toUsage(usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number }): ChatUsage {
  const inputTokens = usage.inputTokens ?? 0;
  const outputTokens = usage.outputTokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: usage.totalTokens ?? inputTokens + outputTokens };
}

export interface AiService {
  readonly config: AiConfig;
  /** Answer a chat request, or throw a CharterError (BAD_USER_INPUT, FORBIDDEN, BUDGET_EXCEEDED, UPSTREAM_*). */
  runChat(args: RunChatArgs): Promise<ChatResult>;
  /**
   * Stream a text answer. Routing, budget and fallbacks work as in runChat until the first token;
   * after it the answering model is fixed. Resolves once a model has produced its first token (or
   * ended), and throws like runChat when none could. Structured output cannot be streamed (BAD_USER_INPUT).
   */
  streamChat(args: RunChatArgs): Promise<ChatStream>;
  /** Embed texts with one embedding model: metered and budgeted like chat. */
  embed(args: { request: EmbedRequest; tenant: TenantAiContext; signal?: AbortSignal }): Promise<EmbedResult>;
  /** Models the tenant may use. */
  listModels(budget: TenantBudget): ModelConfig[];
}

/** Most texts in one embedding request. */
export const MAX_EMBED_INPUTS = 2048;

/** The SDK's zod adapter, typed loosely: its generic instantiation over an arbitrary zod type is too deep for tsc. */
const toSdkSchema = zodSchema as unknown as (schema: z.ZodTypeAny) => Schema<unknown>;


export function createAiService(options: AiServiceOptions): AiService {
  const { config, ledger } = options;
  // The SDK prints warnings (unknown model limits, unsupported settings) to the console: noise in a server.
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  const resolveModel = options.resolveModel ?? createLanguageModelResolver(config);
  const resolveEmbeddingModel = options.resolveEmbeddingModel ?? createEmbeddingModelResolver(config);
  const now = options.now ?? (() => new Date());
  const holdBudgets = createBudgetHolder(config, ledger, options.logger ?? createLogger('ai:budgets'), now);
  const random = options.random ?? Math.random;

  async function callProvider(call: PlannedCall, request: ChatRequest, signal: AbortSignal): Promise<ProviderAnswer> {
    const model = resolveModel(call.model);
    const messages = toModelMessages(request.messages);
    // maxRetries 0: retries and fallbacks are decided here, not inside the SDK. System messages
    // are the tenant's own instructions in a chat API, so they are allowed in the message list.
    const common = { model, messages, temperature: request.temperature, maxOutputTokens: call.maxOutputTokens, abortSignal: signal, maxRetries: 0, allowSystemInMessages: true };
    const format = request.responseFormat;
    if (format?.type === 'json') {
      const result = format.validator
        ? await generateObject({ ...common, schema: toSdkSchema(format.validator), schemaName: format.name })
        : format.schema
          ? await generateObject({ ...common, schema: jsonSchema(format.schema), schemaName: format.name })
          : await generateObject({ ...common, output: 'no-schema' });
      return { text: JSON.stringify(result.object), object: result.object, usage: toUsage(result.usage), finishReason: result.finishReason };
    }
    if (request.tools?.length) {
      // No `execute`: the SDK hands the calls back and the client runs its own tools.
      const tools = Object.fromEntries(request.tools.map((t) => [t.name, tool({ description: t.description, inputSchema: jsonSchema(t.parameters) })]));
      const toolChoice = typeof request.toolChoice === 'object' ? { type: 'tool' as const, toolName: request.toolChoice.name } : request.toolChoice;
      const result = await generateText({ ...common, tools, toolChoice });
      const toolCalls = result.toolCalls.map((c) => ({ id: c.toolCallId, name: c.toolName, arguments: JSON.stringify(c.input ?? {}) }));
      return { text: result.text, usage: toUsage(result.usage), finishReason: result.finishReason, ...(toolCalls.length ? { toolCalls } : {}) };
    }
    const result = await generateText(common);
    return { text: result.text, usage: toUsage(result.usage), finishReason: result.finishReason };
  }

  interface Prepared {
    request: ChatRequest;
    planned: PlannedCall[];
    attempts: ChatAttempt[];
    meter: UsageMeter;
  }

  /** Validate, pick models, and hold the budget estimate; throws before any provider call. */
  async function prepare(request: ChatRequest, tenant: TenantAiContext, signal: AbortSignal | undefined): Promise<Prepared> {
    const candidates = resolveCandidates(config, request, tenant.budget, tenant.tenant);
    const promptTokens = estimatePromptTokens(request.messages);
    const attempts: ChatAttempt[] = [];
    const planned = planCalls(candidates, request, promptTokens, attempts);
    signal?.throwIfAborted();

    // Hold the worst case of any model that may answer, so a fallback cannot overrun the budget.
    const estimateUsd = Math.max(...planned.map((call) => computeCostUsd(call.model, promptTokens, call.outputEstimate)));
    const estimateTokens = promptTokens + Math.max(...planned.map((call) => call.outputEstimate));
    const holds = await holdBudgets(tenant, estimateUsd, estimateTokens);

    const spent = { costUsd: 0, tokens: 0 };
    let settled = false;
    const meter: UsageMeter = {
      async record(model, inputTokens, outputTokens, latencyMs) {
        const costUsd = computeCostUsd(model, inputTokens, outputTokens);
        spent.costUsd += costUsd;
        spent.tokens += inputTokens + outputTokens;
        await ledger.record({ tenant: tenant.tenant, keyId: tenant.keyId, model: model.id, provider: model.provider, inputTokens, outputTokens, costUsd, latencyMs, at: now().toISOString(), ...(tenant.cause ? { cause: tenant.cause } : {}) });
        return costUsd;
      },
      async settle() {
        if (settled) return;
        settled = true;
        await holds.settle(spent);
      },
    };
    return { request, planned, attempts, meter };
  }

  const responseCache = createChatResponseCache();

  async function runChat(args: RunChatArgs): Promise<ChatResult> {
    const ttlSec = args.tenant.budget.cacheTtlSec;
    const validated = validateRequest(args.request);
    // Only deterministic calls, and never one whose output is checked by code (a zod validator).
    const cacheable = ttlSec !== undefined && validated.temperature === 0 && !(validated.responseFormat?.type === 'json' && validated.responseFormat.validator);
    if (!cacheable) return runChatUncached({ ...args, request: validated });
    // A hit must still be a model the tenant may use now (its allowed models can change).
    resolveCandidates(config, validated, args.tenant.budget, args.tenant.tenant);
    const key = chatCacheKey(args.tenant.tenant, validated);
    const hit = responseCache.get(args.tenant.tenant, key, now().getTime());
    if (hit) {
      const t = args.tenant;
      await ledger.record({ tenant: t.tenant, keyId: t.keyId, model: hit.model, provider: hit.provider, inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0, at: now().toISOString(), cacheHit: true, ...(t.cause ? { cause: t.cause } : {}) });
      return { ...hit, costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, attempts: [], cacheHit: true };
    }
    const result = await runChatUncached({ ...args, request: validated });
    // A copy: the caller may change its result without changing what later hits return.
    responseCache.set(args.tenant.tenant, key, structuredClone(result), now().getTime() + ttlSec * 1000);
    return result;
  }

  async function runChatUncached({ request: rawRequest, tenant, signal }: RunChatArgs): Promise<ChatResult> {
    const { request, planned, attempts, meter } = await prepare(validateRequest(rawRequest), tenant, signal);
    try {
      for (const call of planned) {
        for (let retry = 0; retry <= config.maxRetries; retry++) {
          if (signal?.aborted) throw cancelled(attempts);
          const deadline = new AbortController();
          const timer = setTimeout(() => deadline.abort(new Error('provider call timed out')), config.timeoutMs);
          const callSignal = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
          const started = performance.now();
          try {
            const answer = await callProvider(call, request, callSignal);
            const latencyMs = Math.round(performance.now() - started);
            const costUsd = await meter.record(call.model, answer.usage.inputTokens, answer.usage.outputTokens, latencyMs);
            attempts.push({ model: call.model.id, provider: call.model.provider });
            return { ...answer, costUsd, model: call.model.id, provider: call.model.provider, attempts };
          } catch (err) {
            if (signal?.aborted) throw cancelled(attempts);
            const failure = classifyFailure(err, deadline.signal.aborted, config.timeoutMs);
            if (failure.billed) await meter.record(call.model, failure.billed.inputTokens, failure.billed.outputTokens, Math.round(performance.now() - started));
            attempts.push({ model: call.model.id, provider: call.model.provider, error: { code: failure.code, message: failure.message } });
            if (!failure.retryable || retry === config.maxRetries) break;
            await backoff(retry, failure, signal);
          } finally {
            clearTimeout(timer);
          }
        }
      }
      throw exhausted(attempts);
    } finally {
      await meter.settle();
    }
  }

  /** Full jitter spreads the retries of many callers hit by the same outage. */
  function backoff(retry: number, failure: CallFailure, signal: AbortSignal | undefined): Promise<void> {
    const wait = backoffDelayMs(retry + 1, config.retryBaseDelayMs, MAX_BACKOFF_MS, random);
    return sleep(Math.min(MAX_BACKOFF_MS, Math.max(wait, failure.retryAfterMs ?? 0)), signal);
  }

  async function streamChat({ request: rawRequest, tenant, signal }: RunChatArgs): Promise<ChatStream> {
    const validated = validateRequest(rawRequest);
    if (validated.responseFormat?.type === 'json') throw new CharterError('BAD_USER_INPUT', 'structured (JSON) output cannot be streamed; ask without streaming');
    const { request, planned, attempts, meter } = await prepare(validated, tenant, signal);
    let handedOver = false;
    try {
      for (const call of planned) {
        for (let retry = 0; retry <= config.maxRetries; retry++) {
          if (signal?.aborted) throw cancelled(attempts);
          const opened = await openChatStream({
            call,
            request,
            signal,
            timeoutMs: config.timeoutMs,
            attempts,
            meter,
            classify: (err, timedOut) => classifyFailure(err, timedOut, config.timeoutMs),
            start: (abortSignal) =>
              streamText({
                model: resolveModel(call.model),
                messages: toModelMessages(request.messages),
                temperature: request.temperature,
                maxOutputTokens: call.maxOutputTokens,
                abortSignal,
                maxRetries: 0,
                allowSystemInMessages: true,
                // Errors arrive as stream parts and are handled there; the default handler logs them.
                onError: () => {},
              }).fullStream,
          });
          if (opened.status === 'open') {
            handedOver = true;
            return opened.stream;
          }
          if (signal?.aborted) throw cancelled(attempts);
          const failure = opened.failure;
          attempts.push({ model: call.model.id, provider: call.model.provider, error: { code: failure.code, message: failure.message } });
          if (!failure.retryable || retry === config.maxRetries) break;
          await backoff(retry, failure, signal);
        }
      }
      throw exhausted(attempts);
    } finally {
      // Once a stream is handed over, it settles the hold itself when it ends.
      if (!handedOver) await meter.settle();
    }
  }

  async function embed({ request, tenant, signal }: { request: EmbedRequest; tenant: TenantAiContext; signal?: AbortSignal }): Promise<EmbedResult> {
    const inputs = request.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((text) => typeof text !== 'string')) throw new CharterError('BAD_USER_INPUT', 'input must be a non-empty list of strings');
    if (inputs.length > MAX_EMBED_INPUTS) throw new CharterError('BAD_USER_INPUT', `at most ${MAX_EMBED_INPUTS} texts per request`);
    const allowed = config.models.filter((m) => isEmbeddingModel(m) && isModelAllowed(tenant.budget, m.id));
    const model = request.model ? config.models.find((m) => m.id === request.model) : allowed[0];
    if (!model) throw new CharterError('BAD_USER_INPUT', request.model ? `unknown model '${request.model}'` : 'no embedding model is configured for this tenant');
    if (!isModelAllowed(tenant.budget, model.id)) throw new CharterError('FORBIDDEN', `model '${model.id}' is not allowed for tenant ${tenant.tenant}`);
    if (!isEmbeddingModel(model)) throw new CharterError('BAD_USER_INPUT', `model '${model.id}' is not an embedding model`);
    const tokens = inputs.map((text) => estimatePromptTokens([{ role: 'user', content: text }]));
    const longest = Math.max(...tokens);
    if (longest > model.contextWindow) throw new CharterError('BAD_USER_INPUT', `a text of about ${longest} tokens exceeds the context window of ${model.id} (${model.contextWindow})`);
    const estimateTokens = tokens.reduce((a, b) => a + b, 0);
    const holds = await holdBudgets(tenant, computeCostUsd(model, estimateTokens, 0), estimateTokens);
    const spent = { costUsd: 0, tokens: 0 };
    const attempts: ChatAttempt[] = [];
    try {
      for (let retry = 0; retry <= config.maxRetries; retry++) {
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(new Error('provider call timed out')), config.timeoutMs);
        const started = performance.now();
        try {
          const result = await embedMany({ model: resolveEmbeddingModel(model), values: inputs, abortSignal: signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal, maxRetries: 0 });
          const inputTokens = result.usage?.tokens ?? estimateTokens;
          const costUsd = computeCostUsd(model, inputTokens, 0);
          spent.costUsd = costUsd;
          spent.tokens = inputTokens;
          await ledger.record({ tenant: tenant.tenant, keyId: tenant.keyId, model: model.id, provider: model.provider, inputTokens, outputTokens: 0, costUsd, latencyMs: Math.round(performance.now() - started), at: now().toISOString(), ...(tenant.cause ? { cause: tenant.cause } : {}) });
          return { embeddings: result.embeddings, usage: { inputTokens }, costUsd, model: model.id, provider: model.provider };
        } catch (err) {
          if (err instanceof CharterError) throw err;
          if (signal?.aborted) throw cancelled(attempts);
          const failure = classifyFailure(err, deadline.signal.aborted, config.timeoutMs);
          attempts.push({ model: model.id, provider: model.provider, error: { code: failure.code, message: failure.message } });
          if (!failure.retryable || retry === config.maxRetries) break;
          await backoff(retry, failure, signal);
        } finally {
          clearTimeout(timer);
        }
      }
      throw exhausted(attempts);
    } finally {
      await holds.settle(spent);
    }
  }

  return {
    config,
    runChat,
    streamChat,
    embed,
    listModels: (budget) => config.models.filter((model) => isModelAllowed(budget, model.id)),
  };
}

function cancelled(attempts: ChatAttempt[]): CharterError {
  return new CharterError('UPSTREAM_TIMEOUT', 'the chat request was cancelled before a provider answered', { attempts });
}

function exhausted(attempts: ChatAttempt[]): CharterError {
  const failed = attempts.filter((attempt) => attempt.error);
  const summary = failed.map((attempt) => `${attempt.model}: ${attempt.error!.code}`).join(', ');
  const calledAndTimedOut = failed.filter((attempt) => attempt.error!.code !== 'CONTEXT_WINDOW_EXCEEDED');
  const allTimedOut = calledAndTimedOut.length > 0 && calledAndTimedOut.every((attempt) => attempt.error!.code === 'PROVIDER_TIMEOUT');
  return new CharterError(allTimedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE', `no model answered (${summary})`, { attempts });
}

/** The known models for an error message: all of a short list, else the first few and where to see the rest. */
function knownModelsHint(ids: string[]): string {
  return ids.length <= 12 ? `known models: ${ids.join(', ')}` : `known models include ${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more (see the models field or GET /v1/models)`;
}

/**
 * Charter's messages as the AI SDK's: an assistant message with tool calls becomes text plus
 * tool-call parts; a tool message becomes a tool-result part naming the tool it answers.
 */
export function toModelMessages(messages: ChatMessage[]): ModelMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((message): ModelMessage => {
    if (message.role === 'assistant' && message.toolCalls?.length) {
      for (const call of message.toolCalls) toolNames.set(call.id, call.name);
      return {
        role: 'assistant',
        content: [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...message.toolCalls.map((call) => ({ type: 'tool-call' as const, toolCallId: call.id, toolName: call.name, input: parseArguments(call.arguments) })),
        ],
      };
    }
    if (message.role === 'tool') {
      const toolName = toolNames.get(message.toolCallId!);
      if (!toolName) throw new CharterError('BAD_USER_INPUT', `a tool message answers tool call '${message.toolCallId}', which no earlier assistant message made`);
      return { role: 'tool', content: [{ type: 'tool-result', toolCallId: message.toolCallId!, toolName, output: { type: 'text', value: message.content } }] };
    }
    return { role: message.role, content: message.content } as ModelMessage;
  });
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CharterError('BAD_USER_INPUT', 'tool call arguments must be a JSON text');
  }
}

/** The identity of a deterministic chat call within one tenant. */
function chatCacheKey(tenant: string, request: ChatRequest): string {
  const { model, route, messages, maxTokens, tools, toolChoice, responseFormat } = request;
  const format = responseFormat?.type === 'json' ? { type: 'json', schema: responseFormat.schema ?? null, name: responseFormat.name ?? null } : null;
  return createHash('sha256').update(JSON.stringify([tenant, model ?? null, route ?? null, messages, maxTokens ?? null, tools ?? null, toolChoice ?? null, format])).digest('hex');
}

/**
 * Bounded in-process LRUs of answers with their expiry (per AI subgraph replica), one per tenant:
 * a tenant's lookups only ever read its own store, and a tenant filling its store evicts only its
 * own answers, never another tenant's.
 */
export function createChatResponseCache(maxEntriesPerTenant = 1000): {
  get(tenant: string, key: string, at: number): ChatResult | undefined;
  set(tenant: string, key: string, value: ChatResult, until: number): void;
} {
  const stores = new Map<string, Map<string, { value: ChatResult; until: number }>>();
  return {
    get(tenant, key, at) {
      const entries = stores.get(tenant);
      const entry = entries?.get(key);
      if (!entries || !entry) return undefined;
      entries.delete(key);
      if (entry.until <= at) return undefined;
      // Re-inserted: a Map's order is the recency order eviction reads.
      entries.set(key, entry);
      return entry.value;
    },
    set(tenant, key, value, until) {
      let entries = stores.get(tenant);
      if (!entries) stores.set(tenant, (entries = new Map()));
      entries.delete(key);
      entries.set(key, { value, until });
      if (entries.size > maxEntriesPerTenant) entries.delete(entries.keys().next().value!);
    },
  };
}
