/**
 * The console's storage (file and Redis implementations share this contract, console-store.contract.ts).
 * Records carry a revision: a write names the revision it read (null: must not exist yet) and is
 * refused with CONFLICT when another writer got there first, as schema and tenant versions are.
 * The audit log only grows: there is no call that changes or removes an entry.
 */
import type { AuditDraft, AuditEntry, ConsoleKind, ConsoleRecords } from './records';

export interface Revisioned<T> {
  rev: number;
  value: T;
}

export type PutResult = { ok: true; rev: number } | { ok: false; reason: 'CONFLICT'; rev: number | null };

export interface AuditQuery {
  /** At most this many, newest first (default 100, at most 1000). */
  limit?: number;
  /** Only entries with a smaller id (paging back). */
  beforeId?: number;
}

export interface ConsoleStore {
  get<K extends ConsoleKind>(kind: K, id: string): Promise<Revisioned<ConsoleRecords[K]> | null>;
  list<K extends ConsoleKind>(kind: K): Promise<Array<Revisioned<ConsoleRecords[K]>>>;
  put<K extends ConsoleKind>(kind: K, id: string, value: ConsoleRecords[K], expectedRev: number | null): Promise<PutResult>;
  /** Removes a record (sessions at sign-out); absent is fine. */
  remove(kind: ConsoleKind, id: string): Promise<void>;
  appendAudit(draft: AuditDraft): Promise<AuditEntry>;
  audit(query?: AuditQuery): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/** Record ids are path- and key-safe: letters, digits, `.`, `_`, `-`, `@`, at most 128. */
export const RECORD_ID = /^[A-Za-z0-9_@-][A-Za-z0-9_.@-]{0,127}$/;

export function assertRecordId(id: string): void {
  if (!RECORD_ID.test(id)) throw new Error(`invalid console record id ${JSON.stringify(id)}`);
}

export function auditLimit(query: AuditQuery = {}): number {
  return Math.max(1, Math.min(1000, Math.floor(query.limit ?? 100)));
}
