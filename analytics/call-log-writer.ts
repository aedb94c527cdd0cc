/**
 * The gateway side of the call log: records are queued in memory and sent in batches (at most
 * `maxBatch` records, or every `flushIntervalMs`) to a sink, the registry. `record` never awaits
 * and never throws: a slow or failed sink cannot slow or fail a request. What cannot be kept (queue
 * full, or a batch the sink refused) is dropped and counted (`onDrop`, a Prometheus counter).
 * A `kill -9` loses at most what is queued: one batch's worth, bounded by size and interval.
 */
import { Counter, type Registry } from 'prom-client';
import type { CallRecord } from './call-record';

export interface CallSink {
  sendCalls(calls: CallRecord[]): Promise<{ status: number }>;
}

export interface CallLogWriter {
  record(call: CallRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Records dropped so far (what `onDrop` was told). */
  readonly dropped: number;
}

export interface CallLogWriterOptions {
  sink: CallSink;
  /** Records per batch; a full batch is sent at once. Default 500. */
  maxBatch?: number;
  /** Default 1000. */
  flushIntervalMs?: number;
  /** Records queued while a send is in flight before new ones are dropped. Default 10 × maxBatch. */
  maxQueued?: number;
  onDrop?(count: number, reason: 'queue-full' | 'send-failed'): void;
  onError?(err: unknown): void;
}

export function createCallLogWriter(options: CallLogWriterOptions): CallLogWriter {
  const maxBatch = options.maxBatch ?? 500;
  const maxQueued = options.maxQueued ?? maxBatch * 10;
  let queue: CallRecord[] = [];
  let inflight: Promise<void> | null = null;
  let dropped = 0;

  const drop = (count: number, reason: 'queue-full' | 'send-failed'): void => {
    dropped += count;
    options.onDrop?.(count, reason);
  };

  const sendAll = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      try {
        const { status } = await options.sink.sendCalls(batch);
        if (status >= 300) throw new Error(`call log sink answered ${status}`);
      } catch (err) {
        // Not retried: a retry would hold memory while the store is down; the loss is counted.
        drop(batch.length, 'send-failed');
        options.onError?.(err);
      }
    }
  };

  const flush = (): Promise<void> => {
    if (inflight) return inflight;
    if (queue.length === 0) return Promise.resolve();
    inflight = sendAll().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1000);
  timer.unref();

  return {
    record(call) {
      if (queue.length >= maxQueued) return drop(1, 'queue-full');
      queue.push(call);
      if (queue.length >= maxBatch && !inflight) void flush();
    },
    flush: async () => {
      await flush();
      // Records queued while the first send was in flight.
      if (queue.length > 0) await flush();
    },
    async close() {
      clearInterval(timer);
      await this.flush();
    },
    get dropped() {
      return dropped;
    },
  };
}

/**
 * `charter_call_log_dropped_total` and `charter_call_log_records_total` on a gateway's Prometheus
 * registry, read from the writer when scraped (nothing on the request path).
 */
export function registerCallLogMetrics(registry: Registry, writer: CallLogWriter): void {
  let droppedSeen = 0;
  new Counter({
    name: 'charter_call_log_dropped_total',
    help: 'Call-log records dropped (queue full or a batch the store refused)',
    registers: [registry],
    collect() {
      const now = writer.dropped;
      if (now > droppedSeen) this.inc(now - droppedSeen);
      droppedSeen = now;
    },
  });
}
