/** Schema coordinates of engine changes, and the usage coordinates a change must be looked up by. */
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { Change } from '@graphql-inspector/core';

/**
 * The coordinate a change is about: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`,
 * `@directive`, `@directive(arg:)`. Directive-usage paths (`User.email.@deprecated`) name the
 * element the directive sits on.
 */
export function coordinateOf(change: Change): string {
  const path = change.path ?? '';
  const segments = path.split('.');
  if (segments[0]?.startsWith('@')) return segments.length > 1 ? `${segments[0]}(${segments[1]}:)` : segments[0];
  const cut = segments.findIndex((s) => s.startsWith('@'));
  const element = cut === -1 ? segments : segments.slice(0, cut);
  if (element.length >= 3) return `${element[0]}.${element[1]}(${element[2]}:)`;
  return element.join('.');
}

/** The type a change's coordinate lives in (undefined for directive definitions). */
export function typeNameOf(coordinate: string): string | undefined {
  if (coordinate.startsWith('@') || coordinate === '') return undefined;
  return coordinate.split(/[.(]/, 1)[0];
}

/**
 * Which usage coordinates decide whether a BREAKING change is safe: `Type.field` for fields and
 * their arguments, `Input.field`, `Enum.VALUE`; a removed type maps to all its fields (or
 * values), a type without fields to its name. Undefined when usage cannot vouch for the change.
 */
export function usageCoordinatesOf(change: Change, coordinate: string, oldSchema: GraphQLSchema): string[] | undefined {
  if (coordinate.startsWith('@') || change.type.startsWith('SCHEMA_')) return undefined;
  const typeName = typeNameOf(coordinate)!;
  if (change.type === 'TYPE_REMOVED' || change.type === 'TYPE_KIND_CHANGED') {
    const type = oldSchema.getType(typeName);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      return Object.keys(type.getFields()).map((field) => `${typeName}.${field}`);
    }
    if (isEnumType(type)) return type.getValues().map((v) => `${typeName}.${v.name}`);
    return [typeName];
  }
  if (change.type === 'OBJECT_TYPE_INTERFACE_REMOVED') {
    const iface = (change.meta as { removedInterfaceName?: string }).removedInterfaceName;
    return [iface ?? typeName];
  }
  // `Query.user(id:)` is used whenever `Query.user` is.
  const paren = coordinate.indexOf('(');
  return [paren === -1 ? coordinate : coordinate.slice(0, paren)];
}
