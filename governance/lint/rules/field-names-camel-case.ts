/** Field names (object, interface and input fields) are camelCase: `createdAt`, not `created_at`. */
import { isCamelCase, isMachineryName, toCamelCase } from '../naming';
import type { LintRule, Violation } from '../types';

export const fieldNamesCamelCase: LintRule = {
  name: 'field-names-camel-case',
  description: 'Field names are camelCase',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    for (const type of schema.types.values()) {
      if (isMachineryName(type.name)) continue;
      for (const field of type.fields.values()) {
        if (isCamelCase(field.name)) continue;
        out.push({ coordinate: field.coordinate, message: `Field "${field.coordinate}" is not camelCase`, fix: `Rename it to "${toCamelCase(field.name)}"` });
      }
    }
    return out;
  },
};
