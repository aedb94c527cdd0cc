/**
 * The whole check of one subgraph change: composition, API-schema change classification with
 * usage, federation-aware rules and governance lint, folded into one verdict. Pure: no storage,
 * no network; usage comes through an injected lookup.
 */
import type { GraphQLSchema } from 'graphql';
import { buildApiSchema, buildPlainSchema } from './changes/api-schema';
import { classifySchemaChanges } from './changes/classify-changes';
import type { SchemaChange } from './changes/types';
import type { ComposeResult, CompositionHintEntry, CompositionProblem } from './compose';
import { checkFederation } from './federation/check-federation';
import type { FederationFinding } from './federation/types';
import { lintChange } from './lint/lint-change';
import type { LintConfig, LintConfigInput } from './lint/config';
import type { LintFinding } from './lint/types';
import { parseSdl } from './sdl/parse-sdl';
import { indexSdl } from './sdl/sdl-index';
import type { SdlIndex } from './sdl/sdl-index';
import { applyUsage } from './usage/apply-usage';
import type { UsageLookup, UsageOptions } from './usage/apply-usage';

export { composeSubgraphs } from './compose';
export type { ComposeResult, CompositionHintEntry, CompositionProblem, SubgraphSource } from './compose';

export interface RunChecksInput {
  subgraphName: string;
  /** The subgraph's SDL before the change; absent for a new subgraph. */
  oldSubgraphSdl?: string;
  newSubgraphSdl: string;
  /** The live supergraph (trusted: it came out of composition); absent for the first version of a variant. */
  oldSupergraphSdl?: string;
  /**
   * The live API schema, if the caller keeps it built: skips building it from `oldSupergraphSdl`,
   * the largest cost of a check after composition itself (the registry should cache it per version).
   */
  oldApiSchema?: GraphQLSchema;
  /** The composed candidate supergraph. */
  newSupergraphSdl?: string;
  /** The candidate's composition result (preferred over `newSupergraphSdl`: its API schema needs no re-parse). */
  composition?: ComposeResult;
  /** Composition failed with these errors: the check fails. */
  compositionErrors?: CompositionProblem[];
  compositionHints?: CompositionHintEntry[];
  /** Usage lookup; without it BREAKING changes are judged without usage (and the report says so). */
  usage?: UsageLookup;
  usageOptions?: UsageOptions;
  lintConfig?: LintConfig | LintConfigInput;
  owner?: string;
  /** Why there is no usage lookup (e.g. "offline check"): the report then always says usage was not consulted. */
  noUsageReason?: string;
}

export type FailureKind = 'composition' | 'change' | 'federation' | 'lint';

/** One reason the verdict is `fail`: which rule or change, at which coordinate. */
export interface CheckFailure {
  kind: FailureKind;
  rule?: string;
  coordinate?: string;
  message: string;
}

export interface CheckReport {
  verdict: 'pass' | 'fail';
  subgraph: string;
  /** A headline for human formats; defaults to `Check of subgraph "NAME"`. */
  title?: string;
  changes: SchemaChange[];
  composition: { errors: CompositionProblem[]; hints: CompositionHintEntry[] };
  lint: LintFinding[];
  federation: FederationFinding[];
  failures: CheckFailure[];
  /** What the check could not do, in words (e.g. no usage data). */
  notes: string[];
}

/** Runs every check on a subgraph change and returns the report (never throws on bad input). */
export async function runChecks(input: RunChecksInput): Promise<CheckReport> {
  const notes: string[] = [];
  const compositionErrors: CompositionProblem[] = [...(input.compositionErrors ?? [])];
  let hints: CompositionHintEntry[] = [...(input.compositionHints ?? [])];
  if (input.composition) {
    if (input.composition.ok) hints = [...hints, ...input.composition.hints];
    else compositionErrors.push(...input.composition.errors);
  }

  // Parse each subgraph SDL once; the index feeds both federation rules and lint.
  const newParsed = parseSdl(input.newSubgraphSdl, input.subgraphName);
  let newIndex: SdlIndex | undefined;
  if (newParsed.ok) newIndex = indexSdl(newParsed.document);
  else if (!compositionErrors.some((e) => e.code === 'GRAPHQL_PARSE_FAILED')) {
    const { line, column } = newParsed.problem;
    compositionErrors.push({ message: `Subgraph "${input.subgraphName}" SDL does not parse: ${newParsed.problem.message}`, code: 'GRAPHQL_PARSE_FAILED', subgraph: input.subgraphName, line, column });
  }
  let oldIndex: SdlIndex | undefined;
  if (input.oldSubgraphSdl !== undefined) {
    const oldParsed = parseSdl(input.oldSubgraphSdl, input.subgraphName);
    if (oldParsed.ok) oldIndex = indexSdl(oldParsed.document);
    else notes.push(`The previous SDL of "${input.subgraphName}" does not parse (${oldParsed.problem.message}); it was treated as a new subgraph.`);
  }

  let changes: SchemaChange[] = [];
  if (compositionErrors.length === 0) {
    changes = await classifyApiChanges(input, oldIndex, newIndex, notes);
    if (input.usage) {
      changes = await applyUsage(changes, input.usage, input.usageOptions);
    } else if (input.noUsageReason || changes.some((c) => c.criticality === 'BREAKING')) {
      const why = input.noUsageReason ? ` (${input.noUsageReason})` : '';
      notes.push(`No usage data${why}: breaking changes were judged without traffic, so none was made safe by usage.`);
    }
  } else {
    notes.push('Composition failed, so API changes were not classified.');
  }

  const federation = oldIndex && newIndex ? checkFederation({ subgraph: input.subgraphName, old: oldIndex, new: newIndex }) : [];
  const lint = newIndex
    ? lintChange({ oldSdl: oldIndex, newSdl: newIndex, subgraph: { name: input.subgraphName, owner: input.owner }, config: input.lintConfig, apiChanges: compositionErrors.length === 0 && hasApiSchemas(input) ? changes : undefined })
    : [];

  const failures = collectFailures(compositionErrors, changes, federation, lint);
  return {
    verdict: failures.length > 0 ? 'fail' : 'pass',
    subgraph: input.subgraphName,
    changes,
    composition: { errors: compositionErrors, hints },
    lint,
    federation,
    failures,
    notes,
  };
}

function hasApiSchemas(input: RunChecksInput): boolean {
  return Boolean((input.oldApiSchema || input.oldSupergraphSdl) && (input.composition?.ok || input.newSupergraphSdl));
}

/**
 * Classifies API changes between the live and candidate supergraphs. With no supergraphs at all
 * it falls back to the subgraph SDLs (a standalone graph); with no old supergraph there is
 * nothing to break.
 */
async function classifyApiChanges(input: RunChecksInput, oldIndex: SdlIndex | undefined, newIndex: SdlIndex | undefined, notes: string[]): Promise<SchemaChange[]> {
  const hasNew = input.composition?.ok || input.newSupergraphSdl !== undefined;
  const hasOld = input.oldApiSchema !== undefined || input.oldSupergraphSdl !== undefined;
  try {
    if (hasNew) {
      if (!hasOld) {
        notes.push('No previous supergraph: every type and field is new, so no change can break a client.');
        return [];
      }
      const oldApi = input.oldApiSchema ?? buildApiSchema(input.oldSupergraphSdl!, 'previous supergraph', { trusted: true });
      const newApi = input.composition?.ok ? input.composition.apiSchema() : buildApiSchema(input.newSupergraphSdl!, 'new supergraph', { trusted: true });
      return await classifySchemaChanges(oldApi, newApi);
    }
    if (oldIndex && newIndex) {
      notes.push('No supergraph given: changes were classified on the subgraph SDL, not the API schema.');
      return await classifySchemaChanges(buildPlainSchema(oldIndex.document, 'old'), buildPlainSchema(newIndex.document, 'new'));
    }
  } catch (err) {
    notes.push(`API changes could not be classified: ${err instanceof Error ? err.message : String(err)}`);
  }
  return [];
}

function collectFailures(compositionErrors: CompositionProblem[], changes: SchemaChange[], federation: FederationFinding[], lint: LintFinding[]): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const e of compositionErrors) failures.push({ kind: 'composition', rule: e.code, message: e.message });
  for (const c of changes) if (c.criticality === 'BREAKING' && !c.safeByUsage) failures.push({ kind: 'change', rule: c.type, coordinate: c.coordinate, message: c.message });
  for (const f of federation) if (f.criticality === 'BREAKING') failures.push({ kind: 'federation', rule: f.rule, coordinate: f.coordinate, message: f.message });
  for (const l of lint) if (l.severity === 'error') failures.push({ kind: 'lint', rule: l.rule, coordinate: l.coordinate, message: l.message });
  return failures;
}
