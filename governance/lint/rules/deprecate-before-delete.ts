/**
 * A field may be removed only if the old schema deprecated it. When the API-schema changes are
 * known, only removals clients see count (a field moving to another subgraph is not a removal);
 * whether it is still used is the usage check's business.
 */
import { findDirectives } from '../../sdl/sdl-index';
import type { IndexedField } from '../../sdl/sdl-index';
import type { LintRule, Violation } from '../types';

const isDeprecated = (field: IndexedField): boolean => findDirectives(field.directives, 'deprecated').length > 0;

export const deprecateBeforeDelete: LintRule = {
  name: 'deprecate-before-delete',
  description: 'Fields are deprecated before they are removed',
  kind: 'change',
  check({ schema, old, apiChanges }) {
    if (!old) return [];
    const removedInApi = apiChanges && new Set(apiChanges.filter((c) => c.type === 'FIELD_REMOVED' || c.type === 'TYPE_REMOVED').map((c) => c.coordinate));
    const out: Violation[] = [];
    for (const [typeName, oldType] of old.types) {
      if (oldType.kind !== 'object' && oldType.kind !== 'interface') continue;
      const newType = schema.types.get(typeName);
      for (const [fieldName, field] of oldType.fields) {
        if (newType?.fields.has(fieldName) || isDeprecated(field)) continue;
        if (removedInApi && !removedInApi.has(field.coordinate) && !removedInApi.has(typeName)) continue;
        out.push({
          coordinate: field.coordinate,
          message: `"${field.coordinate}" was removed without being deprecated first`,
          fix: `Restore it with @deprecated(reason: "...") and remove it once usage shows no clients`,
        });
      }
    }
    return out;
  },
};
