/**
 * Usage-based safety: a BREAKING change nobody exercised in the usage window is treated as
 * passing. Pure: the caller supplies the lookup (the registry's usage store, or a fixture).
 */
import type { SchemaChange } from '../changes/types';

/** Usage of one coordinate in the window. `byClient`, when given, lets excluded clients be subtracted exactly. */
export interface CoordinateUsage {
  count: number;
  clients: string[];
  byClient?: Record<string, number>;
}

/** Looks up usage for many coordinates at once; a coordinate missing from the map had no requests. */
export type UsageLookup = (coordinates: string[]) => Promise<Map<string, CoordinateUsage>>;

export interface UsageOptions {
  /** The usage window the lookup covers, named in messages. Default 7. */
  windowDays?: number;
  /** A change is safe when its requests (excluded clients removed) are at most this. Default 0. */
  threshold?: number;
  /** Clients whose traffic does not count (internal tools, test suites). */
  excludedClients?: string[];
}

/**
 * Annotates every BREAKING change that has usage coordinates with `usage` and `safeByUsage`, and
 * appends the numbers to its message. Other changes pass through unchanged. One lookup call
 * covers all changes.
 */
export async function applyUsage(changes: SchemaChange[], usage: UsageLookup, options: UsageOptions = {}): Promise<SchemaChange[]> {
  const windowDays = options.windowDays ?? 7;
  const threshold = options.threshold ?? 0;
  const excluded = new Set(options.excludedClients ?? []);
  const wanted = new Set<string>();
  for (const change of changes) if (isUsageJudged(change)) for (const c of change.usageCoordinates!) wanted.add(c);
  if (wanted.size === 0) return changes;
  const found = await usage([...wanted]);

  return changes.map((change) => {
    if (!isUsageJudged(change)) return change;
    let count = 0;
    const clients = new Set<string>();
    for (const coordinate of change.usageCoordinates!) {
      const entry = found.get(coordinate);
      if (!entry) continue;
      count += countWithout(entry, excluded);
      for (const client of entry.clients) if (!excluded.has(client)) clients.add(client);
    }
    const safeByUsage = count <= threshold;
    const verdict = safeByUsage ? 'safe' : 'breaking';
    const numbers = `${count} ${count === 1 ? 'request' : 'requests'} in the last ${windowDays} ${windowDays === 1 ? 'day' : 'days'}`;
    const who = clients.size > 0 ? ` from ${[...clients].sort().join(', ')}` : '';
    const limit = threshold > 0 ? ` (threshold ${threshold})` : '';
    return {
      ...change,
      message: `${change.message}: ${numbers}${who}${limit} -> ${verdict}`,
      usage: { count, clients: [...clients].sort(), windowDays },
      safeByUsage,
    };
  });
}

function isUsageJudged(change: SchemaChange): boolean {
  return change.criticality === 'BREAKING' && (change.usageCoordinates?.length ?? 0) > 0;
}

/**
 * Requests minus those of excluded clients. Without a per-client breakdown the count can only be
 * dropped when every client is excluded; otherwise it stands whole (the conservative choice).
 */
function countWithout(entry: CoordinateUsage, excluded: Set<string>): number {
  if (excluded.size === 0) return entry.count;
  if (entry.byClient) {
    let removed = 0;
    for (const [client, n] of Object.entries(entry.byClient)) if (excluded.has(client)) removed += n;
    return Math.max(0, entry.count - removed);
  }
  return entry.clients.length > 0 && entry.clients.every((c) => excluded.has(c)) ? 0 : entry.count;
}
