/** Every subgraph names an owning team, so a failing check has someone to go to. */
import type { LintRule } from '../types';

export const subgraphOwner: LintRule = {
  name: 'subgraph-owner',
  description: 'Every subgraph has an owner',
  kind: 'change',
  check({ subgraph }) {
    if (subgraph.owner?.trim()) return [];
    return [{ coordinate: subgraph.name, message: `Subgraph "${subgraph.name}" has no owner`, fix: 'Publish it with an owner (the team responsible for it)' }];
  },
};
