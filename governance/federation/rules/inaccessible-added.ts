/**
 * @inaccessible added to a field or type: it leaves the API schema. Whether clients break is
 * decided by the API-schema change classification (with usage); this flags the cause.
 */
import { findDirectives } from '../../sdl/sdl-index';
import type { FederationFinding, FederationRule } from '../types';

export const inaccessibleAdded: FederationRule = {
  name: 'inaccessible-added',
  check({ subgraph, old, new: next }) {
    const findings: FederationFinding[] = [];
    const name = next.names.inaccessible;
    for (const [typeName, newType] of next.index.types) {
      const oldType = old.index.types.get(typeName);
      if (!oldType) continue;
      if (findDirectives(newType.directives, name).length > 0 && findDirectives(oldType.directives, old.names.inaccessible).length === 0) {
        findings.push({ rule: this.name, criticality: 'DANGEROUS', coordinate: typeName, message: `${typeName} was marked @inaccessible in subgraph "${subgraph}": it leaves the API schema` });
      }
      for (const [fieldName, field] of newType.fields) {
        const before = oldType.fields.get(fieldName);
        if (before && findDirectives(field.directives, name).length > 0 && findDirectives(before.directives, old.names.inaccessible).length === 0) {
          findings.push({ rule: this.name, criticality: 'DANGEROUS', coordinate: field.coordinate, message: `${field.coordinate} was marked @inaccessible in subgraph "${subgraph}": it leaves the API schema` });
        }
      }
    }
    return findings;
  },
};
