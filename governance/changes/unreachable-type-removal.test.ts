import { classifyChanges } from './classify-changes';

describe('removing what no operation could reach', () => {
  it('is SAFE for a type no root type leads to', async () => {
    const changes = await classifyChanges(`type Query { a: Int } type Orphan { x: Int }`, `type Query { a: Int }`);
    expect(changes).toEqual([expect.objectContaining({ criticality: 'SAFE', type: 'TYPE_REMOVED', coordinate: 'Orphan' })]);
    expect(changes[0].reason).toMatch(/No operation could reach 'Orphan'/);
  });

  it('is SAFE for a field removed from an unreachable type', async () => {
    const changes = await classifyChanges(`type Query { a: Int } type Orphan { x: Int y: Int }`, `type Query { a: Int } type Orphan { x: Int }`);
    expect(changes.map((c) => [c.criticality, c.coordinate])).toEqual([['SAFE', 'Orphan.y']]);
  });

  it('stays BREAKING for a type reached only through an interface implementation', async () => {
    const oldSdl = `type Query { node: Node } interface Node { id: ID! } type User implements Node { id: ID! name: String }`;
    const newSdl = `type Query { node: Node } interface Node { id: ID! }`;
    const changes = await classifyChanges(oldSdl, newSdl);
    const removal = changes.find((c) => c.type === 'TYPE_REMOVED');
    expect(removal).toEqual(expect.objectContaining({ criticality: 'BREAKING', coordinate: 'User', usageCoordinates: ['User.id', 'User.name'] }));
  });

  it('stays BREAKING for an input type reached through a mutation argument', async () => {
    const oldSdl = `type Query { a: Int } type Mutation { m(i: In): Int } input In { x: Int y: Int }`;
    const newSdl = `type Query { a: Int } type Mutation { m(i: In): Int } input In { x: Int }`;
    const changes = await classifyChanges(oldSdl, newSdl);
    expect(changes.map((c) => [c.criticality, c.coordinate])).toEqual([['BREAKING', 'In.y']]);
  });
});
