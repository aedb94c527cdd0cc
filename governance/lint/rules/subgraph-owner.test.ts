import { lintWithOnly } from '../test-support';

describe('subgraph-owner', () => {
  it('flags a subgraph without an owner', () => {
    expect(lintWithOnly('subgraph-owner', { newSdl: 'type Query { a: Int }' })).toEqual([
      { rule: 'subgraph-owner', severity: 'error', coordinate: 'accounts', message: 'Subgraph "accounts" has no owner', fix: 'Publish it with an owner (the team responsible for it)' },
    ]);
  });

  it('does not flag a subgraph with an owner', () => {
    expect(lintWithOnly('subgraph-owner', { newSdl: 'type Query { a: Int }', owner: 'team-accounts' })).toEqual([]);
  });
});
