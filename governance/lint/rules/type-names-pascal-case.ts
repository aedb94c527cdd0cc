/** Type names are PascalCase: `UserProfile`, not `user_profile`. */
import { isMachineryName, isPascalCase, toPascalCase } from '../naming';
import type { LintRule, Violation } from '../types';

export const typeNamesPascalCase: LintRule = {
  name: 'type-names-pascal-case',
  description: 'Type names are PascalCase',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    for (const name of schema.types.keys()) {
      if (isMachineryName(name) || isPascalCase(name)) continue;
      out.push({ coordinate: name, message: `Type "${name}" is not PascalCase`, fix: `Rename it to "${toPascalCase(name)}"` });
    }
    return out;
  },
};
