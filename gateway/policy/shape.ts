/**
 * Shapes an execution result after authorization: `null` and a FORBIDDEN error at every concrete
 * path of a denied field, GraphQL's null propagation for denied non-null fields, and removal of the
 * `__typename` fields the filter added.
 */
import { GraphQLError } from 'graphql';
import type { AuthorizationResult, DeniedField } from './authorize';

/** What an executor returns; `errors` are kept as given and ours appended. */
export interface ExecutionResultLike {
  data?: Record<string, unknown> | null;
  errors?: readonly unknown[];
  extensions?: Record<string, unknown>;
}

export interface ShapedResult {
  data: Record<string, unknown> | null;
  errors?: unknown[];
  extensions?: Record<string, unknown>;
}

type Path = Array<string | number>;

/** The message every denied field's error carries. */
export function forbiddenMessage(coordinate: string): string {
  return `Not authorized to access ${coordinate}`;
}

/**
 * Applies an authorization's denials to an execution result. The input is not mutated. With no
 * data (the execution failed as a whole) the result is returned as it is. When every root field was
 * denied and nothing ran, pass `{ data: {} }`.
 *
 * Errors: the executor's first, then one per denied concrete path, in document order and list
 * index order.
 */
export function applyDenials(result: ExecutionResultLike, authorization: Pick<AuthorizationResult, 'denied' | 'addedTypenames'>): ShapedResult {
  const { denied, addedTypenames } = authorization;
  if (result.data == null || (denied.length === 0 && addedTypenames.length === 0)) {
    return { ...result, data: result.data ?? null, errors: result.errors ? [...result.errors] : undefined };
  }
  const root = { data: structuredClone(result.data) as Record<string, unknown> | null };

  // Find every target before changing anything, so one denial's null cannot hide another's error.
  const targets: Array<{ object: Record<string, unknown>; path: Path; denial: DeniedField }> = [];
  for (const denial of denied) {
    const key = denial.path[denial.path.length - 1];
    forEachObject(root.data, denial.path.slice(0, -1), 0, [], (object, path) => {
      if (denial.parentTypes && typeof object.__typename === 'string' && !denial.parentTypes.includes(object.__typename)) return;
      // Present means another, allowed selection of the same response key served it (e.g. `id` through
      // `... on User` while `Node.id` is denied): the client may have it.
      if (Object.prototype.hasOwnProperty.call(object, key)) return;
      targets.push({ object, path: [...path, key], denial });
    });
  }
  for (const added of addedTypenames) {
    forEachObject(root.data, added.path, 0, [], (object) => {
      if (!added.keepFor.includes(object.__typename as string)) delete object.__typename;
    });
  }
  const errors: GraphQLError[] = [];
  for (const { object, path, denial } of targets) {
    object[path[path.length - 1] as string] = null;
    errors.push(new GraphQLError(forbiddenMessage(denial.coordinate), { path, extensions: { code: 'FORBIDDEN' } }));
  }
  for (const { path, denial } of targets) propagateNull(root, path, denial.fieldTypes);

  return { ...result, data: root.data, errors: [...(result.errors ?? []), ...errors] };
}

/** Calls `visit` for each object at `keys` below `value`, stepping through lists at any depth. */
function forEachObject(
  value: unknown,
  keys: readonly string[],
  from: number,
  path: Path,
  visit: (object: Record<string, unknown>, path: Path) => void,
): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => forEachObject(item, keys, from, [...path, index], visit));
    return;
  }
  const object = value as Record<string, unknown>;
  if (from >= keys.length) {
    visit(object, path);
    return;
  }
  forEachObject(object[keys[from]], keys, from + 1, [...path, keys[from]], visit);
}

/**
 * Non-null flags of a declared type from the outside in: `[Review!]` -> [false, true],
 * `String!` -> [true].
 */
export function nonNullLevels(type: string): boolean[] {
  const nonNull = type.endsWith('!');
  const inner = nonNull ? type.slice(0, -1) : type;
  if (inner.startsWith('[')) return [nonNull, ...nonNullLevels(inner.slice(1, -1))];
  return [nonNull];
}

/**
 * A null in a non-null position moves up to the nearest nullable position; past the root fields it
 * makes `data` null.
 */
function propagateNull(root: { data: Record<string, unknown> | null }, path: Path, fieldTypes: readonly string[]): void {
  const nonNull: boolean[] = [false];
  let field = -1;
  let levels: boolean[] = [];
  let level = 0;
  for (const segment of path) {
    if (typeof segment === 'string') {
      field++;
      levels = nonNullLevels(fieldTypes[field] ?? '');
      level = 0;
    } else {
      level++;
    }
    nonNull.push(levels[level] ?? false);
  }
  let position = path.length;
  while (position > 0 && nonNull[position]) position--;
  if (position === path.length) return;
  if (position === 0) {
    root.data = null;
    return;
  }
  let container: unknown = root.data;
  for (let i = 0; i < position - 1; i++) {
    if (container === null || typeof container !== 'object') return;
    container = (container as Record<string | number, unknown>)[path[i]];
  }
  // Already nulled higher up by another denial: nothing left to do.
  if (container === null || typeof container !== 'object') return;
  (container as Record<string | number, unknown>)[path[position - 1]] = null;
}

/**
 * The response for a `reject`-mode policy that denied something: no data, one FORBIDDEN error per
 * denied field, naming its coordinate and response path.
 */
export function rejectionResult(denied: readonly DeniedField[]): { errors: GraphQLError[] } {
  return {
    errors: denied.map(
      (d) => new GraphQLError(forbiddenMessage(d.coordinate), { extensions: { code: 'FORBIDDEN', coordinate: d.coordinate, responsePath: d.path.join('.') } }),
    ),
  };
}
