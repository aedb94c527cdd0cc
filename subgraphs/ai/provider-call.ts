/**
 * What routing hands the streaming path about one provider call: the planned call, how a failure is
 * classified, and the meter that bills it. Its own module so routing and streaming do not import each other.
 */
import type { ModelConfig } from './models';

export interface PlannedCall {
  model: ModelConfig;
  /** Output cap sent to the provider, if any. */
  maxOutputTokens: number | undefined;
  /** Output tokens assumed for the budget estimate. */
  outputEstimate: number;
}

export interface CallFailure {
  code: string;
  message: string;
  retryable: boolean;
  timedOut: boolean;
  /** Server-requested wait before a retry. */
  retryAfterMs?: number;
  /** Tokens the provider billed although the answer was unusable. */
  billed?: { inputTokens: number; outputTokens: number };
}

/** Holds a request's budget estimate, records each billed call, and settles the hold once. */
export interface UsageMeter {
  record(model: ModelConfig, inputTokens: number, outputTokens: number, latencyMs: number): Promise<number>;
  settle(): Promise<void>;
}
