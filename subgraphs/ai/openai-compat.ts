/**
 * Pure translation between the OpenAI chat-completions wire format and Charter's chat types, for
 * the `/v1/chat/completions` endpoint (http-routes.ts): a request body becomes a runChat request,
 * a ChatResult becomes a response body or the SSE chunks of a stream, a CharterError an error body.
 */
import { CharterError, httpStatusOf, unreachable } from '../../core/errors';
import type { ChatFinishReason, ChatMessage, ChatRequest, ChatResult, ChatTool, ChatToolChoice } from './chat-types';

export interface OpenAIChatRequest {
  request: ChatRequest;
  stream: boolean;
  /** `stream_options.include_usage`: send a last chunk with usage. */
  includeUsage: boolean;
}

function bad(message: string): CharterError {
  return new CharterError('BAD_USER_INPUT', message);
}

function contentText(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: any, partIndex) => {
        if (part?.type === 'text' && typeof part.text === 'string') return part.text;
        throw bad(`messages[${index}].content[${partIndex}]: only text parts are supported`);
      })
      .join('');
  }
  throw bad(`messages[${index}].content must be a string or an array of text parts`);
}

const ROLES: Record<string, ChatMessage['role']> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: 'tool' };

function toolsOf(tools: unknown): ChatTool[] {
  if (!Array.isArray(tools)) throw bad('tools must be an array');
  return tools.map((t: any, index) => {
    if (t?.type !== 'function' || typeof t.function?.name !== 'string') throw bad(`tools[${index}] must be { type: 'function', function: { name, parameters } }`);
    return { name: t.function.name, ...(typeof t.function.description === 'string' ? { description: t.function.description } : {}), parameters: t.function.parameters ?? { type: 'object', properties: {} } };
  });
}

function toolChoiceOf(choice: unknown): ChatToolChoice {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  const name = (choice as any)?.function?.name;
  if ((choice as any)?.type === 'function' && typeof name === 'string') return { name };
  throw bad("tool_choice must be 'auto', 'none', 'required' or { type: 'function', function: { name } }");
}

function messageOf(message: any, index: number): ChatMessage {
  const role = ROLES[message?.role];
  if (!role) throw bad(`messages[${index}].role '${String(message?.role)}' is not supported (system, developer, user, assistant, tool)`);
  if (role === 'tool') {
    if (typeof message.tool_call_id !== 'string') throw bad(`messages[${index}]: a tool message needs tool_call_id`);
    return { role, content: contentText(message.content, index), toolCallId: message.tool_call_id };
  }
  if (role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length) {
    const toolCalls = message.tool_calls.map((call: any, callIndex: number) => {
      if (typeof call?.id !== 'string' || typeof call.function?.name !== 'string') throw bad(`messages[${index}].tool_calls[${callIndex}] needs id and function.name`);
      return { id: call.id, name: call.function.name, arguments: typeof call.function.arguments === 'string' ? call.function.arguments : '{}' };
    });
    return { role, content: message.content == null ? '' : contentText(message.content, index), toolCalls };
  }
  return { role, content: contentText(message.content, index) };
}

/**
 * Read an OpenAI chat-completions body. `model` names a Charter model, or a route when `routes`
 * holds that name. Tools and tool messages are translated; unsupported features (the deprecated
 * `functions`, n > 1, non-text parts) are refused, never ignored.
 */
export function fromOpenAIRequest(body: unknown, routes: readonly string[]): OpenAIChatRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('the request body must be a JSON object');
  const input = body as Record<string, any>;
  if (typeof input.model !== 'string' || !input.model) throw bad('model is required');
  if (!Array.isArray(input.messages)) throw bad('messages must be an array');
  if (input.functions !== undefined || input.function_call !== undefined) throw bad('the deprecated functions and function_call are not supported: send tools and tool_choice');
  if (input.n !== undefined && input.n !== 1) throw bad('only n = 1 is supported');
  const messages: ChatMessage[] = input.messages.map(messageOf);
  const request: ChatRequest = { messages };
  if (input.tools != null) request.tools = toolsOf(input.tools);
  if (input.tool_choice != null) request.toolChoice = toolChoiceOf(input.tool_choice);
  if (routes.includes(input.model)) request.route = input.model;
  else request.model = input.model;
  if (input.temperature != null) request.temperature = input.temperature;
  const maxTokens = input.max_completion_tokens ?? input.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  const format = input.response_format;
  if (format?.type === 'json_object') request.responseFormat = { type: 'json' };
  else if (format?.type === 'json_schema') request.responseFormat = { type: 'json', schema: format.json_schema?.schema, name: format.json_schema?.name };
  else if (format !== undefined && format?.type !== 'text') throw bad(`response_format type '${String(format?.type)}' is not supported`);
  return { request, stream: input.stream === true, includeUsage: input.stream_options?.include_usage === true };
}

export function toOpenAIFinishReason(reason: ChatFinishReason): string {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    case 'stop':
    case 'error':
    case 'other':
    case 'unknown':
      return 'stop';
    default: {
      return unreachable(reason);
    }
  }
}

export interface ResponseIdentity {
  /** e.g. `chatcmpl-<request id>`. */
  id: string;
  /** Unix seconds. */
  created: number;
}

function usageOf(result: ChatResult): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: result.usage.inputTokens, completion_tokens: result.usage.outputTokens, total_tokens: result.usage.totalTokens };
}

/** Charter's extras ride along under one key OpenAI clients ignore. */
function charterExtras(result: ChatResult): Record<string, unknown> {
  return { charter: { provider: result.provider, cost_usd: result.costUsd, attempts: result.attempts } };
}

function wireToolCalls(result: ChatResult): Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> {
  return (result.toolCalls ?? []).map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
}

function assistantMessage(result: ChatResult): Record<string, unknown> {
  if (!result.toolCalls?.length) return { role: 'assistant', content: result.text };
  return { role: 'assistant', content: result.text || null, tool_calls: wireToolCalls(result) };
}

export function toOpenAIResponse(result: ChatResult, identity: ResponseIdentity): Record<string, unknown> {
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: result.model,
    choices: [{ index: 0, message: assistantMessage(result), finish_reason: toOpenAIFinishReason(result.finishReason), logprobs: null }],
    usage: usageOf(result),
    ...charterExtras(result),
  };
}

/** The SSE frames of a finished result sent as a stream, ending with `data: [DONE]`. */
export function toOpenAIStreamChunks(result: ChatResult, identity: ResponseIdentity, options: { includeUsage: boolean }): string[] {
  const head = { id: identity.id, object: 'chat.completion.chunk', created: identity.created, model: result.model };
  const frame = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
  const frames = [frame({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })];
  for (const delta of result.text.match(/\s*\S+|\s+$/g) ?? []) frames.push(frame({ ...head, choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] }));
  wireToolCalls(result).forEach((call, index) => frames.push(frame({ ...head, choices: [{ index: 0, delta: { tool_calls: [{ index, ...call }] }, finish_reason: null }] })));
  frames.push(frame({ ...head, choices: [{ index: 0, delta: {}, finish_reason: toOpenAIFinishReason(result.finishReason) }] }));
  if (options.includeUsage) frames.push(frame({ ...head, choices: [], usage: usageOf(result), ...charterExtras(result) }));
  frames.push('data: [DONE]\n\n');
  return frames;
}

const OPENAI_ERROR_TYPES: Record<string, string> = {
  BAD_USER_INPUT: 'invalid_request_error',
  UNAUTHENTICATED: 'authentication_error',
  FORBIDDEN: 'permission_error',
  RATE_LIMITED: 'rate_limit_error',
  BUDGET_EXCEEDED: 'insufficient_quota',
};

/** An OpenAI-style error body and its HTTP status. */
export function toOpenAIError(err: CharterError): { status: number; body: { error: { message: string; type: string; code: string } } } {
  return { status: httpStatusOf(err.code), body: { error: { message: err.message, type: OPENAI_ERROR_TYPES[err.code] ?? 'api_error', code: err.code.toLowerCase() } } };
}

/** The SSE frames of a live stream, built one at a time as the model answers. */
export interface OpenAIChunkFrames {
  /** The first chunk: the assistant role with empty content. */
  role(): string;
  delta(text: string): string;
  /** The chunk carrying the finish reason, with an empty delta. */
  finish(reason: ChatFinishReason): string;
  /** The usage chunk (empty choices); only when the client asked with `stream_options.include_usage`. */
  usage(result: ChatResult): string;
  /** A mid-stream failure, as OpenAI sends it: a data line with an `error` object. */
  error(err: CharterError): string;
  done(): string;
}

export function createOpenAIChunkFrames(identity: ResponseIdentity, model: string, options: { includeUsage: boolean }): OpenAIChunkFrames {
  const head = { id: identity.id, object: 'chat.completion.chunk', created: identity.created, model };
  // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
  const usageNull = options.includeUsage ? { usage: null } : {};
  const frame = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
  const choice = (delta: Record<string, unknown>, finishReason: string | null) => frame({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...usageNull });
  return {
    role: () => choice({ role: 'assistant', content: '' }, null),
    delta: (text) => choice({ content: text }, null),
    finish: (reason) => choice({}, toOpenAIFinishReason(reason)),
    usage: (result) => frame({ ...head, choices: [], usage: usageOf(result), ...charterExtras(result) }),
    error: (err) => frame(toOpenAIError(err).body),
    done: () => 'data: [DONE]\n\n',
  };
}
