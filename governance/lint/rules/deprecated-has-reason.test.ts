import { lintWithOnly } from '../test-support';

describe('deprecated-has-reason', () => {
  it('flags @deprecated without a reason on fields, arguments and enum values', () => {
    const findings = lintWithOnly('deprecated-has-reason', {
      newSdl: 'type Query { a: Int @deprecated b(x: Int @deprecated(reason: "")): Int s: S } enum S { A @deprecated }',
    });
    expect(findings.map((f) => f.coordinate)).toEqual(['Query.a', 'Query.b(x:)', 'S.A']);
    expect(findings[0].message).toBe('"Query.a" is @deprecated without a reason');
  });

  it('does not flag a deprecation with a reason', () => {
    expect(lintWithOnly('deprecated-has-reason', { newSdl: 'type Query { a: Int @deprecated(reason: "Use b") b: Int }' })).toEqual([]);
  });
});
