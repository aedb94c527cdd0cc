/**
 * Which named types a client can reach from the root operation types: through field types,
 * argument and input-field types, interfaces and their implementations, and union members.
 */
import { getNamedType, isInputObjectType, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import type { GraphQLNamedType, GraphQLSchema } from 'graphql';

/** Collects reachable type names in one pass over the schema (each type visited once). */
export function findReachableTypes(schema: GraphQLSchema): Set<string> {
  const reachable = new Set<string>();
  const pending: GraphQLNamedType[] = [];
  const visit = (type: GraphQLNamedType | null | undefined): void => {
    if (type && !reachable.has(type.name)) {
      reachable.add(type.name);
      pending.push(type);
    }
  };
  visit(schema.getQueryType());
  visit(schema.getMutationType());
  visit(schema.getSubscriptionType());
  while (pending.length > 0) {
    const type = pending.pop()!;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        visit(getNamedType(field.type));
        for (const arg of field.args) visit(getNamedType(arg.type));
      }
      for (const iface of type.getInterfaces()) visit(iface);
      // A client reaches an implementation through a fragment on the interface.
      if (isInterfaceType(type)) for (const impl of schema.getPossibleTypes(type)) visit(impl);
    } else if (isUnionType(type)) {
      for (const member of type.getTypes()) visit(member);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    }
  }
  return reachable;
}
