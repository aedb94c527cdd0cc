/** What the registry stores: immutable schema versions per variant. */

export type SubgraphStatus = 'active' | 'deprecated' | 'retired';

export interface SubgraphRecord {
  name: string;
  url: string;
  sdl: string;
  owner?: string;
  status: SubgraphStatus;
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
  subgraphs: SubgraphRecord[];
  supergraphSdl: string;
  /** The checks' report for this change (changes, lint, composition hints). */
  report?: unknown;
}

export type VersionDraft = Omit<SchemaVersion, 'id' | 'parentId' | 'createdAt' | 'variant'>;

export type VersionSummary = Pick<SchemaVersion, 'id' | 'variant' | 'parentId' | 'action' | 'subgraph' | 'author' | 'commit' | 'createdAt'>;

export function summarize(version: SchemaVersion): VersionSummary {
  const { id, variant, parentId, action, subgraph, author, commit, createdAt } = version;
  return { id, variant, parentId, action, subgraph, author, commit, createdAt };
}
