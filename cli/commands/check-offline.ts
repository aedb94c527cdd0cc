/**
 * `charter check`: the CI gate for a subgraph change.
 * Offline: `--config supergraph.yaml --subgraph NAME --schema FILE` composes the graph described
 * by a rover-style supergraph config with and without the change and runs every check locally
 * (no usage data). Registry: `--registry URL --variant V` asks a running registry (its usage included).
 * Exit codes: 0 pass, 1 fail, 2 could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { runChecks } from '../../governance/check';
import type { CheckReport } from '../../governance/check';
import { composeSubgraphs } from '../../governance/compose';
import type { SubgraphSource } from '../../governance/compose';
import { lintConfigSchema } from '../../governance/lint/config';
import { formatReport, isReportFormat, REPORT_FORMATS } from '../../governance/report';
import { checkAgainstRegistry as checkWithRegistry } from '../../schema-registry/client/check-client';
import type { CommandOutcome } from './diff';
import { writeOutcome } from './diff';

/** Rover's supergraph config (only local schema files can be checked offline), plus optional `owner` and `lint`. */
const supergraphConfigSchema = z.object({
  federation_version: z.union([z.string(), z.number()]).optional(),
  subgraphs: z.record(
    z.string(),
    z.object({
      routing_url: z.string({ required_error: 'is required' }),
      schema: z.object({ file: z.string({ required_error: 'is required (offline checks read local schema files only)' }) }).passthrough(),
      /** Charter extension: the owning team, for the subgraph-owner lint rule. */
      owner: z.string().optional(),
    }).passthrough(),
  ),
  /** Charter extension: lint configuration (see governance/lint/config.ts). */
  lint: lintConfigSchema.optional(),
}).passthrough();

export interface OfflineCheckOptions {
  /** Path to the rover-style supergraph config; schema files are relative to it. */
  configFile: string;
  subgraph: string;
  /** The changed subgraph SDL file. */
  schemaFile: string;
  format?: string;
  /** Owner of the subgraph (overrides the config's `owner`). */
  owner?: string;
  /** Routing URL for a subgraph the config does not have yet. */
  routingUrl?: string;
}

export async function runOfflineCheck(options: OfflineCheckOptions): Promise<CommandOutcome> {
  const format = options.format ?? 'text';
  if (!isReportFormat(format)) return cannotRun(`unknown format "${format}" (use ${REPORT_FORMATS.join(', ')})`);

  let config: z.output<typeof supergraphConfigSchema>;
  try {
    const parsed = supergraphConfigSchema.safeParse(parseYaml(fs.readFileSync(options.configFile, 'utf8')));
    if (!parsed.success) {
      return cannotRun(`${options.configFile} is not a valid supergraph config:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
    }
    config = parsed.data;
  } catch (err) {
    return cannotRun(`cannot read ${options.configFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }

  let newSdl: string;
  const baseline: SubgraphSource[] = [];
  try {
    newSdl = readFile(options.schemaFile);
    const dir = path.dirname(options.configFile);
    for (const [name, sub] of Object.entries(config.subgraphs)) {
      baseline.push({ name, url: sub.routing_url, sdl: readFile(path.resolve(dir, sub.schema.file)) });
    }
  } catch (err) {
    return cannotRun((err as Error).message);
  }

  const live = composeSubgraphs(baseline);
  if (!live.ok) {
    return cannotRun(`the graph in ${options.configFile} does not compose without the change, so there is nothing to compare against:\n${live.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  const existing = baseline.find((s) => s.name === options.subgraph);
  const changed: SubgraphSource = { name: options.subgraph, url: existing?.url ?? options.routingUrl ?? `http://${options.subgraph}.invalid/graphql`, sdl: newSdl };
  const candidate = existing ? baseline.map((s) => (s.name === options.subgraph ? changed : s)) : [...baseline, changed];

  const report = await runChecks({
    subgraphName: options.subgraph,
    oldSubgraphSdl: existing?.sdl,
    newSubgraphSdl: newSdl,
    oldApiSchema: live.apiSchema(),
    composition: composeSubgraphs(candidate),
    lintConfig: config.lint,
    owner: options.owner ?? config.subgraphs[options.subgraph]?.owner,
    noUsageReason: 'offline check',
  });
  if (!existing) report.notes.push(`"${options.subgraph}" is not in ${options.configFile}: checked as a new subgraph.`);
  return { exitCode: report.verdict === 'pass' ? 0 : 1, stdout: formatReport(report, format, { path: options.schemaFile, sdl: newSdl }), stderr: '' };
}

/** What the registry path needs to ask the registry for a check. */
export interface RegistryCheckRequest {
  registryUrl: string;
  variant: string;
  subgraph: string;
  sdl: string;
  schemaFile: string;
  owner?: string;
}

export type CheckAgainstRegistry = (request: RegistryCheckRequest) => Promise<CheckReport>;

/** The registry's check endpoint (the publish pipeline without storing); throws when it cannot run. */
export const checkAgainstRegistry: CheckAgainstRegistry = (request) => checkWithRegistry(request);

export interface RegistryCheckOptions extends Omit<RegistryCheckRequest, 'sdl'> {
  format?: string;
}

export async function runRegistryCheck(options: RegistryCheckOptions, check: CheckAgainstRegistry = checkAgainstRegistry): Promise<CommandOutcome> {
  const format = options.format ?? 'text';
  if (!isReportFormat(format)) return cannotRun(`unknown format "${format}" (use ${REPORT_FORMATS.join(', ')})`);
  let sdl: string;
  let report: CheckReport;
  try {
    sdl = readFile(options.schemaFile);
    report = await check({ registryUrl: options.registryUrl, variant: options.variant, subgraph: options.subgraph, sdl, schemaFile: options.schemaFile, owner: options.owner });
  } catch (err) {
    return cannotRun((err as Error).message);
  }
  return { exitCode: report.verdict === 'pass' ? 0 : 1, stdout: formatReport(report, format, { path: options.schemaFile, sdl }), stderr: '' };
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

function cannotRun(message: string): CommandOutcome {
  return { exitCode: 2, stdout: '', stderr: `charter check: ${message}\n` };
}

interface CheckCommandOptions {
  config?: string;
  subgraph: string;
  schema: string;
  format: string;
  registry?: string;
  variant: string;
  owner?: string;
  routingUrl?: string;
}

/** Adds `charter check`. `hooks.checkAgainstRegistry` overrides the registry path (tests, or the lead's wiring). */
export function register(program: Command, hooks: { checkAgainstRegistry?: CheckAgainstRegistry } = {}): void {
  program
    .command('check')
    .description('check a subgraph change: composition, breaking changes, federation rules, lint (exit 0 pass, 1 fail, 2 could not run)')
    .requiredOption('--subgraph <name>', 'the subgraph being changed')
    .requiredOption('--schema <file>', 'its new SDL file')
    .option('--config <file>', 'offline: rover-style supergraph config (subgraphs: {NAME: {routing_url, schema: {file}}})')
    .option('--registry <url>', 'check against a registry instead of a local config')
    .option('--variant <name>', 'registry variant', 'prod')
    .option('--owner <team>', 'the owning team of the subgraph')
    .option('--routing-url <url>', 'offline: URL of a subgraph the config does not list yet')
    .option('--format <format>', `output format: ${REPORT_FORMATS.join(', ')}`, 'text')
    .action(async (opts: CheckCommandOptions, command: Command) => {
      if (opts.registry) {
        writeOutcome(await runRegistryCheck({ registryUrl: opts.registry, variant: opts.variant, subgraph: opts.subgraph, schemaFile: opts.schema, owner: opts.owner, format: opts.format }, hooks.checkAgainstRegistry));
        return;
      }
      // The root program also has `-c, --config` and, without positional options, claims the flag
      // even after the subcommand: take it from there when it was given on the command line.
      const parent = command.parent;
      const configFile = opts.config ?? (parent?.getOptionValueSource('config') === 'cli' ? (parent.opts().config as string) : undefined);
      if (!configFile) {
        writeOutcome(cannotRun('give --config supergraph.yaml (offline) or --registry URL'));
        return;
      }
      writeOutcome(await runOfflineCheck({ configFile, subgraph: opts.subgraph, schemaFile: opts.schema, format: opts.format, owner: opts.owner, routingUrl: opts.routingUrl }));
    });
}
