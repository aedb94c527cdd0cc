/**
 * A key that becomes `resolvable: false`: the subgraph stops resolving the entity by that key
 * (no more `_entities` lookups), so other subgraphs can no longer jump into it.
 */
import { entityKeysOf } from '../entity-keys';
import type { FederationFinding, FederationRule } from '../types';

export const keyResolvableFalse: FederationRule = {
  name: 'key-resolvable-false',
  check({ subgraph, old, new: next }) {
    const findings: FederationFinding[] = [];
    for (const [typeName, newType] of next.index.types) {
      const oldType = old.index.types.get(typeName);
      if (!oldType) continue;
      const oldKeys = entityKeysOf(oldType, old.names);
      for (const key of entityKeysOf(newType, next.names)) {
        if (key.resolvable) continue;
        if (oldKeys.some((k) => k.fields === key.fields && k.resolvable)) {
          findings.push({
            rule: this.name,
            criticality: 'BREAKING',
            coordinate: typeName,
            message: `@key(fields: "${key.fields}") on ${typeName} became resolvable: false: subgraph "${subgraph}" no longer resolves ${typeName} references by it`,
          });
        }
      }
    }
    return findings;
  },
};
