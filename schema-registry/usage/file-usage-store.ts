/**
 * Usage on disk: an append-only JSONL log of counted cells plus an in-memory aggregate, rebuilt
 * from the log at start. A torn last line (a crash mid-append) is dropped and cut off the file so
 * the next append starts on a clean line. The log is compacted at start when it has grown to many
 * more lines than distinct cells; buckets past the retention are dropped then.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file';
import type { CoordinateUsage } from '../../governance/usage';
import { addUsage, cellsOf, DAY_MS, firstHourOfWindow, HOUR_MS, sortClients, type UsageCell, type UsageReport, type UsageStore } from './usage-store';
import { SerialQueue } from '../../core/async';

export interface FileUsageStoreOptions {
  /** Buckets older than this are dropped at compaction and ignored at load. Default 30. */
  retentionDays?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** coordinate → hour → "client\tversion" → count */
type Aggregate = Map<string, Map<number, Map<string, number>>>;

interface StoredLine {
  h: number;
  c: string;
  n: string;
  v: string;
  k: number;
}

export class FileUsageStore implements UsageStore {
  private readonly file: string;
  private readonly aggregate: Aggregate = new Map();
  private readonly retentionDays: number;
  private readonly now: () => number;
  private readonly queue = new SerialQueue();
  private handle: fs.promises.FileHandle | null = null;
  /** Lines that were unreadable at load (a torn tail, or garbage). */
  droppedLines = 0;

  private constructor(dir: string, options: FileUsageStoreOptions) {
    this.file = path.join(dir, 'usage.jsonl');
    this.retentionDays = options.retentionDays ?? 30;
    this.now = options.now ?? Date.now;
  }

  /** Opens (creating if needed) the usage log in `dir` and loads it. */
  static async open(dir: string, options: FileUsageStoreOptions = {}): Promise<FileUsageStore> {
    await fs.promises.mkdir(dir, { recursive: true });
    const store = new FileUsageStore(dir, options);
    await store.load();
    return store;
  }

  record(reports: UsageReport[], now = this.now()): Promise<{ accepted: number }> {
    const cells = cellsOf(reports, now);
    return this.queue.run(async () => {
      if (cells.length === 0) return { accepted: 0 };
      const text = cells.map((c) => JSON.stringify({ h: c.hour, c: c.coordinate, n: c.client, v: c.clientVersion, k: c.count } satisfies StoredLine)).join('\n') + '\n';
      this.handle ??= await fs.promises.open(this.file, 'a');
      await this.handle.write(text);
      // Counted only once durable: a report acknowledged to the gateway survives a crash.
      await this.handle.datasync();
      for (const cell of cells) this.add(cell);
      return { accepted: reports.length };
    });
  }

  async lookup(coordinates: string[], windowDays: number, excludedClients: string[] = [], now = this.now()): Promise<Map<string, CoordinateUsage>> {
    const from = firstHourOfWindow(windowDays, now);
    const excluded = new Set(excludedClients);
    const out = new Map<string, CoordinateUsage>();
    for (const coordinate of new Set(coordinates)) {
      const hours = this.aggregate.get(coordinate);
      if (!hours) continue;
      for (const [hour, clients] of hours) {
        if (hour < from) continue;
        for (const [key, count] of clients) addUsage(out, coordinate, key.slice(0, key.indexOf('\t')), count, excluded);
      }
    }
    return sortClients(out);
  }

  async close(): Promise<void> {
    await this.queue.drain();
    await this.handle?.close();
    this.handle = null;
  }

  private add(cell: UsageCell): void {
    let hours = this.aggregate.get(cell.coordinate);
    if (!hours) this.aggregate.set(cell.coordinate, (hours = new Map()));
    let clients = hours.get(cell.hour);
    if (!clients) hours.set(cell.hour, (clients = new Map()));
    const key = `${cell.client}\t${cell.clientVersion}`;
    clients.set(key, (clients.get(key) ?? 0) + cell.count);
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const oldest = Math.floor((this.now() - this.retentionDays * DAY_MS) / HOUR_MS);
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      // A torn last line: cut it so the next append does not glue onto half a record.
      this.droppedLines++;
      await fs.promises.truncate(this.file, Buffer.byteLength(text.slice(0, end)));
    }
    let lines = 0;
    for (const line of text.slice(0, end).split('\n')) {
      if (!line) continue;
      lines++;
      const cell = parseLine(line);
      if (!cell) {
        this.droppedLines++;
        continue;
      }
      if (cell.hour >= oldest) this.add(cell);
    }
    let cells = 0;
    for (const hours of this.aggregate.values()) for (const clients of hours.values()) cells += clients.size;
    if (lines > 2 * cells + 1000) await this.compact();
  }

  /** Rewrites the log as one line per cell (atomically: a crash leaves the old log or the new one). */
  private async compact(): Promise<void> {
    const out: string[] = [];
    for (const [coordinate, hours] of this.aggregate) {
      for (const [hour, clients] of hours) {
        for (const [key, count] of clients) {
          const [client, clientVersion] = key.split('\t') as [string, string];
          out.push(JSON.stringify({ h: hour, c: coordinate, n: client, v: clientVersion, k: count } satisfies StoredLine));
        }
      }
    }
    await writeFileAtomic(this.file, out.length ? out.join('\n') + '\n' : '');
  }
}

function parseLine(line: string): UsageCell | null {
  try {
    const v = JSON.parse(line) as Partial<StoredLine>;
    if (typeof v.h !== 'number' || typeof v.c !== 'string' || typeof v.n !== 'string' || typeof v.k !== 'number') return null;
    return { hour: v.h, coordinate: v.c, client: v.n, clientVersion: typeof v.v === 'string' ? v.v : '', count: v.k };
  } catch {
    return null;
  }
}
