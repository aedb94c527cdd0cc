import { classifyChanges } from './classify-changes';

describe('changing only a deprecation reason', () => {
  it('is SAFE on a field and reported once (no directive-usage echo)', async () => {
    const changes = await classifyChanges(
      `type Query { a: Int @deprecated(reason: "use b") b: Int }`,
      `type Query { a: Int @deprecated(reason: "use b, gone in June") b: Int }`,
    );
    expect(changes).toEqual([expect.objectContaining({ criticality: 'SAFE', type: 'FIELD_DEPRECATION_REASON_CHANGED', coordinate: 'Query.a' })]);
  });

  it('is SAFE on an enum value', async () => {
    const changes = await classifyChanges(
      `type Query { s: S } enum S { A B @deprecated(reason: "x") }`,
      `type Query { s: S } enum S { A B @deprecated(reason: "y") }`,
    );
    expect(changes).toEqual([expect.objectContaining({ criticality: 'SAFE', type: 'ENUM_VALUE_DEPRECATION_REASON_CHANGED', coordinate: 'S.B' })]);
  });

  it('does not hide removing the deprecated field itself', async () => {
    const changes = await classifyChanges(`type Query { a: Int @deprecated(reason: "use b") b: Int }`, `type Query { b: Int }`);
    expect(changes).toEqual([expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'Query.a' })]);
  });
});
