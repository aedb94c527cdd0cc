/**
 * Field usage as the registry keeps it: request counts per hour bucket, per schema coordinate and
 * client, fed by the gateways' batched reports and read by the usage-based safety check.
 */
import type { CoordinateUsage } from '../../governance/usage';
import { usageBatchSchema, usageReportSchema, type UsageReport } from '../client/usage-report';

export { usageBatchSchema, usageReportSchema, type UsageReport };

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;


/** Client name used when a report names none (no `apollographql-client-name` header). */
export const UNKNOWN_CLIENT = 'unknown';

export interface UsageStore {
  /** Adds a batch of reports; resolves once they are durable. */
  record(reports: UsageReport[], now?: number): Promise<{ accepted: number }>;
  /**
   * Usage of `coordinates` in the last `windowDays` (whole hour buckets), with the traffic of
   * `excludedClients` (by client name) left out. A coordinate with no traffic is absent.
   */
  lookup(coordinates: string[], windowDays: number, excludedClients?: string[], now?: number): Promise<Map<string, CoordinateUsage>>;
  close(): Promise<void>;
}

/** One counted cell: requests to a coordinate from a client version in an hour. */
export interface UsageCell {
  hour: number;
  coordinate: string;
  client: string;
  clientVersion: string;
  count: number;
}

/** The hour bucket of a report (epoch hours). */
export function hourOf(at: UsageReport['at'], now: number): number {
  const ms = at === undefined ? now : typeof at === 'number' ? at : Date.parse(at);
  return Math.floor(ms / HOUR_MS);
}

/** Folds a batch into cells (one per hour/coordinate/client/version), so a store writes each once. */
export function cellsOf(reports: UsageReport[], now: number): UsageCell[] {
  const cells = new Map<string, UsageCell>();
  for (const r of reports) {
    const hour = hourOf(r.at, now);
    const client = r.client?.name ?? UNKNOWN_CLIENT;
    const clientVersion = r.client?.version ?? '';
    const key = `${hour}\t${r.coordinate}\t${client}\t${clientVersion}`;
    const cell = cells.get(key);
    if (cell) cell.count += r.count;
    else cells.set(key, { hour, coordinate: r.coordinate, client, clientVersion, count: r.count });
  }
  return [...cells.values()];
}

/** The first hour bucket inside a window of `windowDays` ending now. */
export function firstHourOfWindow(windowDays: number, now: number): number {
  return Math.floor((now - windowDays * DAY_MS) / HOUR_MS) + 1;
}

/** Adds `count` from `client` to a lookup result, skipping excluded clients. */
export function addUsage(out: Map<string, CoordinateUsage>, coordinate: string, client: string, count: number, excluded: ReadonlySet<string>): void {
  if (excluded.has(client) || count <= 0) return;
  let entry = out.get(coordinate);
  if (!entry) {
    entry = { count: 0, clients: [], byClient: {} };
    out.set(coordinate, entry);
  }
  entry.count += count;
  if (!(client in entry.byClient!)) entry.clients.push(client);
  entry.byClient![client] = (entry.byClient![client] ?? 0) + count;
}

export function sortClients(out: Map<string, CoordinateUsage>): Map<string, CoordinateUsage> {
  for (const entry of out.values()) entry.clients.sort();
  return out;
}
