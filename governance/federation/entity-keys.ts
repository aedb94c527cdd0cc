/** The @key directives of a type, normalized so that whitespace differences are not changes. */
import { findDirectives, booleanArgument, stringArgument } from '../sdl/sdl-index';
import type { IndexedType } from '../sdl/sdl-index';
import type { FederationNames } from './federation-names';

export interface EntityKey {
  /** The `fields` selection with whitespace collapsed: `id`, `sku package { id }`. */
  fields: string;
  resolvable: boolean;
}

/** Lists a type's keys (an empty list: not an entity in this subgraph). */
export function entityKeysOf(type: IndexedType, names: FederationNames): EntityKey[] {
  return findDirectives(type.directives, names.key).map((key) => ({
    fields: normalizeFieldSet(stringArgument(key, 'fields') ?? ''),
    resolvable: booleanArgument(key, 'resolvable') ?? true,
  }));
}

function normalizeFieldSet(fields: string): string {
  return fields.replace(/\s*([{}])\s*/g, ' $1 ').replace(/\s+/g, ' ').trim();
}
