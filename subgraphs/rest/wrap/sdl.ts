/**
 * What the mapping builder needs to know about a subgraph's SDL: its object types, their fields
 * (arguments and named return type) and their `@key`s, read from the document (definitions and
 * `extend type` alike).
 */
import { Kind, parse, type DocumentNode, type TypeNode } from 'graphql';

export interface SdlField {
  args: Set<string>;
  /** The return type without list and non-null wrappers. */
  namedType: string;
  isList: boolean;
  /** The outermost type is non-null (`User!`, `[User]!`): a missing value must be an error, not null. */
  nonNull: boolean;
}

export interface SdlObjectType {
  fields: Map<string, SdlField>;
  /** Each `@key(fields: "...")` as its whitespace-separated field names (nested selections flattened). */
  keys: string[][];
}

export function readSdlTypes(typeDefs: string | DocumentNode): Map<string, SdlObjectType> {
  const document = typeof typeDefs === 'string' ? parse(typeDefs) : typeDefs;
  const types = new Map<string, SdlObjectType>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    let type = types.get(definition.name.value);
    if (!type) types.set(definition.name.value, (type = { fields: new Map(), keys: [] }));
    for (const field of definition.fields ?? []) {
      type.fields.set(field.name.value, {
        args: new Set((field.arguments ?? []).map((arg) => arg.name.value)),
        namedType: namedTypeOf(field.type),
        isList: isListType(field.type),
        nonNull: field.type.kind === Kind.NON_NULL_TYPE,
      });
    }
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((arg) => arg.name.value === 'fields')?.value;
      if (fields?.kind === Kind.STRING) type.keys.push(fields.value.split(/[\s{}]+/).filter(Boolean));
    }
  }
  return types;
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

function isListType(type: TypeNode): boolean {
  if (type.kind === Kind.NON_NULL_TYPE) return isListType(type.type);
  return type.kind === Kind.LIST_TYPE;
}
