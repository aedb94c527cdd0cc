import { createSubgraphRequestBodies } from './request-body';

describe('subgraph request bodies from cached parts', () => {
  const cases: Array<[string, string | null | undefined, unknown, unknown]> = [
    ['{ a }', undefined, undefined, undefined],
    ['query Q($r: [_Any!]!) { _entities(representations: $r) { ... on P { n } } }', 'Q', { r: [{ __typename: 'P', id: '1' }] }, undefined],
    ['{ "quoted" \\ and \n newline \u2028 }', null, null, { persistedQuery: { version: 1 } }],
    ['{ a }', 'null', { x: undefined, y: [undefined, 1], z: 'é' }, undefined],
  ];
  test.each(cases)('%j / %j: the same bytes as JSON.stringify', (query, operationName, variables, extensions) => {
    const bodies = createSubgraphRequestBodies();
    const expected = JSON.stringify({ query, operationName, variables, extensions });
    expect(bodies.bodyOf(query, operationName, variables, extensions)).toBe(expected);
    // The second call comes from the cached prefix.
    expect(bodies.bodyOf(query, operationName, variables, extensions)).toBe(expected);
  });

  test('an operation named "null" and no name at all do not share a prefix', () => {
    const bodies = createSubgraphRequestBodies();
    expect(bodies.bodyOf('{ a }', null, undefined, undefined)).toBe('{"query":"{ a }","operationName":null}');
    expect(bodies.bodyOf('{ a }', 'null', undefined, undefined)).toBe('{"query":"{ a }","operationName":"null"}');
    expect(bodies.bodyOf('{ a }', undefined, undefined, undefined)).toBe('{"query":"{ a }"}');
  });

  test('the prefix cache stays bounded', () => {
    const bodies = createSubgraphRequestBodies(3);
    for (let i = 0; i < 10; i++) expect(bodies.bodyOf(`{ f${i} }`, undefined, { i }, undefined)).toBe(JSON.stringify({ query: `{ f${i} }`, variables: { i } }));
  });
});
