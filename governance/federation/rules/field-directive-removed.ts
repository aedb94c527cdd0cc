/**
 * Rules of one shape: a field that keeps existing but loses a federation directive (on the field
 * or on its type block). Each rule names the directive and says what losing it means.
 */
import { findDirectives } from '../../sdl/sdl-index';
import type { IndexedField } from '../../sdl/sdl-index';
import type { FederationFinding, FederationRule } from '../types';

function hasDirective(field: IndexedField, name: string): boolean {
  return findDirectives(field.directives, name).length > 0 || findDirectives(field.blockDirectives, name).length > 0;
}

export function fieldDirectiveRemoved(options: {
  name: string;
  /** Which of the subgraph's (possibly renamed) federation directive names to look for. */
  directive: 'external' | 'shareable';
  message: (coordinate: string, subgraph: string) => string;
}): FederationRule {
  return {
    name: options.name,
    check({ subgraph, old, new: next }) {
      const findings: FederationFinding[] = [];
      for (const [typeName, newType] of next.index.types) {
        const oldType = old.index.types.get(typeName);
        if (!oldType) continue;
        for (const [fieldName, field] of newType.fields) {
          const before = oldType.fields.get(fieldName);
          if (before && hasDirective(before, old.names[options.directive]) && !hasDirective(field, next.names[options.directive])) {
            findings.push({ rule: options.name, criticality: 'DANGEROUS', coordinate: field.coordinate, message: options.message(field.coordinate, subgraph) });
          }
        }
      }
      return findings;
    },
  };
}
