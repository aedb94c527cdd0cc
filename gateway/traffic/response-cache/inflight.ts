/**
 * Identical concurrent requests share one execution: the first runs, the others await its promise.
 * The entry is forgotten as soon as it settles, so later requests run afresh (or hit the cache).
 * The key must be a response cache key (see `cacheKeyFor`): sharing is safe only between requests
 * that would get the same answer, i.e. same tenant, permission set, operation and variables.
 */
export interface InflightDeduper {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  readonly size: number;
}

export function createInflightDeduper(): InflightDeduper {
  const inflight = new Map<string, Promise<unknown>>();
  return {
    get size() {
      return inflight.size;
    },
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const running = inflight.get(key);
      if (running) return running as Promise<T>;
      const started = Promise.resolve()
        .then(fn)
        .finally(() => inflight.delete(key));
      inflight.set(key, started);
      return started;
    },
  };
}
