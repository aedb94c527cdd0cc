/**
 * The `local` provider: an in-process LanguageModelV2 with no network and no key. Its answer is a
 * pure function of the prompt (it echoes the last user message), token counts come from Charter's
 * simple tokenizer, and it returns JSON shaped by the requested schema when asked for structured
 * output. It keeps `npm start` answering AI queries and makes tests exact.
 *
 * Tools, deterministically: with `required` (or a named tool) it calls that tool (the first one for
 * `required`); with `auto` it calls the first tool whose name the last user message mentions, and
 * answers in text otherwise. Arguments are built from the tool's input schema and the user's text.
 * After a tool result it answers `Tool <name> returned: <result>`.
 */
import type { EmbeddingModelV2, LanguageModelV2, LanguageModelV2CallOptions, LanguageModelV2Prompt, LanguageModelV2StreamPart, LanguageModelV2FinishReason } from '@ai-sdk/provider';
import { createHash } from 'node:crypto';
import { countTokens } from '../tokens';

const PIECE = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Text of a prompt message, whatever its shape. */
function messageText(message: LanguageModelV2Prompt[number]): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function lastUserText(prompt: LanguageModelV2Prompt): string {
  for (let index = prompt.length - 1; index >= 0; index--) {
    const message = prompt[index]!;
    if (message.role === 'user') return messageText(message);
  }
  return '';
}

/** Cut a text after its first `maxTokens` tokens, keeping the original spacing. */
function truncateToTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  let count = 0;
  for (const match of text.matchAll(PIECE)) {
    count++;
    if (count === maxTokens) {
      const end = match.index + match[0].length;
      return { text: text.slice(0, end), truncated: end < text.trimEnd().length };
    }
  }
  return { text, truncated: false };
}

/** A value that satisfies a JSON schema, built deterministically from the echoed text. */
export function sampleFromSchema(schema: unknown, echo: string, depth = 0): unknown {
  const node = (schema ?? {}) as Record<string, unknown>;
  if (depth > 8) return null;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  if ('const' in node) return node.const;
  const anyOf = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length > 0) return sampleFromSchema(anyOf[0], echo, depth + 1);
  const type = Array.isArray(node.type) ? (node.type.find((t) => t !== 'null') as string | undefined) : (node.type as string | undefined);
  switch (type) {
    case 'string':
      return echo;
    case 'integer':
      return countTokens(echo);
    case 'number':
      // A middling value fits the usual score or probability fields.
      return 0.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return [sampleFromSchema(node.items, echo, depth + 1)];
    case 'object':
    default: {
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      if (Object.keys(properties).length === 0 && type !== 'object') return { echo, tokens: countTokens(echo) };
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(properties)) result[key] = sampleFromSchema(child, echo, depth + 1);
      return result;
    }
  }
}

interface LocalAnswer {
  text: string;
  toolCall?: { toolCallId: string; toolName: string; input: string };
  finishReason: LanguageModelV2FinishReason;
  inputTokens: number;
  outputTokens: number;
}

/** The tool to call, if the call options ask for one (see the module comment). */
function chosenTool(options: LanguageModelV2CallOptions, echo: string): { name: string; inputSchema: unknown } | undefined {
  const tools = (options.tools ?? []).filter((t) => t.type === 'function');
  const choice = options.toolChoice ?? { type: 'auto' };
  if (tools.length === 0 || choice.type === 'none') return undefined;
  if (choice.type === 'tool') return tools.find((t) => t.name === choice.toolName);
  if (choice.type === 'required') return tools[0];
  return tools.find((t) => echo.includes(t.name));
}

/** The whole behaviour of the local model: a pure function of the call options. */
export function answerLocally(options: LanguageModelV2CallOptions): LocalAnswer {
  const echo = lastUserText(options.prompt);
  const inputTokens = options.prompt.reduce((sum, message) => sum + countTokens(messageText(message)), 0);
  const last = options.prompt.at(-1);
  if (last?.role === 'tool') {
    const results = last.content.map((part) => `${part.toolName} returned: ${part.output.type === 'text' || part.output.type === 'error-text' ? part.output.value : JSON.stringify(part.output.value)}`);
    const text = `Tool ${results.join('; ')}`;
    return { text, finishReason: 'stop', inputTokens, outputTokens: countTokens(text) };
  }
  const tool = chosenTool(options, echo);
  if (tool) {
    const input = JSON.stringify(sampleFromSchema(tool.inputSchema, echo));
    // Deterministic id: the same conversation gets the same call id.
    const toolCallId = `call_${tool.name}_${options.prompt.length}`;
    return { text: '', toolCall: { toolCallId, toolName: tool.name, input }, finishReason: 'tool-calls', inputTokens, outputTokens: countTokens(input) };
  }
  if (options.responseFormat?.type === 'json') {
    // Structured output is never truncated: half a JSON document is of no use to anyone.
    const text = JSON.stringify(sampleFromSchema(options.responseFormat.schema, echo));
    return { text, finishReason: 'stop', inputTokens, outputTokens: countTokens(text) };
  }
  const full = `Echo: ${echo}`;
  const { text, truncated } = options.maxOutputTokens ? truncateToTokens(full, options.maxOutputTokens) : { text: full, truncated: false };
  return { text, finishReason: truncated ? 'length' : 'stop', inputTokens, outputTokens: countTokens(text) };
}

/** Build the local model; `modelName` only labels it (every local model echoes). */
export function createLocalLanguageModel(modelName: string): LanguageModelV2 {
  return {
    specificationVersion: 'v2',
    provider: 'local',
    modelId: modelName,
    supportedUrls: {},
    async doGenerate(options) {
      options.abortSignal?.throwIfAborted();
      const answer = answerLocally(options);
      return {
        content: answer.toolCall ? [{ type: 'tool-call', ...answer.toolCall }] : [{ type: 'text', text: answer.text }],
        finishReason: answer.finishReason,
        usage: { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, totalTokens: answer.inputTokens + answer.outputTokens },
        warnings: [],
      };
    },
    async doStream(options) {
      options.abortSignal?.throwIfAborted();
      const answer = answerLocally(options);
      const parts: LanguageModelV2StreamPart[] = [{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: '0' }];
      // Stream word by word (each piece with the spacing before it) so clients see real deltas.
      for (const delta of answer.text.match(/\s*\S+/g) ?? []) parts.push({ type: 'text-delta', id: '0', delta });
      parts.push({ type: 'text-end', id: '0' });
      if (answer.toolCall) parts.push({ type: 'tool-call', ...answer.toolCall });
      parts.push({
        type: 'finish',
        finishReason: answer.finishReason,
        usage: { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, totalTokens: answer.inputTokens + answer.outputTokens },
      });
      const stream = new ReadableStream<LanguageModelV2StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      });
      return { stream };
    },
  };
}

/** Length of the local model's embedding vectors. */
export const LOCAL_EMBEDDING_DIMENSIONS = 16;

/** A unit vector that is a pure function of the text: equal texts embed equally. */
export function localEmbedding(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  const raw = Array.from({ length: LOCAL_EMBEDDING_DIMENSIONS }, (_, i) => digest.readInt16BE(i * 2) / 32768);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((v) => v / norm);
}

/** The local embedding model: deterministic vectors, tokens counted like the local chat model. */
export function createLocalEmbeddingModel(modelName: string): EmbeddingModelV2<string> {
  return {
    specificationVersion: 'v2',
    provider: 'local',
    modelId: modelName,
    maxEmbeddingsPerCall: 2048,
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal }) {
      abortSignal?.throwIfAborted();
      return { embeddings: values.map(localEmbedding), usage: { tokens: values.reduce((sum, v) => sum + countTokens(v), 0) } };
    },
  };
}
