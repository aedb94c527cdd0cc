/** The machine format: a stable JSON shape for CI tools and the registry's API. */
import type { CheckReport } from '../check';

/** `{verdict, changes:[{criticality,type,coordinate,message,...}], composition:{errors,hints}, lint:[...], federation, failures, notes}` */
export function formatJson(report: CheckReport): string {
  const body = {
    verdict: report.verdict,
    subgraph: report.subgraph,
    changes: report.changes.map((c) => ({
      criticality: c.criticality,
      type: c.type,
      coordinate: c.coordinate,
      message: c.message,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.usage ? { usage: c.usage, safeByUsage: c.safeByUsage === true } : {}),
    })),
    composition: { errors: report.composition.errors, hints: report.composition.hints },
    lint: report.lint,
    federation: report.federation,
    failures: report.failures,
    notes: report.notes,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
