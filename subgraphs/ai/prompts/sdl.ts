/**
 * The AI subgraph's full SDL: the base schema plus one Query field per prompt template and the
 * output types and enums the templates declare. The registry publishes this as subgraph `ai`, so a
 * template change goes through the same composition and breaking-change checks as any schema change.
 * Built as an AST and printed, so descriptions are escaped correctly and the output is deterministic:
 * template fields in name order after the base fields, then each template's types in the same order.
 *
 * Pure (graphql and the template definitions only): the registry and the AI subgraph both use it,
 * together with template-schema.ts. Reading the base SDL from disk is ai-sdl.ts's job.
 */
import { Kind, parse, print } from 'graphql';
import type {
  DefinitionNode, EnumTypeDefinitionNode, FieldDefinitionNode, InputValueDefinitionNode, ListTypeNode, NamedTypeNode, NameNode, ObjectTypeDefinitionNode, StringValueNode, TypeNode,
} from 'graphql';
import type { PromptTemplate, TemplateValueType } from './template-schema';
import { enumTypeName } from './template-schema';

const nameNode = (value: string): NameNode => ({ kind: Kind.NAME, value });
const namedType = (name: string): NamedTypeNode => ({ kind: Kind.NAMED_TYPE, name: nameNode(name) });
const description = (text: string | undefined): StringValueNode | undefined => (text ? { kind: Kind.STRING, value: text, block: text.includes('\n') || text.includes('"') } : undefined);

function valueType(type: TemplateValueType, required: boolean, enumName?: string): TypeNode {
  const inner: NamedTypeNode | ListTypeNode =
    type === '[String]' ? { kind: Kind.LIST_TYPE, type: { kind: Kind.NON_NULL_TYPE, type: namedType('String') } } : namedType(enumName ?? type);
  return required ? { kind: Kind.NON_NULL_TYPE, type: inner } : inner;
}

/** The Query field of a template: `sentiment(text: String!): Sentiment!`. */
export function templateField(template: PromptTemplate): FieldDefinitionNode {
  const args: InputValueDefinitionNode[] = Object.entries(template.variables).map(([name, variable]) => ({
    kind: Kind.INPUT_VALUE_DEFINITION,
    name: nameNode(name),
    description: description(variable.description),
    type: valueType(variable.type, variable.required),
  }));
  const output = template.output.kind === 'object' ? namedType(template.output.typeName) : namedType('String');
  return { kind: Kind.FIELD_DEFINITION, name: nameNode(template.name), description: description(template.description), arguments: args, type: { kind: Kind.NON_NULL_TYPE, type: output } };
}

/** The object type and enums an object-output template declares. */
export function templateTypes(template: PromptTemplate): DefinitionNode[] {
  const output = template.output;
  if (output.kind !== 'object') return [];
  const enums: EnumTypeDefinitionNode[] = [];
  const fields: FieldDefinitionNode[] = Object.entries(output.fields).map(([name, field]) => {
    let enumName: string | undefined;
    if (field.enum) {
      enumName = enumTypeName(output.typeName, name);
      enums.push({ kind: Kind.ENUM_TYPE_DEFINITION, name: nameNode(enumName), values: field.enum.map((value) => ({ kind: Kind.ENUM_VALUE_DEFINITION, name: nameNode(value) })) });
    }
    return { kind: Kind.FIELD_DEFINITION, name: nameNode(name), description: description(field.description), arguments: [], type: valueType(field.type, field.required, enumName) };
  });
  const object: ObjectTypeDefinitionNode = {
    kind: Kind.OBJECT_TYPE_DEFINITION,
    name: nameNode(output.typeName),
    description: description(output.description ?? `Output of the \`${template.name}\` prompt.`),
    fields,
  };
  return [object, ...enums];
}

/** The full AI subgraph SDL for a set of (validated) templates over the base SDL `baseSdl`. */
export function buildTemplateSdl(templates: readonly PromptTemplate[], baseSdl: string): string {
  const base = parse(baseSdl, { noLocation: true });
  const sorted = [...templates].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let foundQuery = false;
  const definitions = base.definitions.map((definition) => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Query') return definition;
    foundQuery = true;
    return { ...definition, fields: [...(definition.fields ?? []), ...sorted.map(templateField)] };
  });
  if (!foundQuery) throw new Error('the base AI schema has no `type Query`');
  return `${print({ kind: Kind.DOCUMENT, definitions: [...definitions, ...sorted.flatMap(templateTypes)] })}\n`;
}
