/** `@tag(name:)` uses only the names in `allowedTags` (contracts are built from tags, so a typo leaks or hides fields). */
import type { ConstDirectiveNode } from 'graphql';
import { findDirectives, stringArgument } from '../../sdl/sdl-index';
import type { LintRule, Violation } from '../types';

export const allowedTags: LintRule = {
  name: 'allowed-tags',
  description: '@tag names come from the allowed list',
  kind: 'schema',
  check({ schema, names, config }) {
    if (!config.allowedTags) return [];
    const allowed = new Set(config.allowedTags);
    const out: Violation[] = [];
    const checkOn = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
      for (const tag of findDirectives(directives ?? [], names.tag)) {
        const name = stringArgument(tag, 'name') ?? '';
        if (allowed.has(name)) continue;
        out.push({
          coordinate,
          message: `@tag(name: "${name}") on "${coordinate}" is not an allowed tag`,
          fix: `Use one of: ${[...allowed].join(', ') || '(no tags are allowed)'}`,
        });
      }
    };
    for (const type of schema.types.values()) {
      checkOn(type.name, type.directives);
      for (const field of type.fields.values()) {
        checkOn(field.coordinate, field.directives);
        for (const [argName, arg] of field.args) checkOn(`${field.coordinate}(${argName}:)`, arg.directives);
      }
      for (const [valueName, value] of type.enumValues) checkOn(`${type.name}.${valueName}`, value.directives);
    }
    return out;
  },
};
