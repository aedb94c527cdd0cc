/** `@deprecated` states a reason (what to use instead, when it goes), on fields, arguments and enum values. */
import type { ConstDirectiveNode } from 'graphql';
import { findDirectives, stringArgument } from '../../sdl/sdl-index';
import type { LintRule, Violation } from '../types';

function lacksReason(directives: readonly ConstDirectiveNode[] | undefined): boolean {
  return findDirectives(directives ?? [], 'deprecated').some((d) => !stringArgument(d, 'reason')?.trim());
}

export const deprecatedHasReason: LintRule = {
  name: 'deprecated-has-reason',
  description: '@deprecated has a reason',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    const flag = (coordinate: string) =>
      out.push({ coordinate, message: `"${coordinate}" is @deprecated without a reason`, fix: 'Add @deprecated(reason: "Use X instead; removed after DATE")' });
    for (const type of schema.types.values()) {
      for (const field of type.fields.values()) {
        if (lacksReason(field.directives)) flag(field.coordinate);
        for (const [argName, arg] of field.args) if (lacksReason(arg.directives)) flag(`${field.coordinate}(${argName}:)`);
      }
      for (const [valueName, value] of type.enumValues) if (lacksReason(value.directives)) flag(`${type.name}.${valueName}`);
    }
    return out;
  },
};
