/**
 * A name-keyed view of one SDL document: each type with its definition and extensions merged,
 * its fields, arguments and enum values. Built in one pass over the AST, so lint and federation
 * rules look things up in O(1) instead of walking the document again.
 */
import { Kind } from 'graphql';
import type {
  ConstDirectiveNode,
  DocumentNode,
  EnumValueDefinitionNode,
  FieldDefinitionNode,
  InputValueDefinitionNode,
  SchemaDefinitionNode,
  SchemaExtensionNode,
  StringValueNode,
  TypeDefinitionNode,
  TypeExtensionNode,
} from 'graphql';

export type TypeKind = 'object' | 'interface' | 'input' | 'enum' | 'union' | 'scalar';

export interface IndexedField {
  name: string;
  /** `Type.field` */
  coordinate: string;
  node: FieldDefinitionNode | InputValueDefinitionNode;
  description?: string;
  directives: readonly ConstDirectiveNode[];
  /** Directives on the enclosing definition or extension block (federation puts @shareable there). */
  blockDirectives: readonly ConstDirectiveNode[];
  args: Map<string, InputValueDefinitionNode>;
}

export interface IndexedType {
  name: string;
  kind: TypeKind;
  /** The definition when there is one, else the first extension. */
  node: TypeDefinitionNode | TypeExtensionNode;
  /** True when the SDL only extends the type (common in subgraphs: `extend type Query`). */
  extensionOnly: boolean;
  description?: string;
  /** Directives of the definition and all its extensions, in document order. */
  directives: ConstDirectiveNode[];
  fields: Map<string, IndexedField>;
  enumValues: Map<string, EnumValueDefinitionNode>;
}

export interface SdlIndex {
  document: DocumentNode;
  types: Map<string, IndexedType>;
  /** Root operation type names; defaults apply when the SDL has no schema block. */
  rootTypes: { query: string; mutation: string; subscription: string };
  schemaNodes: Array<SchemaDefinitionNode | SchemaExtensionNode>;
}

const KIND_OF: Partial<Record<Kind, TypeKind>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'object',
  [Kind.OBJECT_TYPE_EXTENSION]: 'object',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'interface',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'input',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'input',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum',
  [Kind.ENUM_TYPE_EXTENSION]: 'enum',
  [Kind.UNION_TYPE_DEFINITION]: 'union',
  [Kind.UNION_TYPE_EXTENSION]: 'union',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar',
  [Kind.SCALAR_TYPE_EXTENSION]: 'scalar',
};

/** Indexes a parsed SDL document. */
export function indexSdl(document: DocumentNode): SdlIndex {
  const types = new Map<string, IndexedType>();
  const schemaNodes: Array<SchemaDefinitionNode | SchemaExtensionNode> = [];
  const rootTypes = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };

  for (const def of document.definitions) {
    if (def.kind === Kind.SCHEMA_DEFINITION || def.kind === Kind.SCHEMA_EXTENSION) {
      schemaNodes.push(def);
      for (const op of def.operationTypes ?? []) rootTypes[op.operation] = op.type.name.value;
      continue;
    }
    const kind = KIND_OF[def.kind];
    if (!kind) continue;
    const node = def as TypeDefinitionNode | TypeExtensionNode;
    const isExtension = def.kind.endsWith('Extension');
    let entry = types.get(node.name.value);
    if (!entry) {
      entry = { name: node.name.value, kind, node, extensionOnly: isExtension, directives: [], fields: new Map(), enumValues: new Map() };
      types.set(entry.name, entry);
    } else if (!isExtension && entry.extensionOnly) {
      entry.node = node;
      entry.extensionOnly = false;
    }
    if (!isExtension && 'description' in node && node.description) entry.description = (node.description as StringValueNode).value;
    const blockDirectives = node.directives ?? [];
    entry.directives.push(...blockDirectives);
    if ('fields' in node && node.fields) {
      for (const field of node.fields as ReadonlyArray<FieldDefinitionNode | InputValueDefinitionNode>) {
        const args = new Map<string, InputValueDefinitionNode>();
        if (field.kind === Kind.FIELD_DEFINITION) for (const arg of field.arguments ?? []) args.set(arg.name.value, arg);
        entry.fields.set(field.name.value, {
          name: field.name.value,
          coordinate: `${entry.name}.${field.name.value}`,
          node: field,
          description: field.description?.value,
          directives: field.directives ?? [],
          blockDirectives,
          args,
        });
      }
    }
    if ('values' in node && node.values) {
      for (const value of node.values) entry.enumValues.set(value.name.value, value);
    }
  }
  return { document, types, rootTypes, schemaNodes };
}

/** The root operation type names present in the SDL (a subgraph may have no Mutation). */
export function rootTypeNames(index: SdlIndex): string[] {
  return Object.values(index.rootTypes).filter((name) => index.types.has(name));
}

/** Finds a directive by name on a list of directive nodes. */
export function findDirectives(directives: readonly ConstDirectiveNode[], name: string): ConstDirectiveNode[] {
  return directives.filter((d) => d.name.value === name);
}

/** Reads a string argument of a directive (`@deprecated(reason: "...")`). */
export function stringArgument(directive: ConstDirectiveNode, argName: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === argName);
  return arg && arg.value.kind === Kind.STRING ? arg.value.value : undefined;
}

/** Reads a boolean argument of a directive (`@key(resolvable: false)`). */
export function booleanArgument(directive: ConstDirectiveNode, argName: string): boolean | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === argName);
  return arg && arg.value.kind === Kind.BOOLEAN ? arg.value.value : undefined;
}
