/**
 * Removing or changing an entity's @key: other subgraphs and the router reach the entity in this
 * subgraph through that key, so query plans that used it can no longer be built.
 */
import { entityKeysOf } from '../entity-keys';
import type { FederationFinding, FederationRule } from '../types';

export const keyRemoved: FederationRule = {
  name: 'key-removed',
  check({ subgraph, old, new: next }) {
    const findings: FederationFinding[] = [];
    for (const [typeName, oldType] of old.index.types) {
      const oldKeys = entityKeysOf(oldType, old.names);
      if (oldKeys.length === 0) continue;
      const newType = next.index.types.get(typeName);
      if (!newType) {
        findings.push({ rule: this.name, criticality: 'BREAKING', coordinate: typeName, message: `Entity ${typeName} was removed from subgraph "${subgraph}" along with its @key(fields: "${oldKeys.map((k) => k.fields).join('", "')}")` });
        continue;
      }
      const newKeys = entityKeysOf(newType, next.names);
      const oldFields = new Set(oldKeys.map((k) => k.fields));
      const added = newKeys.filter((k) => !oldFields.has(k.fields)).map((k) => k.fields);
      for (const key of oldKeys) {
        if (newKeys.some((k) => k.fields === key.fields)) continue;
        const message = added.length > 0
          ? `@key(fields: "${key.fields}") on ${typeName} changed to @key(fields: "${added.join('", "')}"): plans that fetch ${typeName} by "${key.fields}" break`
          : `@key(fields: "${key.fields}") was removed from ${typeName}: plans that fetch ${typeName} from "${subgraph}" by it break`;
        findings.push({ rule: this.name, criticality: 'BREAKING', coordinate: typeName, message });
      }
    }
    return findings;
  },
};
