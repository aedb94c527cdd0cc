/** Fields of the root types (Query, Mutation, Subscription) carry a description: they are the API's entry points. */
import { rootTypeNames } from '../../sdl/sdl-index';
import type { LintRule, Violation } from '../types';

export const rootFieldDescription: LintRule = {
  name: 'root-field-description',
  description: 'Root fields have a description',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    for (const rootName of rootTypeNames(schema)) {
      for (const field of schema.types.get(rootName)!.fields.values()) {
        if (field.description?.trim()) continue;
        out.push({ coordinate: field.coordinate, message: `Root field "${field.coordinate}" has no description`, fix: `Add a """description""" to "${field.coordinate}" saying what it returns` });
      }
    }
    return out;
  },
};
