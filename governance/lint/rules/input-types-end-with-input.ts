/** Input object types end in `Input`, so they cannot be mistaken for output types. */
import { isMachineryName } from '../naming';
import type { LintRule, Violation } from '../types';

export const inputTypesEndWithInput: LintRule = {
  name: 'input-types-end-with-input',
  description: 'Input type names end in "Input"',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    for (const type of schema.types.values()) {
      if (type.kind !== 'input' || isMachineryName(type.name) || type.name.endsWith('Input')) continue;
      out.push({ coordinate: type.name, message: `Input type "${type.name}" does not end in "Input"`, fix: `Rename it to "${type.name}Input"` });
    }
    return out;
  },
};
