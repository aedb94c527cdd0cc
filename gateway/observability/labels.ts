/**
 * Bounded label values: every distinct label value is a time series kept forever by Prometheus, so
 * values chosen by callers (operation names, tenants) are cleaned, truncated and capped in number.
 */

/** Folds values past the first `max` distinct ones into `other`; `allowed`, when given, is the whole set. */
export function createLabelFolder(max: number, allowed?: Iterable<string>): (value: string) => string {
  const known = new Set<string>(allowed ?? []);
  const fixed = allowed !== undefined;
  return (value) => {
    if (known.has(value)) return value;
    if (fixed || known.size >= max) return 'other';
    known.add(value);
    return value;
  };
}

/** An operation name as a label: `anonymous` when absent, only word characters, at most 64 of them. */
export function operationNameLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
}
