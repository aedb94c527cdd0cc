/** Argument names are camelCase: `Query.users(firstName:)`, not `first_name`. */
import { isCamelCase, isMachineryName, toCamelCase } from '../naming';
import type { LintRule, Violation } from '../types';

export const argumentNamesCamelCase: LintRule = {
  name: 'argument-names-camel-case',
  description: 'Argument names are camelCase',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    for (const type of schema.types.values()) {
      if (isMachineryName(type.name)) continue;
      for (const field of type.fields.values()) {
        for (const argName of field.args.keys()) {
          if (isCamelCase(argName)) continue;
          const coordinate = `${field.coordinate}(${argName}:)`;
          out.push({ coordinate, message: `Argument "${coordinate}" is not camelCase`, fix: `Rename it to "${toCamelCase(argName)}"` });
        }
      }
    }
    return out;
  },
};
