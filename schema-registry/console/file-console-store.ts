/**
 * The console's records on disk (the embedded default): one JSON file per record
 * (`<kind>/<id>.json` holding `{rev, value}`) and one per audit entry (`audit/<id>.json`), each
 * written atomically (temp file, fsync, rename; core/atomic-file.ts) with mode 0600, since users
 * hold password hashes. A `kill -9` leaves each file old or new, never torn. One process owns the
 * directory; writes are serialized per kind, so compare-and-set is exact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SerialQueues } from '../../core/async';
import { readJsonFile, writeFileAtomic } from '../../core/atomic-file';
import { assertRecordId, auditLimit, type AuditQuery, type ConsoleStore, type PutResult, type Revisioned } from './console-store';
import type { AuditDraft, AuditEntry, ConsoleKind, ConsoleRecords } from './records';

const AUDIT_FILE = /^(\d{10})\.json$/;

export class FileConsoleStore implements ConsoleStore {
  private readonly queues = new SerialQueues();
  /** The last audit id written, read from the directory on the first append. */
  private lastAuditId: number | null = null;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async get<K extends ConsoleKind>(kind: K, id: string): Promise<Revisioned<ConsoleRecords[K]> | null> {
    if (!isSafeId(id)) return null;
    return readJsonFile<Revisioned<ConsoleRecords[K]>>(this.recordFile(kind, id));
  }

  async list<K extends ConsoleKind>(kind: K): Promise<Array<Revisioned<ConsoleRecords[K]>>> {
    const names = await readdirOrEmpty(path.join(this.dir, kind));
    const out: Array<Revisioned<ConsoleRecords[K]>> = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const record = await readJsonFile<Revisioned<ConsoleRecords[K]>>(path.join(this.dir, kind, name));
      if (record) out.push(record);
    }
    return out;
  }

  async put<K extends ConsoleKind>(kind: K, id: string, value: ConsoleRecords[K], expectedRev: number | null): Promise<PutResult> {
    assertRecordId(id);
    return this.queues.run(kind, async (): Promise<PutResult> => {
      const current = await this.get(kind, id);
      const rev = current?.rev ?? null;
      if (rev !== expectedRev) return { ok: false, reason: 'CONFLICT', rev };
      const next = (rev ?? 0) + 1;
      await writeFileAtomic(this.recordFile(kind, id), JSON.stringify({ rev: next, value }), 0o600);
      return { ok: true, rev: next };
    });
  }

  remove(kind: ConsoleKind, id: string): Promise<void> {
    if (!isSafeId(id)) return Promise.resolve();
    return this.queues.run(kind, () => fs.promises.rm(this.recordFile(kind, id), { force: true }));
  }

  appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    return this.queues.run('audit', async () => {
      if (this.lastAuditId === null) this.lastAuditId = (await this.auditIds())[0] ?? 0;
      const entry: AuditEntry = { ...draft, id: this.lastAuditId + 1, at: new Date().toISOString() };
      await writeFileAtomic(this.auditFile(entry.id), JSON.stringify(entry), 0o600);
      this.lastAuditId = entry.id;
      return entry;
    });
  }

  async audit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const ids = (await this.auditIds()).filter((id) => query.beforeId === undefined || id < query.beforeId).slice(0, auditLimit(query));
    const out: AuditEntry[] = [];
    for (const id of ids) {
      const entry = await readJsonFile<AuditEntry>(this.auditFile(id));
      if (entry) out.push(entry);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.queues.drain();
  }

  /** Audit ids on disk, newest first (temporary files of an interrupted write are not entries). */
  private async auditIds(): Promise<number[]> {
    const names = await readdirOrEmpty(path.join(this.dir, 'audit'));
    return names
      .map((n) => AUDIT_FILE.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
  }

  private recordFile(kind: ConsoleKind, id: string): string {
    return path.join(this.dir, kind, `${id}.json`);
  }

  private auditFile(id: number): string {
    return path.join(this.dir, 'audit', `${String(id).padStart(10, '0')}.json`);
  }
}

function isSafeId(id: string): boolean {
  try {
    assertRecordId(id);
    return true;
  } catch {
    return false;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
