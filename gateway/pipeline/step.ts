/**
 * The gateway's request pipeline: an ordered list of named steps over one context per request, in
 * the spirit of Envelop's `useXxx` plugins and Apollo Server's phases. Each step either answers
 * (the pipeline stops there) or passes on (returns undefined) after adding what it learnt to the
 * context; `after` hooks (usage, metrics, later the call log) run once the answer is known.
 *
 * Steps are plain objects built once when the gateway starts: a request allocates its context and
 * nothing per step, and the loop is a plain `for` (the gateway is benchmarked).
 */
import type { Answer } from './answer';

export interface GatewayStep<C> {
  /** Shown in traces and errors, and how a reader finds the step: `gateway/pipeline/steps/<name>.ts`. */
  readonly name: string;
  /** An answer stops the pipeline; undefined passes on to the next step. */
  run?(ctx: C): Answer | undefined | Promise<Answer | undefined>;
  /** After the answer is known (and, for the streaming /v1 proxy, written). Must not throw. */
  after?(ctx: C, answer: Answer): void;
}

/** Runs `steps[from..to)` in order until one answers; undefined when all passed on. */
export async function runSteps<C>(steps: ReadonlyArray<GatewayStep<C>>, ctx: C, from = 0, to = steps.length): Promise<Answer | undefined> {
  for (let i = from; i < to; i++) {
    const run = steps[i]!.run;
    if (!run) continue;
    const pending = run.call(steps[i], ctx);
    // Most steps answer synchronously on the hot path: no await (and no microtask) for those.
    const answer = pending instanceof Promise ? await pending : pending;
    if (answer) return answer;
  }
  return undefined;
}

/** Runs every step's `after` hook with the final answer. */
export function runAfterHooks<C>(steps: ReadonlyArray<GatewayStep<C>>, ctx: C, answer: Answer): void {
  for (let i = 0; i < steps.length; i++) steps[i]!.after?.(ctx, answer);
}
