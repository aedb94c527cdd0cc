/**
 * Pure translation between Anthropic's Messages API and Charter's chat types, for `POST /v1/messages`
 * (http-routes.ts): clients written for Anthropic reach every configured model with the same
 * routing, policies, metering and budgets. Text, system prompts, tools (`tool_use` / `tool_result`
 * blocks) and streaming events are translated; other content blocks (images, documents) are refused.
 */
import { CharterError, httpStatusOf } from '../../core/errors';
import type { ChatFinishReason, ChatMessage, ChatRequest, ChatResult, ChatToolChoice } from './chat-types';

export interface AnthropicMessagesRequest {
  request: ChatRequest;
  stream: boolean;
}

function bad(message: string): CharterError {
  return new CharterError('BAD_USER_INPUT', message);
}

function textOf(content: unknown, where: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((block: any, i) => {
        if (block?.type === 'text' && typeof block.text === 'string') return block.text;
        throw bad(`${where}[${i}]: only text blocks are supported here`);
      })
      .join('');
  }
  throw bad(`${where} must be a string or an array of text blocks`);
}

/** One Anthropic message may hold text, tool_use and tool_result blocks: it becomes one or more chat messages. */
function messagesOf(message: any, index: number): ChatMessage[] {
  const where = `messages[${index}]`;
  if (message?.role !== 'user' && message?.role !== 'assistant') throw bad(`${where}.role must be 'user' or 'assistant'`);
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  if (!Array.isArray(message.content)) throw bad(`${where}.content must be a string or an array of blocks`);
  const out: ChatMessage[] = [];
  let text = '';
  const toolCalls: NonNullable<ChatMessage['toolCalls']> = [];
  message.content.forEach((block: any, i: number) => {
    switch (block?.type) {
      case 'text':
        if (typeof block.text !== 'string') throw bad(`${where}.content[${i}].text must be a string`);
        text += block.text;
        break;
      case 'tool_use':
        if (message.role !== 'assistant' || typeof block.id !== 'string' || typeof block.name !== 'string') throw bad(`${where}.content[${i}]: tool_use blocks belong to assistant messages, with id and name`);
        toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
        break;
      case 'tool_result':
        if (message.role !== 'user' || typeof block.tool_use_id !== 'string') throw bad(`${where}.content[${i}]: tool_result blocks belong to user messages, with tool_use_id`);
        out.push({ role: 'tool', toolCallId: block.tool_use_id, content: block.content === undefined ? '' : textOf(block.content, `${where}.content[${i}].content`) });
        break;
      default:
        throw bad(`${where}.content[${i}]: block type '${String(block?.type)}' is not supported (text, tool_use, tool_result)`);
    }
  });
  if (text || toolCalls.length) out.push({ role: message.role, content: text, ...(toolCalls.length ? { toolCalls } : {}) });
  return out;
}

function toolChoiceOf(choice: any): ChatToolChoice {
  switch (choice?.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      if (typeof choice.name === 'string') return { name: choice.name };
      break;
  }
  throw bad("tool_choice must be { type: 'auto' | 'any' | 'none' } or { type: 'tool', name }");
}

/** Read a Messages API body; `model` names a Charter model, or a route when `routes` holds it. */
export function fromAnthropicRequest(body: unknown, routes: readonly string[]): AnthropicMessagesRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('the request body must be a JSON object');
  const input = body as Record<string, any>;
  if (typeof input.model !== 'string' || !input.model) throw bad('model is required');
  if (!Number.isInteger(input.max_tokens) || input.max_tokens < 1) throw bad('max_tokens is required and must be a positive integer');
  if (!Array.isArray(input.messages)) throw bad('messages must be an array');
  const messages: ChatMessage[] = [];
  if (input.system !== undefined) messages.push({ role: 'system', content: textOf(input.system, 'system') });
  input.messages.forEach((m: unknown, i: number) => messages.push(...messagesOf(m, i)));
  const request: ChatRequest = { messages, maxTokens: input.max_tokens };
  if (routes.includes(input.model)) request.route = input.model;
  else request.model = input.model;
  if (input.temperature != null) request.temperature = input.temperature;
  if (input.tools != null) {
    if (!Array.isArray(input.tools)) throw bad('tools must be an array');
    request.tools = input.tools.map((t: any, i: number) => {
      if (typeof t?.name !== 'string') throw bad(`tools[${i}].name is required`);
      return { name: t.name, ...(typeof t.description === 'string' ? { description: t.description } : {}), parameters: t.input_schema ?? { type: 'object', properties: {} } };
    });
  }
  if (input.tool_choice != null) request.toolChoice = toolChoiceOf(input.tool_choice);
  return { request, stream: input.stream === true };
}

export function toAnthropicStopReason(reason: ChatFinishReason): string {
  return reason === 'length' ? 'max_tokens' : reason === 'tool-calls' ? 'tool_use' : 'end_turn';
}

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

function blocksOf(result: ChatResult): Block[] {
  const blocks: Block[] = result.text ? [{ type: 'text', text: result.text }] : [];
  for (const call of result.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) });
  return blocks.length ? blocks : [{ type: 'text', text: '' }];
}

export function toAnthropicResponse(result: ChatResult, id: string): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: result.model,
    content: blocksOf(result),
    stop_reason: toAnthropicStopReason(result.finishReason),
    stop_sequence: null,
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
    charter: { provider: result.provider, cost_usd: result.costUsd, attempts: result.attempts },
  };
}

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** The events that open a streamed message, before any block. */
export function anthropicStreamStart(id: string, model: string, inputTokens: number): string {
  return event('message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 0 } } });
}

export const anthropicTextBlockStart = (index: number): string => event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
export const anthropicTextDelta = (index: number, text: string): string => event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
export const anthropicBlockStop = (index: number): string => event('content_block_stop', { type: 'content_block_stop', index });

export function anthropicStreamEnd(result: ChatResult): string {
  return (
    event('message_delta', { type: 'message_delta', delta: { stop_reason: toAnthropicStopReason(result.finishReason), stop_sequence: null }, usage: { output_tokens: result.usage.outputTokens } }) +
    event('message_stop', { type: 'message_stop' })
  );
}

/** A whole result as the stream of events Anthropic sends (text deltas, tool input as JSON deltas). */
export function toAnthropicStreamEvents(result: ChatResult, id: string): string[] {
  const events = [anthropicStreamStart(id, result.model, result.usage.inputTokens)];
  blocksOf(result).forEach((block, index) => {
    if (block.type === 'text') {
      events.push(anthropicTextBlockStart(index));
      if (block.text) events.push(anthropicTextDelta(index, block.text));
    } else {
      events.push(event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
      events.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } }));
    }
    events.push(anthropicBlockStop(index));
  });
  events.push(anthropicStreamEnd(result));
  return events;
}

const ERROR_TYPES: Record<string, string> = {
  BAD_USER_INPUT: 'invalid_request_error',
  UNAUTHENTICATED: 'authentication_error',
  FORBIDDEN: 'permission_error',
  NOT_FOUND: 'not_found_error',
  RATE_LIMITED: 'rate_limit_error',
  BUDGET_EXCEEDED: 'rate_limit_error',
};

/** An Anthropic-style error body and its status. */
export function toAnthropicError(err: CharterError): { status: number; body: { type: 'error'; error: { type: string; message: string } } } {
  const status = httpStatusOf(err.code);
  return { status, body: { type: 'error', error: { type: ERROR_TYPES[err.code] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message: err.message } } };
}

export const anthropicStreamError = (err: CharterError): string => event('error', toAnthropicError(err).body);
