import { lintWithOnly } from '../test-support';

describe('type-description', () => {
  it('flags a new type without a description', () => {
    const findings = lintWithOnly('type-description', { oldSdl: '"Root" type Query { a: Int }', newSdl: '"Root" type Query { a: Int b: Thing } type Thing { x: Int }' });
    expect(findings.map((f) => [f.coordinate, f.message])).toEqual([['Thing', 'Type "Thing" has no description']]);
  });

  it('does not flag an old undescribed type, a described new one, or an extension', () => {
    const findings = lintWithOnly('type-description', {
      oldSdl: 'type Query { a: Int } type Old { x: Int }',
      newSdl: 'type Query { a: Int } type Old { x: Int } """A new thing""" type Thing { x: Int } extend type Other { y: Int }',
    });
    expect(findings).toEqual([]);
  });
});
