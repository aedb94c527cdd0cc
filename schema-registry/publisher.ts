/**
 * SchemaPublisher: the one path by which a change becomes a live supergraph.
 * validate → compose with the variant's other subgraphs → checks against the live head (breaking
 * changes judged by real usage, federation rules, lint) → append as a new version (compare-and-set
 * on the head) → tell listeners. A refused change stores nothing. Rollback, promotion and subgraph
 * lifecycle changes go through the same checks.
 */
import { EventEmitter } from 'node:events';
import { parse, GraphQLError } from 'graphql';
import { z } from 'zod';
import { classifySchemaChanges } from '../governance/changes';
import type { SchemaChange } from '../governance/changes';
import type { CheckReport } from '../governance/check';
import type { UsageLookup } from '../governance/usage';
import { apiSchemaOfSupergraph, type ChangedSubgraph, type PipelineInput } from './check-pipeline';
import { CheckRunner } from './check-runner';
import { registryGovernanceSchema, type RegistryGovernance, type RegistryGovernanceInput } from './governance-options';
import type { RegistryStore } from './store/registry-store';
import type { TenantPolicyRef } from './tenants/policy-coordinates-check';
import { summarize, type ForcedChange, type SchemaVersion, type SubgraphRecord, type SubgraphStatus, type VersionDraft, type VersionSummary } from './client/wire-types';
import type { UsageStore } from './usage/usage-store';
import { SerialQueues } from '../core/async';
import { VARIANT_NAME } from './client/wire-types';

const NAME = /^[a-z][a-z0-9_-]*$/;
const NAME_RULE = 'must start with a lower-case letter and hold only lower-case letters, digits, dashes and underscores';
export const variantNameSchema = z.string().regex(VARIANT_NAME, 'lower-case letters, digits, dashes and underscores');

export const publishInputSchema = z.object({
  variant: variantNameSchema.default('prod'),
  name: z.string({ required_error: 'is required' }).regex(NAME, NAME_RULE),
  url: z.string({ required_error: 'is required' }).url('must be an absolute http(s) URL').refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  sdl: z.string({ required_error: 'is required' }).min(1, 'must not be empty'),
  owner: z.string().optional(),
  author: z.string().optional(),
  commit: z.string().optional(),
});

/** A check is a publish that stores nothing; the URL may be left out (the live one, or a placeholder). */
export const checkInputSchema = publishInputSchema.extend({ url: publishInputSchema.shape.url.optional() });

export type PublishInput = z.input<typeof publishInputSchema>;
export type CheckInput = z.input<typeof checkInputSchema>;

export interface Problem {
  message: string;
  code?: string;
  subgraph?: string;
  coordinate?: string;
  kind?: string;
  line?: number;
  column?: number;
}

export type RejectionCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID_SCHEMA' | 'COMPOSITION_FAILED' | 'CHECKS_FAILED';

export type PublishOutcome =
  | { status: 'published'; version: VersionSummary; report?: CheckReport }
  | { status: 'unchanged'; version: VersionSummary }
  | { status: 'rejected'; code: RejectionCode; message: string; problems: Problem[]; report?: CheckReport };

export type CheckOutcome = { status: 'checked'; verdict: 'pass' | 'fail'; report: CheckReport } | Extract<PublishOutcome, { status: 'rejected' }>;

export type DiffOutcome = { status: 'ok'; variant: string; from: number; to: number; changes: SchemaChange[] } | Extract<PublishOutcome, { status: 'rejected' }>;

export interface SchemaPublisherEvents {
  published: [SchemaVersion];
}

export interface SchemaPublisherOptions {
  /** Usage counts for usage-based safety; without it breaking changes are judged without traffic. */
  usage?: UsageStore;
  governance?: RegistryGovernanceInput;
  /** Where the pipeline runs (in-process or a worker); built from `governance.composition` when absent. */
  runner?: CheckRunner;
  /** The variant's tenant policies, so a change that removes a coordinate one names fails its check. */
  policies?: (variant: string) => Promise<TenantPolicyRef[]>;
}

/** How many times a publish that lost a compare-and-set race (another registry replica) is re-run on the new head. */
const MAX_CAS_ATTEMPTS = 5;

type Rejection = Extract<PublishOutcome, { status: 'rejected' }>;
type Plan = { kind: 'rejected'; outcome: Rejection } | { kind: 'unchanged'; version: SchemaVersion } | { kind: 'append'; draft: VersionDraft };

export class SchemaPublisher extends EventEmitter<SchemaPublisherEvents> {
  readonly governance: RegistryGovernance;
  readonly runner: CheckRunner;
  private readonly usageLookup: UsageLookup | undefined;
  private readonly policiesOf: SchemaPublisherOptions['policies'];
  /** Per-variant chain: one change at a time per variant in this process, so CAS conflicts only come from other replicas. */
  private readonly locks = new SerialQueues();

  constructor(
    readonly store: RegistryStore,
    options: SchemaPublisherOptions = {},
  ) {
    super();
    this.governance = registryGovernanceSchema.parse(options.governance ?? {});
    this.runner = options.runner ?? new CheckRunner({ workerMinSubgraphs: this.governance.composition.workerMinSubgraphs, timeoutMs: this.governance.composition.timeoutMs });
    const usage = options.usage;
    const { windowDays, excludedClients } = this.governance.usage;
    this.usageLookup = usage && ((coordinates) => usage.lookup(coordinates, windowDays, excludedClients));
    this.policiesOf = options.policies;
  }

  /**
   * Publishes one subgraph's SDL to a variant, if it passes every check. `extras.templates` is the
   * prompt template set the `ai` SDL was generated from (prompts-api.ts), stored with the record;
   * `extras.basedOn` the set it was derived from: if the stored set moved meanwhile, CONFLICT (retry).
   */
  async publish(raw: unknown, extras: { templates?: unknown[]; basedOn?: unknown[] | null; force?: ForceRequest } = {}): Promise<PublishOutcome> {
    const parsed = publishInputSchema.safeParse(raw);
    if (!parsed.success) return badRequest(parsed.error);
    const input = parsed.data;
    const syntax = checkSyntax(input.name, input.sdl);
    if (syntax) return reject('INVALID_SCHEMA', `Subgraph "${input.name}" SDL does not parse: ${syntax.message}`, [syntax]);

    return this.commit(input.variant, async (head) => {
      const current = head?.subgraphs ?? [];
      const existing = current.find((s) => s.name === input.name);
      if (existing?.status === 'retired') {
        return { kind: 'rejected', outcome: reject('BAD_REQUEST', `Subgraph "${input.name}" is retired in variant "${input.variant}"; set its lifecycle to "active" before publishing it again`, []) };
      }
      if (extras.basedOn !== undefined && !sameTemplates(existing?.templates, extras.basedOn ?? undefined)) {
        return { kind: 'rejected', outcome: reject('CONFLICT', `The prompt templates of variant "${input.variant}" changed under this change; retry it`, [{ message: 'the template set moved', code: 'CONFLICT' }]) };
      }
      // A template set is kept across a plain publish only while the SDL it generated stays the same.
      const templates = extras.templates ?? (existing?.sdl === input.sdl ? existing.templates : undefined);
      if (existing && head && existing.sdl === input.sdl && existing.url === input.url && sameTemplates(existing.templates, templates)) return { kind: 'unchanged', version: head };
      const record: SubgraphRecord = { name: input.name, url: input.url, sdl: input.sdl, owner: input.owner ?? existing?.owner, status: existing?.status ?? 'active', ...(templates ? { templates } : {}) };
      const candidate = existing ? current.map((s) => (s.name === input.name ? record : s)) : [...current, record];
      const changed: ChangedSubgraph = { name: input.name, oldSdl: existing?.sdl, newSdl: input.sdl, owner: record.owner };
      const result = await this.runChecks({ variant: input.variant, subgraphs: candidate, changed: [changed], liveSupergraphSdl: head?.supergraphSdl });
      const overridden = extras.force ? overridableFailures(result) : null;
      if (extras.force && overridden) {
        // Forced: usage-judged breaking changes and lint are overridden and recorded; composition never is.
        result.report.notes.push(`Forced by ${extras.force.by}: ${extras.force.reason}`);
        const force = { reason: extras.force.reason, by: extras.force.by, overridden };
        return { kind: 'append', draft: { action: 'publish', subgraph: input.name, author: input.author, commit: input.commit, subgraphs: candidate, supergraphSdl: result.supergraphSdl!, report: result.report, force } };
      }
      const refused = refusal(result, `Subgraph "${input.name}"`, input.variant);
      if (refused) return { kind: 'rejected', outcome: refused };
      return { kind: 'append', draft: { action: 'publish', subgraph: input.name, author: input.author, commit: input.commit, subgraphs: candidate, supergraphSdl: result.supergraphSdl!, report: result.report } };
    });
  }

  /** The publish pipeline on a subgraph change, storing nothing: the CI gate. */
  async check(raw: unknown): Promise<CheckOutcome> {
    const parsed = checkInputSchema.safeParse(raw);
    if (!parsed.success) return badRequest(parsed.error);
    const input = parsed.data;
    const head = await this.store.head(input.variant);
    const current = head?.subgraphs ?? [];
    const existing = current.find((s) => s.name === input.name);
    const record: SubgraphRecord = {
      name: input.name,
      url: input.url ?? existing?.url ?? `http://${input.name}.invalid/graphql`,
      sdl: input.sdl,
      owner: input.owner ?? existing?.owner,
      status: existing?.status === 'retired' ? 'active' : (existing?.status ?? 'active'),
    };
    const candidate = existing ? current.map((s) => (s.name === input.name ? record : s)) : [...current, record];
    const notes = existing ? [] : [`"${input.name}" is not in variant "${input.variant}": checked as a new subgraph.`];
    const { report } = await this.runChecks({ variant: input.variant, subgraphs: candidate, changed: [{ name: input.name, oldSdl: existing?.sdl, newSdl: input.sdl, owner: record.owner }], liveSupergraphSdl: head?.supergraphSdl, notes });
    return { status: 'checked', verdict: report.verdict, report };
  }

  /** Re-publishes an old version's subgraph set as a new version, through the same checks. */
  async rollback(raw: unknown): Promise<PublishOutcome> {
    const parsed = z.object({ variant: variantNameSchema, toVersion: z.number({ required_error: 'is required' }).int().positive(), author: z.string().optional() }).safeParse(raw);
    if (!parsed.success) return badRequest(parsed.error);
    const { variant, toVersion, author } = parsed.data;
    return this.commit(variant, async (head) => {
      const target = await this.store.version(variant, toVersion);
      if (!head || !target) return { kind: 'rejected', outcome: reject('NOT_FOUND', `Variant "${variant}" has no version ${toVersion}`, []) };
      return this.planReplacement(head, target.subgraphs, {
        variant,
        what: `Rollback of "${variant}" to version ${toVersion}`,
        draft: { action: 'rollback', author, source: { variant, id: toVersion } },
        // Undoing a version removes what it added without a deprecation period; clients are still protected by the usage check.
        lintConfig: { ...this.governance.lint, rules: { ...this.governance.lint?.rules, 'deprecate-before-delete': 'off' } },
        notes: [`Rollback to version ${toVersion}: "deprecate-before-delete" is not applied; removed fields are judged by their usage.`],
      });
    });
  }

  /** Publishes the head of variant `from` to variant `to`, through `to`'s checks (its usage, its live schema). */
  async promote(raw: unknown): Promise<PublishOutcome> {
    const parsed = z.object({ from: variantNameSchema, to: variantNameSchema, author: z.string().optional() }).safeParse(raw);
    if (!parsed.success) return badRequest(parsed.error);
    const { from, to, author } = parsed.data;
    if (from === to) return reject('BAD_REQUEST', `Cannot promote variant "${from}" to itself`, []);
    return this.commit(to, async (head) => {
      const source = await this.store.head(from);
      if (!source) return { kind: 'rejected', outcome: reject('NOT_FOUND', `Variant "${from}" has no published version to promote`, []) };
      return this.planReplacement(head, source.subgraphs, {
        variant: to,
        what: `Promotion of "${from}" version ${source.id} to "${to}"`,
        draft: { action: 'promote', author, source: { variant: from, id: source.id } },
        lintConfig: this.governance.lint,
        notes: [`Promotion of "${from}" version ${source.id}.`],
      });
    });
  }

  /**
   * Moves a subgraph through active → deprecated → retired. Retiring removes it from the
   * supergraph, and is refused while any of the fields that leave the API still has usage.
   */
  async setLifecycle(raw: unknown): Promise<PublishOutcome> {
    const parsed = z
      .object({ variant: variantNameSchema, subgraph: z.string().regex(NAME, NAME_RULE), status: z.enum(['active', 'deprecated', 'retired'], { errorMap: () => ({ message: 'must be "active", "deprecated" or "retired"' }) }), author: z.string().optional() })
      .safeParse(raw);
    if (!parsed.success) return badRequest(parsed.error);
    const { variant, subgraph, status, author } = parsed.data;
    return this.commit(variant, async (head) => {
      const existing = head?.subgraphs.find((s) => s.name === subgraph);
      if (!head || !existing) return { kind: 'rejected', outcome: reject('NOT_FOUND', `Variant "${variant}" has no subgraph "${subgraph}"`, []) };
      if (existing.status === status) return { kind: 'unchanged', version: head };
      const candidate = head.subgraphs.map((s) => (s.name === subgraph ? { ...s, status: status as SubgraphStatus } : s));
      // The subgraph's SDL does not change: only the API diff (with usage) can fail, not its lint.
      const notes = status === 'retired' ? [`Retiring "${subgraph}" removes it from the supergraph: each field that leaves the API is judged by its usage in the last ${this.governance.usage.windowDays} days.`] : [];
      const result = await this.runChecks({ variant, subgraphs: candidate, changed: [{ name: subgraph, oldSdl: existing.sdl, newSdl: existing.sdl, owner: existing.owner }], liveSupergraphSdl: head.supergraphSdl, notes });
      const refused = refusal(result, `Setting subgraph "${subgraph}" to ${status}`, variant);
      if (refused) return { kind: 'rejected', outcome: refused };
      return { kind: 'append', draft: { action: 'lifecycle', subgraph, author, subgraphs: candidate, supergraphSdl: result.supergraphSdl!, report: result.report } };
    });
  }

  /** Classified API changes between two versions of a variant (either order). */
  async diff(variant: string, fromId: number, toId: number): Promise<DiffOutcome> {
    const [from, to] = await Promise.all([this.store.version(variant, fromId), this.store.version(variant, toId)]);
    const missing = [from ? null : fromId, to ? null : toId].filter((id) => id !== null);
    if (missing.length > 0) return reject('NOT_FOUND', `Variant "${variant}" has no version ${missing.join(' or ')}`, []);
    const changes = await classifySchemaChanges(apiSchemaOfSupergraph(from!.supergraphSdl), apiSchemaOfSupergraph(to!.supergraphSdl));
    return { status: 'ok', variant, from: fromId, to: toId, changes };
  }

  async close(): Promise<void> {
    await this.locks.drain();
    await this.runner.close();
  }

  private async runChecks({ variant, ...input }: Omit<PipelineInput, 'lintConfig' | 'usageOptions' | 'policies'> & { variant: string; lintConfig?: PipelineInput['lintConfig'] }): ReturnType<CheckRunner['run']> {
    const { windowDays, threshold, excludedClients } = this.governance.usage;
    const policies = await this.policiesOf?.(variant);
    return this.runner.run({ lintConfig: this.governance.lint, ...input, policies, usageOptions: { windowDays, threshold, excludedClients } }, this.usageLookup);
  }

  /** Plans replacing a variant's whole subgraph set (rollback, promotion). */
  private async planReplacement(
    head: SchemaVersion | null,
    next: SubgraphRecord[],
    how: { variant: string; what: string; draft: Pick<VersionDraft, 'action' | 'author' | 'source'>; lintConfig: PipelineInput['lintConfig']; notes: string[] },
  ): Promise<Plan> {
    const changed = changedSubgraphs(head?.subgraphs ?? [], next);
    if (changed.length === 0 && head) return { kind: 'unchanged', version: head };
    const result = await this.runChecks({ variant: how.variant, subgraphs: next, changed: changed.length ? changed : [{ name: next[0]!.name, newSdl: next[0]!.sdl }], liveSupergraphSdl: head?.supergraphSdl, lintConfig: how.lintConfig, notes: how.notes });
    const refused = refusal(result, how.what, how.variant);
    if (refused) return { kind: 'rejected', outcome: refused };
    return { kind: 'append', draft: { ...how.draft, subgraphs: next, supergraphSdl: result.supergraphSdl!, report: result.report } };
  }

  /** Runs `plan` on the variant's head and appends its draft; re-plans on a lost compare-and-set. */
  private commit(variant: string, plan: (head: SchemaVersion | null) => Promise<Plan>): Promise<PublishOutcome> {
    const run = async (): Promise<PublishOutcome> => {
      for (let attempt = 1; ; attempt++) {
        const head = await this.store.head(variant);
        const planned = await plan(head);
        if (planned.kind === 'rejected') return planned.outcome;
        if (planned.kind === 'unchanged') return { status: 'unchanged', version: summarize(planned.version) };
        const result = await this.store.append(variant, head?.id ?? null, planned.draft);
        if (result.ok) {
          this.emit('published', result.version);
          return { status: 'published', version: summarize(result.version), report: result.version.report };
        }
        // Another replica landed a version first: check again against the new head, so nothing is lost or unchecked.
        if (attempt >= MAX_CAS_ATTEMPTS) return reject('CONFLICT', `Variant "${variant}" changed under this change ${attempt} times; retry it`, [{ message: 'the variant head moved', code: 'CONFLICT' }]);
      }
    };
    return this.locks.run(variant, run);
  }
}

/** The subgraphs whose SDL, URL or status differ between two sets, as pipeline changes. */
function changedSubgraphs(current: SubgraphRecord[], next: SubgraphRecord[]): ChangedSubgraph[] {
  const out: ChangedSubgraph[] = [];
  const before = new Map(current.map((s) => [s.name, s]));
  const after = new Map(next.map((s) => [s.name, s]));
  for (const s of next) {
    const old = before.get(s.name);
    if (old && old.sdl === s.sdl && old.url === s.url && old.status === s.status && sameTemplates(old.templates, s.templates)) continue;
    out.push({ name: s.name, oldSdl: old?.sdl, newSdl: s.sdl, owner: s.owner });
  }
  // A subgraph that leaves: its SDL stays as it was, so only the API diff (with usage) judges its removal.
  for (const s of current) if (!after.has(s.name)) out.push({ name: s.name, oldSdl: s.sdl, newSdl: s.sdl, owner: s.owner });
  return out;
}

/** Whether two stored prompt template sets are the same (both validated, so their JSON is canonical). */
function sameTemplates(a: unknown[] | undefined, b: unknown[] | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What `--force` asks for: the reason (required) and who verified asked it (`token:<id>`). */
export interface ForceRequest {
  reason: string;
  by: string;
}

/**
 * The failures a forced publish may override (RULINGS: `--force` skips usage-based breaking checks
 * and lint, never composition), or null when any other failure remains: composition, federation
 * rules, or a tenant policy naming a removed coordinate (the gateway could not load that policy).
 */
function overridableFailures(result: Awaited<ReturnType<CheckRunner['run']>>): ForcedChange['overridden'] | null {
  if (result.supergraphSdl === undefined || result.report.composition.errors.length > 0) return null;
  const failures = result.report.failures;
  const overridable = (f: (typeof failures)[number]): boolean => f.kind === 'lint' || (f.kind === 'change' && f.rule !== 'policy-coordinate-removed');
  if (!failures.every(overridable)) return null;
  return failures.map((f) => ({ kind: f.kind, ...(f.rule ? { rule: f.rule } : {}), ...(f.coordinate ? { coordinate: f.coordinate } : {}), message: f.message }));
}

/** Turns a failed check into a rejection naming each failing rule and coordinate; null when it passed. */
function refusal(result: Awaited<ReturnType<CheckRunner['run']>>, subject: string, variant: string): Rejection | null {
  const { report } = result;
  if (report.composition.errors.length > 0) {
    const problems: Problem[] = report.composition.errors.map((e) => ({ ...e }));
    return reject('COMPOSITION_FAILED', `${subject} does not compose with variant "${variant}": ${problems.map((p) => p.message).join('; ')}`, problems, report);
  }
  if (report.verdict === 'pass' && result.supergraphSdl !== undefined) return null;
  const problems: Problem[] = report.failures.map((f) => ({ message: f.message, code: f.rule, coordinate: f.coordinate, kind: f.kind }));
  const listed = report.failures.map((f) => `${f.rule ?? f.kind}${f.coordinate ? ` at ${f.coordinate}` : ''}: ${f.message}`);
  return reject('CHECKS_FAILED', `${subject} failed ${listed.length} ${listed.length === 1 ? 'check' : 'checks'} in variant "${variant}": ${listed.join('; ')}`, problems, report);
}

function reject(code: RejectionCode, message: string, problems: Problem[], report?: CheckReport): Rejection {
  return report ? { status: 'rejected', code, message, problems, report } : { status: 'rejected', code, message, problems };
}

function badRequest(error: z.ZodError): Rejection {
  const problems = error.issues.map((i) => ({ message: `${i.path.join('.') || 'body'}: ${i.message}` }));
  return reject('BAD_REQUEST', problems.map((p) => p.message).join('; '), problems);
}

function checkSyntax(name: string, sdl: string): Problem | null {
  try {
    parse(sdl);
    return null;
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    const loc = err.locations?.[0];
    return { message: loc ? `${err.message} (line ${loc.line}, column ${loc.column})` : err.message, code: 'GRAPHQL_PARSE_FAILED', subgraph: name, line: loc?.line, column: loc?.column };
  }
}
