import { lintWithOnly } from '../test-support';

describe('allowed-tags', () => {
  it('flags a tag name outside the configured list', () => {
    expect(lintWithOnly('allowed-tags', { newSdl: 'type Query { a: Int @tag(name: "public") b: Int @tag(name: "pubic") }', allowedTags: ['public', 'internal'] })).toEqual([
      { rule: 'allowed-tags', severity: 'error', coordinate: 'Query.b', message: '@tag(name: "pubic") on "Query.b" is not an allowed tag', fix: 'Use one of: public, internal' },
    ]);
  });

  it('allows any tag when no list is configured', () => {
    expect(lintWithOnly('allowed-tags', { newSdl: 'type Query { a: Int @tag(name: "anything") }' })).toEqual([]);
  });

  it('follows an imported alias of @tag', () => {
    const newSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [{ name: "@tag", as: "@label" }])
      type Query { a: Int @label(name: "secret") }`;
    expect(lintWithOnly('allowed-tags', { newSdl, allowedTags: ['public'] }).map((f) => f.coordinate)).toEqual(['Query.a']);
  });
});
