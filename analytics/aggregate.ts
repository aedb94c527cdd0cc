/**
 * Operations analytics from call samples: per time bucket (minute, hour, day) and per operation,
 * tenant and client: requests, error rate, AI spend and p50/p95/p99 latency from a DDSketch
 * (`@datadog/sketches-js`, 1% relative accuracy). Sketches merge, so a day's percentiles come from
 * the merged sketches of its calls, never from averaged percentiles.
 */
import { DDSketch } from '@datadog/sketches-js';
import type { CallSample } from './call-store';

export type Bucket = 'minute' | 'hour' | 'day';
export type GroupBy = 'operation' | 'tenant' | 'client';

const BUCKET_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export interface StatRow {
  /** Bucket start, epoch ms. */
  bucket: number;
  operationName?: string | null;
  tenant?: string;
  clientName?: string | null;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  aiCostUsd: number;
}

interface Acc {
  bucket: number;
  keys: Pick<StatRow, 'operationName' | 'tenant' | 'clientName'>;
  requests: number;
  errors: number;
  aiCostUsd: number;
  sketch: DDSketch;
}

export async function aggregateCalls(samples: AsyncIterable<CallSample>, options: { bucket: Bucket; groupBy?: readonly GroupBy[] }): Promise<StatRow[]> {
  const size = BUCKET_MS[options.bucket];
  const groupBy = new Set(options.groupBy ?? []);
  const groups = new Map<string, Acc>();
  for await (const s of samples) {
    const bucket = Math.floor(s.time / size) * size;
    const keys: Acc['keys'] = {};
    if (groupBy.has('operation')) keys.operationName = s.operationName;
    if (groupBy.has('tenant')) keys.tenant = s.tenant;
    if (groupBy.has('client')) keys.clientName = s.clientName;
    const id = `${bucket}\u0000${keys.operationName ?? ''}\u0000${keys.tenant ?? ''}\u0000${keys.clientName ?? ''}`;
    let acc = groups.get(id);
    if (!acc) groups.set(id, (acc = { bucket, keys, requests: 0, errors: 0, aiCostUsd: 0, sketch: new DDSketch({ relativeAccuracy: 0.01 }) }));
    acc.requests++;
    if (s.status >= 400) acc.errors++;
    acc.aiCostUsd += s.aiCostUsd;
    // DDSketch needs positive values; a 0 ms call counts in its smallest bucket.
    acc.sketch.accept(Math.max(s.latencyMs, 0.001));
  }
  return [...groups.values()]
    .sort((a, b) => a.bucket - b.bucket || b.requests - a.requests)
    .map((a) => ({
      bucket: a.bucket,
      ...a.keys,
      requests: a.requests,
      errors: a.errors,
      errorRate: a.errors / a.requests,
      p50Ms: round(a.sketch.getValueAtQuantile(0.5)),
      p95Ms: round(a.sketch.getValueAtQuantile(0.95)),
      p99Ms: round(a.sketch.getValueAtQuantile(0.99)),
      aiCostUsd: Math.round(a.aiCostUsd * 1e6) / 1e6,
    }));
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
