/** A pull-request comment: verdict headline, then one table per section that has rows. */
import type { CheckReport } from '../check';
import type { SchemaChange } from '../changes/types';

/** Escapes what would break a table cell or render as markup. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function usageCell(c: SchemaChange): string {
  if (!c.usage) return '';
  return `${c.usage.count} in ${c.usage.windowDays}d${c.safeByUsage ? ' (safe)' : ''}`;
}

const ICON = { BREAKING: '🔴', DANGEROUS: '🟠', SAFE: '🟢' } as const;

export function formatMarkdown(report: CheckReport): string {
  const out: string[] = [];
  const headline = report.verdict === 'pass' ? '✅ Schema check passed' : '❌ Schema check failed';
  out.push(`### ${headline}: ${report.title ?? `\`${report.subgraph}\``}`, '');
  const breaking = report.changes.filter((c) => c.criticality === 'BREAKING' && !c.safeByUsage).length;
  out.push(`${report.changes.length} changes, ${breaking} breaking · ${report.composition.errors.length} composition errors · ${report.lint.length} lint findings · ${report.federation.length} federation findings`, '');

  if (report.composition.errors.length > 0) {
    out.push('#### Composition errors', '', '| Code | Subgraph | Message |', '| --- | --- | --- |');
    for (const e of report.composition.errors) out.push(`| ${cell(e.code ?? '')} | ${cell(e.subgraph ?? '')} | ${cell(e.message)} |`);
    out.push('');
  }
  if (report.changes.length > 0) {
    out.push('#### Changes', '', '| Criticality | Coordinate | Change | Usage |', '| --- | --- | --- | --- |');
    for (const c of report.changes) {
      const label = c.criticality === 'BREAKING' && c.safeByUsage ? '🟢 SAFE (unused)' : `${ICON[c.criticality]} ${c.criticality}`;
      out.push(`| ${label} | \`${cell(c.coordinate)}\` | ${cell(c.message)} | ${cell(usageCell(c))} |`);
    }
    out.push('');
  }
  if (report.federation.length > 0) {
    out.push('#### Federation', '', '| Criticality | Rule | Coordinate | Message |', '| --- | --- | --- | --- |');
    for (const f of report.federation) out.push(`| ${ICON[f.criticality]} ${f.criticality} | ${cell(f.rule)} | \`${cell(f.coordinate)}\` | ${cell(f.message)} |`);
    out.push('');
  }
  if (report.lint.length > 0) {
    out.push('#### Lint', '', '| Severity | Rule | Coordinate | Message | Fix |', '| --- | --- | --- | --- | --- |');
    for (const l of report.lint) out.push(`| ${l.severity} | ${cell(l.rule)} | \`${cell(l.coordinate)}\` | ${cell(l.message)} | ${cell(l.fix)} |`);
    out.push('');
  }
  for (const note of report.notes) out.push(`> ${note}`);
  return `${out.join('\n').trimEnd()}\n`;
}
