/**
 * A field that loses @shareable (on the field or its type block): if another subgraph also
 * resolves it, composition now fails; if not, routing stops spreading it across subgraphs.
 */
import { findDirectives } from '../../sdl/sdl-index';
import type { IndexedField } from '../../sdl/sdl-index';
import type { FederationFinding, FederationRule } from '../types';

function isShareable(field: IndexedField, name: string): boolean {
  return findDirectives(field.directives, name).length > 0 || findDirectives(field.blockDirectives, name).length > 0;
}

export const shareableRemoved: FederationRule = {
  name: 'shareable-removed',
  check({ subgraph, old, new: next }) {
    const findings: FederationFinding[] = [];
    for (const [typeName, newType] of next.index.types) {
      const oldType = old.index.types.get(typeName);
      if (!oldType) continue;
      for (const [fieldName, field] of newType.fields) {
        const before = oldType.fields.get(fieldName);
        if (before && isShareable(before, old.names.shareable) && !isShareable(field, next.names.shareable)) {
          findings.push({
            rule: this.name,
            criticality: 'DANGEROUS',
            coordinate: field.coordinate,
            message: `${field.coordinate} is no longer @shareable in subgraph "${subgraph}": composition fails if another subgraph still resolves it`,
          });
        }
      }
    }
    return findings;
  },
};
