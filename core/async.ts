/** Small timing helpers shared by every part that waits on something outside the process. */

/** A pause that ends early (resolving, not rejecting) when `signal` aborts, and never keeps the process alive. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'the call'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Work run one job at a time: each job starts after the previous one settles, whatever its outcome
 * (appends to one file, one composition per worker).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued job has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}

/**
 * Work serialized per key (e.g. changes to one variant): each job starts after the previous one for
 * its key settles, whatever its outcome. An idle key holds no memory.
 */
export class SerialQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(job);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every queued job has settled. */
  async drain(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}

/**
 * Delay before retry number `attempt` (1 for the first retry): "full jitter", a random wait between
 * 0 and min(maxMs, baseMs·2^(attempt-1)). The randomness spreads the retries of many gateways so they
 * do not hit a recovering subgraph in synchronized waves.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
