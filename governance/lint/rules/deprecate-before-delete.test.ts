import type { SchemaChange } from '../../changes/types';
import { lintWithOnly } from '../test-support';

describe('deprecate-before-delete', () => {
  it('flags removing a field that was not deprecated', () => {
    expect(lintWithOnly('deprecate-before-delete', { oldSdl: 'type Query { a: Int b: Int }', newSdl: 'type Query { a: Int }' })).toEqual([
      {
        rule: 'deprecate-before-delete',
        severity: 'error',
        coordinate: 'Query.b',
        message: '"Query.b" was removed without being deprecated first',
        fix: 'Restore it with @deprecated(reason: "...") and remove it once usage shows no clients',
      },
    ]);
  });

  it('flags the fields of a removed type', () => {
    const findings = lintWithOnly('deprecate-before-delete', { oldSdl: 'type Query { a: Int } type T { x: Int y: Int @deprecated(reason: "r") }', newSdl: 'type Query { a: Int }' });
    expect(findings.map((f) => f.coordinate)).toEqual(['T.x']);
  });

  it('does not flag removing a field deprecated in the old schema', () => {
    expect(lintWithOnly('deprecate-before-delete', { oldSdl: 'type Query { a: Int b: Int @deprecated(reason: "use a") }', newSdl: 'type Query { a: Int }' })).toEqual([]);
  });

  it('does not flag a field that left this subgraph but not the API schema (moved to another subgraph)', () => {
    const apiChanges: SchemaChange[] = [];
    expect(lintWithOnly('deprecate-before-delete', { oldSdl: 'type Query { a: Int b: Int }', newSdl: 'type Query { a: Int }', apiChanges })).toEqual([]);
  });
});
