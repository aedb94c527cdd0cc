/**
 * The governance pipeline the registry runs on every change: compose the candidate subgraph set,
 * then `runChecks` against the live supergraph (breaking changes judged by real usage, federation
 * rules, lint). Pure apart from the usage lookup, so it runs the same in-process or in a worker.
 */
import { parse, type GraphQLSchema } from 'graphql';
import { buildApiSchema } from '../governance/changes/api-schema';
import { composeSubgraphs, runChecks, type CheckFailure, type CheckReport } from '../governance/check';
import { checkFederation } from '../governance/federation';
import { lintChange, type LintConfigInput } from '../governance/lint';
import type { UsageLookup, UsageOptions } from '../governance/usage';
import { addPolicyFindings, type TenantPolicyRef } from './tenants/policy-coordinates-check';
import type { SubgraphRecord } from './client/wire-types';

/** One subgraph whose SDL the change touches; `oldSdl` absent for a new subgraph. */
export interface ChangedSubgraph {
  name: string;
  oldSdl?: string;
  newSdl: string;
  owner?: string;
}

export interface PipelineInput {
  /** The whole candidate set; retired subgraphs are kept but not composed. */
  subgraphs: SubgraphRecord[];
  /** What changed (at least one entry); the first one is the report's subject. */
  changed: ChangedSubgraph[];
  /** The live supergraph; absent for a variant's first version. */
  liveSupergraphSdl?: string;
  lintConfig?: LintConfigInput;
  usageOptions?: UsageOptions;
  /** Notes to add to the report (why a rule was relaxed, what the change is). */
  notes?: string[];
  /** The variant's tenant policies: a change that removes a coordinate one names fails. */
  policies?: TenantPolicyRef[];
}

export interface PipelineResult {
  report: CheckReport;
  /** The composed candidate supergraph, when composition succeeded. */
  supergraphSdl?: string;
}

/**
 * API schemas by supergraph SDL, newest last. Building one for a 2,000-type graph costs a good
 * fraction of a composition, and the live head's is needed by every check, so a few are kept;
 * a fresh composition's schema is added so the next publish finds its baseline ready.
 */
const apiSchemas = new Map<string, () => GraphQLSchema>();
const MAX_API_SCHEMAS = 4;

function rememberApiSchema(supergraphSdl: string, build: () => GraphQLSchema): void {
  apiSchemas.delete(supergraphSdl);
  apiSchemas.set(supergraphSdl, build);
  while (apiSchemas.size > MAX_API_SCHEMAS) apiSchemas.delete(apiSchemas.keys().next().value!);
}

/** The API schema of a supergraph, built once per distinct SDL. */
export function apiSchemaOfSupergraph(supergraphSdl: string): GraphQLSchema {
  let build = apiSchemas.get(supergraphSdl);
  if (!build) {
    let schema: GraphQLSchema | undefined;
    build = () => (schema ??= buildApiSchema(supergraphSdl));
    rememberApiSchema(supergraphSdl, build);
  }
  return build();
}

export async function runPipeline(input: PipelineInput, usage: UsageLookup | undefined): Promise<PipelineResult> {
  const [first, ...rest] = input.changed;
  if (!first) throw new Error('runPipeline needs at least one changed subgraph');
  const composition = composeSubgraphs(input.subgraphs.filter((s) => s.status !== 'retired'));
  const report = await runChecks({
    subgraphName: first.name,
    oldSubgraphSdl: first.oldSdl,
    newSubgraphSdl: first.newSdl,
    oldApiSchema: input.liveSupergraphSdl ? apiSchemaOfSupergraph(input.liveSupergraphSdl) : undefined,
    composition,
    usage,
    usageOptions: input.usageOptions,
    lintConfig: input.lintConfig,
    owner: first.owner,
  });
  // A change of several subgraphs (rollback, promotion): the API changes were judged once above;
  // each further subgraph still gets its own federation and lint checks.
  for (const other of rest) addSubgraphFindings(report, other, input.lintConfig);
  report.notes.push(...(input.notes ?? []));
  if (!composition.ok) return { report };
  addPolicyFindings(report, input.policies, input.liveSupergraphSdl ? apiSchemaOfSupergraph(input.liveSupergraphSdl) : undefined, composition.apiSchema);
  rememberApiSchema(composition.supergraphSdl, composition.apiSchema);
  return { report, supergraphSdl: composition.supergraphSdl };
}

function addSubgraphFindings(report: CheckReport, change: ChangedSubgraph, lintConfig: LintConfigInput | undefined): void {
  const failures: CheckFailure[] = [];
  try {
    if (change.oldSdl !== undefined) {
      for (const f of checkFederation({ subgraph: change.name, old: parse(change.oldSdl), new: parse(change.newSdl) })) {
        report.federation.push(f);
        if (f.criticality === 'BREAKING') failures.push({ kind: 'federation', rule: f.rule, coordinate: f.coordinate, message: f.message });
      }
    }
    for (const l of lintChange({ oldSdl: change.oldSdl, newSdl: change.newSdl, subgraph: { name: change.name, owner: change.owner }, config: lintConfig, apiChanges: report.changes })) {
      report.lint.push(l);
      if (l.severity === 'error') failures.push({ kind: 'lint', rule: l.rule, coordinate: l.coordinate, message: `[${change.name}] ${l.message}` });
    }
  } catch (err) {
    report.notes.push(`Subgraph "${change.name}" could not be linted: ${err instanceof Error ? err.message : String(err)}`);
  }
  report.failures.push(...failures);
  if (report.failures.length > 0) report.verdict = 'fail';
}
