import type { SchemaVersion, VersionDraft, VersionSummary } from '../client/wire-types';

export type AppendResult = { ok: true; version: SchemaVersion } | { ok: false; reason: 'CONFLICT'; headId: number | null };

/**
 * Durable storage of schema versions. Appends are compare-and-set on the variant's head, so two
 * racing publishers can never both build on the same parent: one lands, the other is told to retry.
 */
export interface RegistryStore {
  head(variant: string): Promise<SchemaVersion | null>;
  /** Cheap: only the head's id, for conditional polling. */
  headId(variant: string): Promise<number | null>;
  version(variant: string, id: number): Promise<SchemaVersion | null>;
  /** Newest first. */
  history(variant: string, limit?: number): Promise<VersionSummary[]>;
  variants(): Promise<string[]>;
  append(variant: string, expectedHeadId: number | null, draft: VersionDraft): Promise<AppendResult>;
  close(): Promise<void>;
}
