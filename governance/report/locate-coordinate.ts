/**
 * Finds the line of a schema coordinate in an SDL file via graphql `loc`. A coordinate that is
 * gone (a removed field) falls back to its type's line, then to line 1.
 */
import type { NameNode } from 'graphql';
import type { SdlIndex } from '../sdl/sdl-index';

export function locateCoordinate(index: SdlIndex | undefined, coordinate: string | undefined): number {
  if (!index || !coordinate) return 1;
  const match = /^([^.(]+)(?:\.([^.(]+))?(?:\(([^:)]+):\))?$/.exec(coordinate);
  if (!match) return 1;
  const [, typeName, member, argName] = match;
  const type = index.types.get(typeName);
  if (!type) return 1;
  // The name's line, not the node's: a node starts at its description, lines above the name.
  const typeLine = lineOf(type.node.name);
  if (!member) return typeLine;
  const field = type.fields.get(member);
  if (field) {
    const arg = argName ? field.args.get(argName) : undefined;
    return lineOf((arg ?? field.node).name);
  }
  const value = type.enumValues.get(member);
  return value ? lineOf(value.name) : typeLine;
}

function lineOf(name: NameNode): number {
  return name.loc?.startToken.line ?? 1;
}
