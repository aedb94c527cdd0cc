/**
 * One streamed provider call: read the SDK's stream until the first token (the point after which
 * no fallback is possible), then hand the rest to the caller through a queue while a pump keeps
 * reading, so usage is recorded and the budget hold settled however the stream ends: completed,
 * failed mid-way, or cancelled by the client. A cancelled or failed stream is billed for what was
 * produced: the provider's own usage when it sent it, otherwise Charter's token estimate.
 */
import type { TextStreamPart, ToolSet } from 'ai';
import { CharterError } from '../../core/errors';
import type { ChatAttempt, ChatFinishReason, ChatRequest, ChatStream, ChatStreamOutcome, ChatStreamResult } from './chat-types';
import type { CallFailure, PlannedCall, UsageMeter } from './provider-call';
import { estimatePromptTokens, estimateTokens } from './tokens';

type StreamPart = TextStreamPart<ToolSet>;

export interface OpenChatStreamArgs {
  call: PlannedCall;
  request: ChatRequest;
  /** The caller's signal: aborting it cancels the call (before or after the first token). */
  signal: AbortSignal | undefined;
  /** Deadline for the first token, then for each gap between parts. */
  timeoutMs: number;
  /** Failed attempts so far; the stream appends its own entry when it ends. */
  attempts: ChatAttempt[];
  meter: UsageMeter;
  /** Start the SDK call with the given signal and return its full stream. */
  start(abortSignal: AbortSignal): AsyncIterable<StreamPart>;
  classify(err: unknown, timedOut: boolean): CallFailure;
}

export type OpenOutcome = { status: 'open'; stream: ChatStream } | { status: 'failed'; failure: CallFailure };

/** A single-reader async queue of text deltas, ended or failed by the pump. */
class DeltaQueue implements AsyncIterable<string> {
  private readonly items: string[] = [];
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private read = false;

  constructor(private readonly onStop: () => void) {}

  push(text: string): void {
    this.items.push(text);
    this.notify();
  }

  end(failure?: unknown): void {
    this.ended = true;
    this.failure = failure;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    if (this.read) throw new Error('a chat stream can be read only once');
    this.read = true;
    let finished = false;
    try {
      for (;;) {
        if (this.items.length > 0) {
          yield this.items.shift()!;
          continue;
        }
        if (this.ended) {
          finished = true;
          if (this.failure) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // The reader left before the end (break, return, throw): stop the provider call.
      if (!finished) this.onStop();
    }
  }
}

function finishReasonOf(reason: string | undefined): ChatFinishReason {
  const known: ChatFinishReason[] = ['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other', 'unknown'];
  return known.includes(reason as ChatFinishReason) ? (reason as ChatFinishReason) : 'unknown';
}

/**
 * Start one streamed call and wait for its first token. A failure before it is returned as a
 * value so the caller can retry or fall back; a caller abort before it is returned as a failure
 * too (the caller checks its own signal).
 */
export async function openChatStream(args: OpenChatStreamArgs): Promise<OpenOutcome> {
  const { call, request, signal, timeoutMs, attempts, meter } = args;
  const deadline = new AbortController();
  const stop = new AbortController();
  const callSignal = AbortSignal.any(signal ? [signal, deadline.signal, stop.signal] : [deadline.signal, stop.signal]);
  let timer: NodeJS.Timeout | undefined;
  const armDeadline = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => deadline.abort(new Error('provider call timed out')), timeoutMs);
  };
  const started = performance.now();
  armDeadline();

  let parts: AsyncIterator<StreamPart>;
  try {
    parts = args.start(callSignal)[Symbol.asyncIterator]();
  } catch (err) {
    clearTimeout(timer);
    return { status: 'failed', failure: args.classify(err, false) };
  }

  const failBeforeFirstToken = (failure: CallFailure): OpenOutcome => {
    clearTimeout(timer);
    stop.abort();
    void parts.return?.().catch(() => {});
    return { status: 'failed', failure };
  };

  const first: string[] = [];
  let finish: { reason: ChatFinishReason; inputTokens?: number; outputTokens?: number } | undefined;
  try {
    for (;;) {
      const next = await parts.next();
      if (next.done) break;
      const part = next.value;
      if (part.type === 'text-delta' && part.text) {
        first.push(part.text);
        break;
      }
      if (part.type === 'error') return failBeforeFirstToken(args.classify(part.error, deadline.signal.aborted));
      if (part.type === 'abort') return failBeforeFirstToken(args.classify(new Error('aborted'), deadline.signal.aborted));
      if (part.type === 'finish') {
        finish = { reason: finishReasonOf(part.finishReason), inputTokens: part.totalUsage.inputTokens, outputTokens: part.totalUsage.outputTokens };
        break;
      }
    }
  } catch (err) {
    return failBeforeFirstToken(args.classify(err, deadline.signal.aborted));
  }

  const queue = new DeltaQueue(() => stop.abort());
  for (const text of first) queue.push(text);
  let text = first.join('');

  const pump = async (): Promise<ChatStreamResult> => {
    // Assigned through `fail`, which flow analysis does not follow.
    let outcome = 'completed' as ChatStreamOutcome;
    let error: { code: string; message: string } | undefined;
    const fail = (failure: CallFailure): void => {
      outcome = 'failed';
      error = { code: failure.code, message: failure.message };
    };
    try {
      while (!finish) {
        armDeadline();
        const next = await parts.next();
        if (next.done) break;
        const part = next.value;
        if (part.type === 'text-delta') {
          text += part.text;
          queue.push(part.text);
        } else if (part.type === 'finish') {
          finish = { reason: finishReasonOf(part.finishReason), inputTokens: part.totalUsage.inputTokens, outputTokens: part.totalUsage.outputTokens };
        } else if (part.type === 'error') {
          fail(args.classify(part.error, deadline.signal.aborted));
          break;
        } else if (part.type === 'abort') {
          if (deadline.signal.aborted) fail(args.classify(new Error('aborted'), true));
          else outcome = 'cancelled';
          break;
        }
      }
    } catch (err) {
      if (signal?.aborted || stop.signal.aborted) outcome = 'cancelled';
      else fail(args.classify(err, deadline.signal.aborted));
    } finally {
      clearTimeout(timer);
    }
    if (outcome !== 'completed') {
      stop.abort();
      void parts.return?.().catch(() => {});
    }

    // The provider's figures when it sent them; otherwise the estimate of what was produced.
    const inputTokens = finish?.inputTokens ?? estimatePromptTokens(request.messages);
    const outputTokens = finish?.outputTokens ?? estimateTokens(text);
    try {
      const latencyMs = Math.round(performance.now() - started);
      const costUsd = await meter.record(call.model, inputTokens, outputTokens, latencyMs);
      attempts.push(error ? { model: call.model.id, provider: call.model.provider, error } : { model: call.model.id, provider: call.model.provider });
      const finishReason: ChatFinishReason = outcome === 'completed' ? (finish?.reason ?? 'unknown') : outcome === 'failed' ? 'error' : 'other';
      return {
        text,
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
        costUsd,
        finishReason,
        model: call.model.id,
        provider: call.model.provider,
        attempts,
        outcome,
        ...(error ? { error } : {}),
      };
    } finally {
      await meter.settle();
      const code = error?.code === 'PROVIDER_TIMEOUT' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
      queue.end(error ? new CharterError(code, `${call.model.id} failed mid-stream: ${error.message}`, { attempts }) : undefined);
    }
  };

  const result = pump();
  // Marked handled here: a caller who awaits `result` still sees a rejection.
  result.catch(() => {});
  return {
    status: 'open',
    stream: {
      model: call.model.id,
      provider: call.model.provider,
      attempts: [...attempts],
      textStream: queue,
      result,
      cancel: () => stop.abort(),
    },
  };
}
