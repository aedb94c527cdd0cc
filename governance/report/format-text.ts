/** The human format for terminals and CI logs: plain text, no colour codes. */
import type { CheckReport } from '../check';
import type { SchemaChange } from '../changes/types';

function changeLabel(c: SchemaChange): string {
  if (c.criticality === 'BREAKING' && c.safeByUsage) return 'SAFE-BY-USAGE';
  return c.criticality;
}

export function formatText(report: CheckReport): string {
  const lines: string[] = [`${report.title ?? `Check of subgraph "${report.subgraph}"`}: ${report.verdict.toUpperCase()}`, ''];
  const { errors, hints } = report.composition;
  lines.push(errors.length > 0 ? `Composition: FAILED (${errors.length} ${errors.length === 1 ? 'error' : 'errors'})` : 'Composition: ok');
  for (const e of errors) lines.push(`  error ${e.code ? `[${e.code}] ` : ''}${e.message}`);
  for (const h of hints) lines.push(`  hint ${h.code ? `[${h.code}] ` : ''}${h.message}`);

  const count = (level: string) => report.changes.filter((c) => changeLabel(c) === level).length;
  lines.push('', report.changes.length === 0
    ? 'Changes: none'
    : `Changes: ${report.changes.length} (${count('BREAKING')} breaking, ${count('SAFE-BY-USAGE')} safe by usage, ${count('DANGEROUS')} dangerous, ${count('SAFE')} safe)`);
  const width = Math.max(0, ...report.changes.map((c) => changeLabel(c).length));
  for (const c of report.changes) lines.push(`  ${changeLabel(c).padEnd(width)}  ${c.coordinate}  ${c.message}`);

  if (report.federation.length > 0) {
    lines.push('', `Federation: ${report.federation.length}`);
    for (const f of report.federation) lines.push(`  ${f.criticality}  ${f.rule}  ${f.coordinate}  ${f.message}`);
  }
  lines.push('', report.lint.length === 0 ? 'Lint: clean' : `Lint: ${report.lint.length}`);
  for (const l of report.lint) lines.push(`  ${l.severity.padEnd(5)}  ${l.rule}  ${l.coordinate}  ${l.message} (fix: ${l.fix})`);

  if (report.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const n of report.notes) lines.push(`  - ${n}`);
  }
  lines.push('', report.verdict === 'pass' ? 'Result: PASS' : `Result: FAIL (${report.failures.length} failing: ${report.failures.map((f) => `${f.kind} ${f.rule ?? ''}${f.coordinate ? ` at ${f.coordinate}` : ''}`.trim()).join('; ')})`);
  return `${lines.join('\n')}\n`;
}
