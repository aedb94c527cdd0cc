/**
 * GitHub Actions workflow commands (`::error file=F,line=L::msg`), so findings show up on the
 * changed lines of the subgraph's SDL file in the pull request.
 */
import type { CheckReport } from '../check';
import { parseSdl } from '../sdl/parse-sdl';
import { indexSdl } from '../sdl/sdl-index';
import type { SdlIndex } from '../sdl/sdl-index';
import { locateCoordinate } from './locate-coordinate';

export interface GithubFormatOptions {
  /** The SDL file path, as the repository sees it. */
  file: string;
  /** The file's content, to find the line of each coordinate. */
  sdl?: string;
}

type Level = 'error' | 'warning' | 'notice';

/** Workflow-command escaping: data escapes %, CR, LF; property values also `:` and `,`. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: CheckReport, options: GithubFormatOptions): string {
  let index: SdlIndex | undefined;
  if (options.sdl !== undefined) {
    const parsed = parseSdl(options.sdl, options.file);
    if (parsed.ok) index = indexSdl(parsed.document);
  }
  const lines: string[] = [];
  const emit = (level: Level, line: number, message: string) => lines.push(`::${level} file=${escapeProperty(options.file)},line=${line}::${escapeData(message)}`);

  for (const e of report.composition.errors) {
    const here = e.locations?.find((l) => l.subgraph === report.subgraph) ?? (e.subgraph === report.subgraph && e.line ? { line: e.line } : undefined);
    emit('error', here?.line ?? 1, `Composition: ${e.message}`);
  }
  for (const c of report.changes) {
    if (c.criticality === 'SAFE') continue;
    const level: Level = c.criticality === 'BREAKING' && !c.safeByUsage ? 'error' : 'warning';
    const label = c.criticality === 'BREAKING' && c.safeByUsage ? 'BREAKING (safe by usage)' : c.criticality;
    emit(level, locateCoordinate(index, c.coordinate), `${label} ${c.coordinate}: ${c.message}`);
  }
  for (const f of report.federation) {
    if (f.criticality === 'SAFE') continue;
    emit(f.criticality === 'BREAKING' ? 'error' : 'warning', locateCoordinate(index, f.coordinate), `${f.rule} ${f.coordinate}: ${f.message}`);
  }
  for (const l of report.lint) {
    emit(l.severity === 'error' ? 'error' : 'warning', locateCoordinate(index, l.coordinate), `${l.rule} ${l.coordinate}: ${l.message}. Fix: ${l.fix}`);
  }
  for (const n of report.notes) lines.push(`::notice::${escapeData(n)}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
