/** Dotted property paths (`address.city`, `data.results`) into JSON values and argument objects. */

/** The value at `path`, or undefined when any step is missing or not an object. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** Set `path` in `target`, creating the objects on the way (`address.city` -> {address: {city}}). */
export function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  let current = target;
  for (const step of steps.slice(0, -1)) {
    const next = current[step];
    current = (typeof next === 'object' && next !== null ? next : (current[step] = {})) as Record<string, unknown>;
  }
  current[steps[steps.length - 1]!] = value;
}
