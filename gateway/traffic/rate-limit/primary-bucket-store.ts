/**
 * Rate-limit buckets held by the cluster's primary process, for `charter gateway --workers N`
 * without Redis: every worker asks the primary over the cluster IPC channel, so a tenant's limit
 * holds across all workers (as Redis makes it hold across replicas) instead of N times over.
 * The worker side is a shared store like the Redis one, so the limiter's timeout and fail-open
 * rules apply to it unchanged.
 */
import type { Worker } from 'node:cluster';
import { createMemoryBucketStore, type MemoryBucketStore } from './memory-store';
import type { BucketDecision, RateLimitScope } from './token-bucket';

/** A store whose buckets live elsewhere (Redis, the primary process). */
export interface SharedBucketStore {
  take(scopes: RateLimitScope[]): Promise<BucketDecision>;
}

interface TakeRequest {
  type: 'charter:rl-take';
  id: number;
  scopes: RateLimitScope[];
}
interface TakeReply {
  type: 'charter:rl-decision';
  id: number;
  decision: BucketDecision;
}

/** Worker side: each take is one IPC round trip to the primary. */
export function primaryBucketStore(channel: Pick<NodeJS.Process, 'send' | 'on'> = process): SharedBucketStore {
  let nextId = 0;
  const waiting = new Map<number, (decision: BucketDecision) => void>();
  channel.on('message', (message: TakeReply | { type?: string }) => {
    if (message?.type !== 'charter:rl-decision') return;
    const reply = message as TakeReply;
    waiting.get(reply.id)?.(reply.decision);
    waiting.delete(reply.id);
  });
  return {
    take(scopes) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, resolve);
        // The limiter times a slow answer out; a dead channel fails at once.
        if (!channel.send!({ type: 'charter:rl-take', id, scopes } satisfies TakeRequest)) {
          waiting.delete(id);
          reject(new Error('the primary process is not reachable'));
        }
      }).finally(() => waiting.delete(id)) as Promise<BucketDecision>;
    },
  };
}

/** Primary side: one in-memory store for every worker; answers each worker's takes. */
export function servePrimaryBuckets(maxBuckets?: number): { attach(worker: Worker): void; readonly store: MemoryBucketStore } {
  const store = createMemoryBucketStore(maxBuckets);
  return {
    store,
    attach(worker) {
      worker.on('message', (message: TakeRequest | { type?: string }) => {
        if (message?.type !== 'charter:rl-take') return;
        const request = message as TakeRequest;
        // Malformed scopes from a worker must not crash the primary: refuse them as an empty take.
        const scopes = Array.isArray(request.scopes) ? request.scopes.filter((s) => s && typeof s.key === 'string' && s.limit && typeof s.limit.capacity === 'number') : [];
        const decision = store.take(scopes, Date.now());
        if (worker.isConnected()) worker.send({ type: 'charter:rl-decision', id: request.id, decision } satisfies TakeReply);
      });
    },
  };
}
