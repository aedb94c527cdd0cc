/**
 * A field that loses @external while staying in the subgraph: the subgraph now claims to resolve
 * a field it used to only reference, which changes who serves it (or breaks composition).
 */
import { findDirectives } from '../../sdl/sdl-index';
import type { IndexedField } from '../../sdl/sdl-index';
import type { FederationFinding, FederationRule } from '../types';

function isExternal(field: IndexedField, name: string): boolean {
  return findDirectives(field.directives, name).length > 0 || findDirectives(field.blockDirectives, name).length > 0;
}

export const externalRemoved: FederationRule = {
  name: 'external-removed',
  check({ subgraph, old, new: next }) {
    const findings: FederationFinding[] = [];
    for (const [typeName, newType] of next.index.types) {
      const oldType = old.index.types.get(typeName);
      if (!oldType) continue;
      for (const [fieldName, field] of newType.fields) {
        const before = oldType.fields.get(fieldName);
        if (before && isExternal(before, old.names.external) && !isExternal(field, next.names.external)) {
          findings.push({
            rule: this.name,
            criticality: 'DANGEROUS',
            coordinate: field.coordinate,
            message: `${field.coordinate} lost @external in subgraph "${subgraph}": the subgraph now resolves it itself instead of referencing another subgraph's`,
          });
        }
      }
    }
    return findings;
  },
};
