/**
 * `charter diff OLD.graphql NEW.graphql [--format text|json|markdown|github]`: classifies the
 * changes between two schemas (supergraphs are compared by their API schema).
 * Exit codes: 0 no breaking change, 1 breaking changes, 2 could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CharterError } from '../../core/errors';
import { buildClientSchema } from '../../governance/changes/api-schema';
import { classifySchemaChanges } from '../../governance/changes/classify-changes';
import type { CheckReport } from '../../governance/check';
import { formatReport, isReportFormat, REPORT_FORMATS } from '../../governance/report';

export interface DiffOptions {
  oldFile: string;
  newFile: string;
  /** text (default), json, markdown or github. */
  format?: string;
}

/** What a CLI run produced; `register` writes it out, tests assert on it. */
export interface CommandOutcome {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export async function runDiff(options: DiffOptions): Promise<CommandOutcome> {
  const format = options.format ?? 'text';
  if (!isReportFormat(format)) return cannotRun(`unknown format "${format}" (use ${REPORT_FORMATS.join(', ')})`);
  let oldSdl: string;
  let newSdl: string;
  try {
    oldSdl = readSchemaFile(options.oldFile);
    newSdl = readSchemaFile(options.newFile);
  } catch (err) {
    return cannotRun((err as Error).message);
  }
  let changes;
  try {
    changes = await classifySchemaChanges(buildClientSchema(oldSdl, options.oldFile), buildClientSchema(newSdl, options.newFile));
  } catch (err) {
    if (err instanceof CharterError) return cannotRun(err.message);
    throw err;
  }
  const failures = changes
    .filter((c) => c.criticality === 'BREAKING')
    .map((c) => ({ kind: 'change' as const, rule: c.type, coordinate: c.coordinate, message: c.message }));
  const report: CheckReport = {
    verdict: failures.length > 0 ? 'fail' : 'pass',
    subgraph: path.basename(options.newFile),
    title: `Diff ${options.oldFile} -> ${options.newFile}`,
    changes,
    composition: { errors: [], hints: [] },
    lint: [],
    federation: [],
    failures,
    notes: [],
  };
  return { exitCode: failures.length > 0 ? 1 : 0, stdout: formatReport(report, format, { path: options.newFile, sdl: newSdl }), stderr: '' };
}

function readSchemaFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new Error(`cannot read ${file}: ${reason}`);
  }
}

function cannotRun(message: string): CommandOutcome {
  return { exitCode: 2, stdout: '', stderr: `charter diff: ${message}\n` };
}

/** Writes an outcome the way every Charter command does: stdout/stderr writes and `process.exitCode`. */
export function writeOutcome(outcome: CommandOutcome): void {
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}

export function register(program: Command): void {
  program
    .command('diff')
    .description('classify the changes between two schema files (exit 0: no breaking change, 1: breaking, 2: could not run)')
    .argument('<old>', 'the old schema (SDL or supergraph) file')
    .argument('<new>', 'the new schema (SDL or supergraph) file')
    .option('--format <format>', `output format: ${REPORT_FORMATS.join(', ')}`, 'text')
    .action(async (oldFile: string, newFile: string, opts: { format: string }) => {
      writeOutcome(await runDiff({ oldFile, newFile, format: opts.format }));
    });
}
