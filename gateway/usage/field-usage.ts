/**
 * Which schema coordinates (`Type.field`) an operation uses, for the registry's usage-based
 * checks. Computed once per (schema, document) and memoised: the hot path only counts.
 */
import { getNamedType, isIntrospectionType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

const memo = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly string[]>>();

export function coordinatesOf(schema: GraphQLSchema, document: DocumentNode): readonly string[] {
  let perSchema = memo.get(schema);
  if (!perSchema) {
    perSchema = new WeakMap();
    memo.set(schema, perSchema);
  }
  let found = perSchema.get(document);
  if (!found) {
    const coordinates = new Set<string>();
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent || node.name.value.startsWith('__') || isIntrospectionType(getNamedType(parent))) return;
          coordinates.add(`${parent.name}.${node.name.value}`);
        },
      }),
    );
    found = Object.freeze([...coordinates]);
    perSchema.set(document, found);
  }
  return found;
}
