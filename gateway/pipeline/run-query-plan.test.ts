/**
 * The plan runner's own versions of Apollo's path flattening and merging must give what Apollo's
 * give, on any data: random result trees and paths (fast-check), against Apollo's `deepMerge` and
 * against Apollo's `flattenResultsAtPath` (not exported, so copied below from executeQueryPlan.js 2.14).
 * End-to-end agreement of whole answers is test/answers-match-apollo.test.ts.
 */
import { deepMerge as apolloDeepMerge } from '@apollo/gateway/dist/utilities/deepMerge';
import fc from 'fast-check';
import { deepMerge, flattenResultsAtPath } from './run-query-plan';

function apolloFlatten(value: unknown, path: ReadonlyArray<string | number>): unknown {
  if (path.length === 0) return value;
  if (value === undefined || value === null) return value;
  const [current, ...rest] = path;
  if (current === '@') return (value as unknown[]).flatMap((element) => apolloFlatten(element, rest));
  if (typeof current !== 'string') throw new Error(`Unexpected ${typeof current} found in path`);
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${current}`);
  const record = value as Record<string, unknown>;
  return apolloFlatten(Object.prototype.hasOwnProperty.call(record, current) ? record[current] : undefined, rest);
}

const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

const key = fc.constantFrom('a', 'b', 'c', 'constructor', '__typename');
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, undefined, 1, 'x', true), tie('list'), tie('record')),
  list: fc.array(tie('node'), { maxLength: 3 }),
  record: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).node;
const path = fc.array(fc.oneof(key, fc.constant('@')), { maxLength: 5 });

test('flattening a plan path gives what Apollo gives (values, order, and the same errors)', () => {
  fc.assert(
    fc.property(tree, path, (data, p) => {
      expect(outcome(() => flattenResultsAtPath(data, p, 0))).toEqual(outcome(() => apolloFlatten(data, p)));
    }),
    { numRuns: 2000 },
  );
});

test('merging a subgraph answer into the result gives what Apollo gives', () => {
  const record = fc.dictionary(key, tree, { maxKeys: 4 });
  fc.assert(
    fc.property(record, record, (target, source) => {
      const mine = structuredClone(target);
      const theirs = structuredClone(target);
      const a = outcome(() => deepMerge(mine, structuredClone(source)));
      const b = outcome(() => apolloDeepMerge(theirs, structuredClone(source)));
      expect(a.error).toEqual(b.error);
      expect(mine).toEqual(theirs);
    }),
    { numRuns: 2000 },
  );
});
