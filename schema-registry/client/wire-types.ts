/** What the registry stores: immutable schema versions per variant. */
import type { CheckReport } from '../../governance/check';

export type SubgraphStatus = 'active' | 'deprecated' | 'retired';

export interface SubgraphRecord {
  name: string;
  url: string;
  sdl: string;
  owner?: string;
  status: SubgraphStatus;
  /**
   * For the `ai` subgraph published through the prompts API: the prompt template set its SDL was
   * generated from (schema-registry/prompts-api.ts), so the AI subgraph can follow the registry.
   */
  templates?: unknown[];
}

export type VersionAction = 'publish' | 'rollback' | 'promote' | 'lifecycle';

/** One accepted change: never modified once written. */
export interface SchemaVersion {
  /** Monotonic within its variant, starting at 1. */
  id: number;
  variant: string;
  parentId: number | null;
  action: VersionAction;
  /** The subgraph the change was about, when there was one. */
  subgraph?: string;
  author?: string;
  commit?: string;
  createdAt: string;
  /** For a rollback or promotion: the version whose subgraph set this one re-publishes. */
  source?: { variant: string; id: number };
  subgraphs: SubgraphRecord[];
  supergraphSdl: string;
  /** The checks' report for this change (changes with usage, lint, federation findings, composition hints). */
  report?: CheckReport;
  /** Set when an admin forced the change past failed usage and lint checks: why, who, and what was overridden. */
  force?: ForcedChange;
}

/** The audit record of a forced publish (kept in the immutable version itself). */
export interface ForcedChange {
  reason: string;
  /** The verified caller (`token:<id>`), not the free-text author. */
  by: string;
  /** The failures that would have refused the change. */
  overridden: Array<{ kind: string; rule?: string; coordinate?: string; message: string }>;
}

export type VersionDraft = Omit<SchemaVersion, 'id' | 'parentId' | 'createdAt' | 'variant'>;

export type VersionSummary = Pick<SchemaVersion, 'id' | 'variant' | 'parentId' | 'action' | 'subgraph' | 'author' | 'commit' | 'createdAt' | 'source' | 'force'>;

export function summarize(version: SchemaVersion): VersionSummary {
  const { id, variant, parentId, action, subgraph, author, commit, createdAt, source, force } = version;
  return { id, variant, parentId, action, subgraph, author, commit, createdAt, ...(source ? { source } : {}), ...(force ? { force } : {}) };
}

/** A variant's name (`prod`, `dev`, `pr-42`): safe in file names and Redis keys. One pattern for every store and route. */
export const VARIANT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
