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
}

export type VersionDraft = Omit<SchemaVersion, 'id' | 'parentId' | 'createdAt' | 'variant'>;

export type VersionSummary = Pick<SchemaVersion, 'id' | 'variant' | 'parentId' | 'action' | 'subgraph' | 'author' | 'commit' | 'createdAt' | 'source'>;

export function summarize(version: SchemaVersion): VersionSummary {
  const { id, variant, parentId, action, subgraph, author, commit, createdAt, source } = version;
  return source ? { id, variant, parentId, action, subgraph, author, commit, createdAt, source } : { id, variant, parentId, action, subgraph, author, commit, createdAt };
}

/** A variant's name (`prod`, `dev`, `pr-42`): safe in file names and Redis keys. One pattern for every store and route. */
export const VARIANT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
