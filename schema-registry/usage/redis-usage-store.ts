/**
 * Usage in Redis, shared by every registry replica: one hash per hour bucket and coordinate
 * (`<prefix>usage:<hour>:<coordinate>`, field `client\tversion`), grown with HINCRBY and expiring
 * a retention period after its hour ends, so Redis forgets old traffic by itself.
 */
import Redis from 'ioredis';
import type { CoordinateUsage } from '../../governance/usage';
import { addUsage, cellsOf, DAY_MS, firstHourOfWindow, HOUR_MS, sortClients, type UsageReport, type UsageStore } from './usage-store';

export interface RedisUsageStoreOptions {
  /** Key prefix; default `charter:`. */
  prefix?: string;
  /** How long a bucket outlives its hour; at least the longest usage window. Default 30 days. */
  retentionDays?: number;
  now?: () => number;
}

export class RedisUsageStore implements UsageStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(redis: Redis | string, options: RedisUsageStoreOptions = {}) {
    this.owned = typeof redis === 'string';
    this.redis = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2 }) : redis;
    this.prefix = options.prefix ?? 'charter:';
    this.retentionMs = (options.retentionDays ?? 30) * DAY_MS;
    this.now = options.now ?? Date.now;
  }

  async record(reports: UsageReport[], now = this.now()): Promise<{ accepted: number }> {
    const cells = cellsOf(reports, now);
    if (cells.length === 0) return { accepted: 0 };
    // MULTI: a batch is counted whole or not at all, so a retried batch cannot be half double-counted.
    const tx = this.redis.multi();
    for (const cell of cells) {
      const key = this.key(cell.hour, cell.coordinate);
      tx.hincrby(key, `${cell.client}\t${cell.clientVersion}`, cell.count);
      tx.pexpireat(key, (cell.hour + 1) * HOUR_MS + this.retentionMs);
    }
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('usage batch was not applied');
    return { accepted: reports.length };
  }

  async lookup(coordinates: string[], windowDays: number, excludedClients: string[] = [], now = this.now()): Promise<Map<string, CoordinateUsage>> {
    const unique = [...new Set(coordinates)];
    const from = firstHourOfWindow(windowDays, now);
    const to = Math.floor(now / HOUR_MS);
    const pipeline = this.redis.pipeline();
    const asked: string[] = [];
    for (const coordinate of unique) {
      for (let hour = from; hour <= to; hour++) {
        pipeline.hgetall(this.key(hour, coordinate));
        asked.push(coordinate);
      }
    }
    const out = new Map<string, CoordinateUsage>();
    if (asked.length === 0) return out;
    const results = (await pipeline.exec()) ?? [];
    const excluded = new Set(excludedClients);
    results.forEach(([err, value], i) => {
      if (err) throw err;
      for (const [field, count] of Object.entries((value ?? {}) as Record<string, string>)) {
        addUsage(out, asked[i]!, field.slice(0, field.indexOf('\t')), Number(count), excluded);
      }
    });
    return sortClients(out);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(hour: number, coordinate: string): string {
    return `${this.prefix}usage:${hour}:${coordinate}`;
  }
}
