/** What a schema change is, as every governance part sees it. */

export type Criticality = 'BREAKING' | 'DANGEROUS' | 'SAFE';

/** Real traffic on the coordinates a change touches, in the usage window. */
export interface ChangeUsage {
  /** Requests counted, after removing excluded clients. */
  count: number;
  /** Clients that sent them (excluded clients left out). */
  clients: string[];
  windowDays: number;
}

export interface SchemaChange {
  criticality: Criticality;
  /** The engine's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** Schema coordinate: `User`, `User.email`, `Query.user(id:)`, `Status.ACTIVE`, `@tag`. */
  coordinate: string;
  message: string;
  /** Why the change has its criticality (set when ours differs from the engine's, or the engine explains). */
  reason?: string;
  /**
   * The `Type.field` (or `Enum.VALUE`, or type name) coordinates whose usage decides whether a
   * BREAKING change is safe. Absent when usage cannot make the change safe (directives, root types).
   */
  usageCoordinates?: string[];
  /** Set by `applyUsage` on BREAKING changes. */
  usage?: ChangeUsage;
  /** True when a BREAKING change is treated as passing because nobody used what it breaks. */
  safeByUsage?: boolean;
}
