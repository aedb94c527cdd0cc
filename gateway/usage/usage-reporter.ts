/**
 * Batches field usage and sends it to the registry: counts per (coordinate, client, tenant) are
 * summed in memory and flushed every `flushIntervalMs`. A failed flush keeps its counts for the
 * next one, up to a bound, so a registry outage neither loses a short burst nor grows memory forever.
 */
import type { Logger } from '../../core/logger';

export interface UsageSink {
  reportUsage(reports: Array<{ coordinate: string; client?: { name: string; version?: string }; tenant?: string; count: number; at?: number }>): Promise<{ status: number }>;
}

export interface UsageReporter {
  record(coordinates: readonly string[], who: { clientName?: string; clientVersion?: string; tenant: string }): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const MAX_PENDING = 50_000;
const MAX_BATCH = 10_000;

export function createUsageReporter(options: { sink: UsageSink; flushIntervalMs: number; logger: Logger }): UsageReporter {
  let pending = new Map<string, number>();
  let flushing: Promise<void> | null = null;

  const flush = async (): Promise<void> => {
    if (flushing) return flushing;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const at = Date.now();
    const reports = [...batch].map(([key, count]) => {
      const [coordinate, tenant, name, version] = key.split('\u0000') as [string, string, string, string];
      return { coordinate, tenant, count, at, ...(name ? { client: { name, ...(version ? { version } : {}) } } : {}) };
    });
    flushing = (async () => {
      for (let i = 0; i < reports.length; i += MAX_BATCH) {
        const slice = reports.slice(i, i + MAX_BATCH);
        try {
          const { status } = await options.sink.reportUsage(slice);
          if (status >= 300) throw new Error(`registry answered ${status}`);
        } catch (err) {
          options.logger.warn({ err: String(err), reports: slice.length }, 'field usage report failed; keeping it for the next flush');
          for (const r of slice) {
            const key = [r.coordinate, r.tenant, r.client?.name ?? '', r.client?.version ?? ''].join('\u0000');
            if (pending.size < MAX_PENDING || pending.has(key)) pending.set(key, (pending.get(key) ?? 0) + r.count);
          }
        }
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  const timer = setInterval(() => void flush(), options.flushIntervalMs);
  timer.unref();

  return {
    record(coordinates, who) {
      const suffix = `\u0000${who.tenant}\u0000${who.clientName ?? ''}\u0000${who.clientName ? (who.clientVersion ?? '') : ''}`;
      for (const coordinate of coordinates) {
        const key = coordinate + suffix;
        const count = pending.get(key);
        if (count !== undefined) pending.set(key, count + 1);
        else if (pending.size < MAX_PENDING) pending.set(key, 1);
      }
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
