/**
 * A usage ledger in one append-only JSONL file, with budgets held in memory (one process).
 * Crash safety: a record is one `write` of one line; if the process dies mid-write the file ends in
 * a torn line, which is ignored on read and cut off when the ledger is next opened, so the next
 * record starts on a line of its own.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import type { BudgetReservation, ReserveOutcome, ReserveRequest, UsageLedger, UsageQuery, UsageRecord } from './ledger';
import { MemoryBudgetCounters } from './memory-budget';
import { spendSubjects } from './budget-holds';
import { SerialQueue } from '../../../core/async';

export interface FileUsageLedgerOptions {
  /** Path of the JSONL file; created (with its folder) if missing. */
  path: string;
  /** fsync after every record: survives power loss, costs a disk flush per call. Default false. */
  fsync?: boolean;
}

/** Parse JSONL text, skipping lines that are not whole records (a torn last line). */
export function parseUsageLines(text: string): UsageRecord[] {
  const records: UsageRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as UsageRecord;
      if (value && typeof value.tenant === 'string' && typeof value.at === 'string' && typeof value.costUsd === 'number') records.push(value);
    } catch {
      // A torn write: the call it describes was never acknowledged as recorded.
    }
  }
  return records;
}

export class FileUsageLedger implements UsageLedger {
  private readonly writes = new SerialQueue();

  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly budgets: MemoryBudgetCounters,
    private readonly fsync: boolean,
  ) {}

  /** Open (or create) the ledger file, repair a torn tail and load today's spend into the budget counters. */
  static async open(options: FileUsageLedgerOptions): Promise<FileUsageLedger> {
    await fs.mkdir(path.dirname(options.path), { recursive: true });
    const text = await fs.readFile(options.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    if (text.length > 0 && !text.endsWith('\n')) {
      // Cut the torn line so the next append does not glue a good record onto it.
      await fs.truncate(options.path, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    }
    const budgets = new MemoryBudgetCounters();
    for (const record of parseUsageLines(text)) {
      // The tenant's counters and its key's and prompt template's (see budget-holds.ts).
      for (const subject of spendSubjects(record)) budgets.addSpent(subject, new Date(record.at), record.costUsd, record.inputTokens + record.outputTokens);
    }
    const handle = await fs.open(options.path, 'a');
    return new FileUsageLedger(options.path, handle, budgets, options.fsync ?? false);
  }

  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    return this.budgets.reserve(request);
  }

  async settle(reservation: BudgetReservation, actual: { costUsd: number; tokens: number }): Promise<void> {
    this.budgets.settle(reservation, actual);
  }

  record(record: UsageRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    // Serialize appends so two records never interleave within the file.
    return this.writes.run(async () => {
      await this.handle.write(line);
      if (this.fsync) await this.handle.sync();
    });
  }

  async list(query: UsageQuery): Promise<UsageRecord[]> {
    await this.writes.drain();
    const text = await fs.readFile(this.file, 'utf8');
    const from = query.from.getTime();
    const to = query.to.getTime();
    return parseUsageLines(text).filter((record) => {
      const at = Date.parse(record.at);
      return at >= from && at < to && (query.tenant === undefined || record.tenant === query.tenant);
    });
  }

  async close(): Promise<void> {
    await this.writes.drain();
    await this.handle.close();
  }
}
