/** Governance lint: rule shapes and findings. */
import type { SchemaChange } from '../changes/types';
import type { FederationNames } from '../federation/federation-names';
import type { SdlIndex } from '../sdl/sdl-index';
import type { LintConfig } from './config';

export type LintSeverity = 'error' | 'warn';

export interface LintFinding {
  rule: string;
  severity: LintSeverity;
  coordinate: string;
  message: string;
  /** What to do about it, in one sentence. */
  fix: string;
}

/** A violation before its severity is known (the config decides that). */
export interface Violation {
  coordinate: string;
  message: string;
  fix: string;
}

export interface SubgraphInfo {
  name: string;
  owner?: string;
}

export interface LintContext {
  /** The schema being judged: the new one, or the old one when finding pre-existing violations. */
  schema: SdlIndex;
  names: FederationNames;
  config: LintConfig;
  subgraph: SubgraphInfo;
}

export interface ChangeLintContext extends LintContext {
  old?: SdlIndex;
  oldNames?: FederationNames;
  /** API-schema changes, when known: lets rules tell a real removal from a field moving between subgraphs. */
  apiChanges?: SchemaChange[];
}

/**
 * `schema` rules judge one schema; only violations absent from the old schema are reported.
 * `change` rules judge the change itself (both sides) and report what they find.
 */
export type LintRule =
  | { name: string; description: string; kind: 'schema'; check(ctx: LintContext): Violation[] }
  | { name: string; description: string; kind: 'change'; check(ctx: ChangeLintContext): Violation[] };
