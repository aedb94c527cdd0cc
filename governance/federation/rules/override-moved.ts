/**
 * @override added, removed, or pointed elsewhere: ownership of a field (and its traffic) moves
 * between subgraphs. Legitimate in a migration, so it is flagged DANGEROUS for a reviewer to see.
 */
import { findDirectives, stringArgument } from '../../sdl/sdl-index';
import type { IndexedField } from '../../sdl/sdl-index';
import type { FederationFinding, FederationRule } from '../types';

interface Override {
  from: string;
  label?: string;
}

function overrideOf(field: IndexedField | undefined, name: string): Override | undefined {
  const directive = field && findDirectives(field.directives, name)[0];
  if (!directive) return undefined;
  return { from: stringArgument(directive, 'from') ?? '', label: stringArgument(directive, 'label') };
}

function describe(o: Override): string {
  return o.label ? `@override(from: "${o.from}", label: "${o.label}")` : `@override(from: "${o.from}")`;
}

export const overrideMoved: FederationRule = {
  name: 'override-moved',
  check({ subgraph, old, new: next }) {
    const findings: FederationFinding[] = [];
    const report = (coordinate: string, message: string) => findings.push({ rule: this.name, criticality: 'DANGEROUS', coordinate, message });
    // Visit every field present on either side once.
    for (const [typeName, newType] of next.index.types) {
      const oldType = old.index.types.get(typeName);
      for (const [fieldName, field] of newType.fields) {
        const before = overrideOf(oldType?.fields.get(fieldName), old.names.override);
        const after = overrideOf(field, next.names.override);
        if (after && !before) {
          report(field.coordinate, `${field.coordinate} gained ${describe(after)}: subgraph "${subgraph}" takes it over from "${after.from}"`);
        } else if (before && !after) {
          report(field.coordinate, `${field.coordinate} lost ${describe(before)}: subgraph "${subgraph}" no longer takes it over from "${before.from}"`);
        } else if (before && after && (before.from !== after.from || before.label !== after.label)) {
          report(field.coordinate, `${field.coordinate} changed ${describe(before)} to ${describe(after)}`);
        }
      }
    }
    for (const [typeName, oldType] of old.index.types) {
      const newType = next.index.types.get(typeName);
      for (const [fieldName, field] of oldType.fields) {
        if (newType?.fields.has(fieldName)) continue;
        const before = overrideOf(field, old.names.override);
        if (before) report(field.coordinate, `${field.coordinate} was removed with its ${describe(before)}: ownership falls back to "${before.from}" if it still defines the field`);
      }
    }
    return findings;
  },
};
