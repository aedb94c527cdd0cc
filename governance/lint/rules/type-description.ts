/**
 * Types carry a description. Judged as "introduced", so in practice: new types need one.
 * Extension-only types (`extend type Query`) are skipped: an extension cannot hold a description.
 */
import { isMachineryName } from '../naming';
import type { LintRule, Violation } from '../types';

export const typeDescription: LintRule = {
  name: 'type-description',
  description: 'New types have a description',
  kind: 'schema',
  check({ schema }) {
    const out: Violation[] = [];
    for (const type of schema.types.values()) {
      if (type.extensionOnly || isMachineryName(type.name) || type.description?.trim()) continue;
      out.push({ coordinate: type.name, message: `Type "${type.name}" has no description`, fix: `Add a """description""" above "${type.name}" saying what it represents` });
    }
    return out;
  },
};
