/**
 * Follow a resource that the registry serves with conditional, long-polled GETs (supergraph,
 * tenants, prompt templates): ask with the last ETag and a wait, apply each new value, keep the
 * current one on errors and retry after a pause. `wake()` ends the wait in flight so the next ask
 * goes out at once (a Redis notification said something changed).
 */
import { sleep } from './async';

export interface LongPollOptions<T> {
  /** One conditional GET: the new value and its ETag, or null when nothing changed (304). */
  fetch(etag: string | undefined, waitMs: number, signal: AbortSignal): Promise<{ etag: string; value: T } | null>;
  /** Called with each new value, in order; a throw is reported through `onError` and the value kept unapplied. */
  apply(value: T): void | Promise<void>;
  /** ETag of the value the caller already holds. */
  etag?: string;
  waitMs?: number;
  retryDelayMs?: number;
  onError(err: unknown): void;
}

export interface LongPoll {
  wake(): void;
  stop(): Promise<void>;
}

export function followLongPoll<T>(options: LongPollOptions<T>): LongPoll {
  const stopped = new AbortController();
  let ask: AbortController | null = null;
  let etag = options.etag;
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      ask = new AbortController();
      try {
        const next = await options.fetch(etag, options.waitMs ?? 25_000, AbortSignal.any([stopped.signal, ask.signal]));
        if (!next) continue;
        await options.apply(next.value);
        etag = next.etag;
      } catch (err) {
        if (stopped.signal.aborted) return;
        if (ask.signal.aborted) continue; // woken: ask again now
        options.onError(err);
        await sleep(options.retryDelayMs ?? 1000, stopped.signal);
      }
    }
  })();
  return {
    wake: () => ask?.abort(),
    stop: async () => {
      stopped.abort();
      await loop;
    },
  };
}
