/** Enum values are UPPER_CASE: `IN_STOCK`, not `inStock`. */
import { isMachineryName, isUpperCase, toUpperCase } from '../naming';
import type { LintRule, Violation } from '../types';

export const enumValuesUpperCase: LintRule = {
  name: 'enum-values-upper-case',
  description: 'Enum values are UPPER_CASE',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    for (const type of schema.types.values()) {
      if (isMachineryName(type.name)) continue;
      for (const value of type.enumValues.keys()) {
        if (isUpperCase(value)) continue;
        const coordinate = `${type.name}.${value}`;
        out.push({ coordinate, message: `Enum value "${coordinate}" is not UPPER_CASE`, fix: `Rename it to "${toUpperCase(value)}"` });
      }
    }
    return out;
  },
};
