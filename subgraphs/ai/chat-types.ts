/**
 * The unified chat types every provider is mapped to and from: messages in; text or structured
 * output, token usage, cost, finish reason and the model that answered out.
 */
import type { ZodTypeAny } from 'zod';
import type { TenantBudget } from './models';

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A call of a tool the model asked for; `arguments` is the JSON text of the tool's input. */
export interface ChatToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** An assistant message: the tool calls it made. */
  toolCalls?: ChatToolCall[];
  /** A tool message: the call it answers. */
  toolCallId?: string;
}

/** A function the model may call: its name, what it does, and its input as JSON Schema. */
export interface ChatTool {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

/** Whether and which tool the model must call. */
export type ChatToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** A JSON Schema object (draft 7) describing the structured output wanted. */
export type JsonSchema = Record<string, unknown>;

export type ChatResponseFormat =
  | { type: 'text' }
  | {
      type: 'json';
      schema?: JsonSchema;
      name?: string;
      /**
       * A zod schema the output must satisfy; it is sent to the provider as JSON Schema (in place of
       * `schema`) and a reply that does not fit fails the call with PROVIDER_INVALID_RESPONSE.
       */
      validator?: ZodTypeAny;
    };

export interface ChatRequest {
  /** A model id from config; exclusive with `route`. */
  model?: string;
  /** A route name from config; with neither `model` nor `route` the `default` route answers. */
  route?: string;
  messages: ChatMessage[];
  temperature?: number;
  /** Most tokens the answer may have. */
  maxTokens?: number;
  responseFormat?: ChatResponseFormat;
  tools?: ChatTool[];
  toolChoice?: ChatToolChoice;
}

export type ChatFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other' | 'unknown';

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface ChatAttempt {
  model: string;
  provider: string;
  /** Absent on the attempt that answered. */
  error?: { code: string; message: string };
}

export interface ChatResult {
  text: string;
  /** The tools the model asked to call (finish reason `tool-calls`); the client runs them. */
  toolCalls?: ChatToolCall[];
  /** The parsed structured output when `responseFormat` was JSON. */
  object?: unknown;
  usage: ChatUsage;
  /** Full precision; round only for display. */
  costUsd: number;
  finishReason: ChatFinishReason;
  /** Charter model id that answered. */
  model: string;
  /** Provider id (config key) that answered. */
  provider: string;
  /** Every provider call made, in order, including retries and skipped fallbacks. */
  attempts: ChatAttempt[];
  /** Answered from the tenant's exact-match cache (no provider call, no cost). */
  cacheHit?: boolean;
}

/** Who is asking, built once per request from the verified principal. */
export interface TenantAiContext {
  tenant: string;
  /** API key id the request came with, for per-key usage reports. */
  keyId?: string;
  budget: TenantBudget;
  /**
   * What caused the spend: the GraphQL field (`Query.chat`, `Query.embed`), the prompt template
   * (`prompt:<name>`) or the /v1 route (`/v1/chat/completions`); recorded on every billed call.
   */
  cause?: string;
}

/** How a stream ended. */
export type ChatStreamOutcome = 'completed' | 'cancelled' | 'failed';

/** The settled result of a stream: what was produced and billed, however it ended. */
export interface ChatStreamResult extends ChatResult {
  outcome: ChatStreamOutcome;
  /** Why a `failed` stream stopped after its first token. */
  error?: { code: string; message: string };
}

/**
 * A chat answer streaming from the one model that produced its first token (fallbacks happen only
 * before that). Usage is recorded when the stream ends, whether it completed, failed or was cancelled.
 */
export interface ChatStream {
  /** Charter model id streaming the answer. */
  readonly model: string;
  readonly provider: string;
  /** Failed calls made before this model answered. */
  readonly attempts: readonly ChatAttempt[];
  /**
   * Text deltas as the model produces them; read it once. Leaving the loop early cancels the
   * provider call. It throws a CharterError when the provider fails mid-stream.
   */
  readonly textStream: AsyncIterable<string>;
  /** Settles once the stream has ended and its usage is recorded; rejects only if recording fails. */
  readonly result: Promise<ChatStreamResult>;
  /** Abort the provider call; what was produced so far is recorded. */
  cancel(): void;
}

/** Texts to embed with one embedding model (the first the tenant may use when none is named). */
export interface EmbedRequest {
  model?: string;
  input: string[];
}

export interface EmbedResult {
  embeddings: number[][];
  /** Embeddings are billed by input tokens only. */
  usage: { inputTokens: number };
  costUsd: number;
  model: string;
  provider: string;
}
