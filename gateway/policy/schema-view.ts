/**
 * A tenant's view of the schema: only what its principal may query. The gateway validates operations
 * and answers introspection against it, so hidden fields, types and union members are never named
 * to the tenant ("Cannot query field" instead of a FORBIDDEN that confirms they exist).
 */
import type {
  GraphQLFieldConfigMap,
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLType,
} from 'graphql';
import {
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLUnionType,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import type { CompiledPolicy, FieldDecision } from './compile';
import { principalKeyOf } from './compile';
import type { PolicyPrincipal } from '../../tenancy/policy';
import { getOrInsert, newMap, newWeakMap } from './memo';

const views = new WeakMap<GraphQLSchema, WeakMap<CompiledPolicy, Map<string, GraphQLSchema>>>();

/**
 * The schema as `principal` may see it under `compiled`, memoised per (schema, compiled policy,
 * roles+scopes). A field stays when the policy allows it (an interface field: when the interface's
 * coordinate and every implementing type's allow it); a type with no fields left goes, a union
 * with no members left goes, a field returning a removed type goes, until nothing changes. Types no
 * longer reachable from a root are left out too.
 *
 * A principal that may query nothing gets a schema with an empty Query type, which fails schema
 * validation: the caller should refuse such a tenant before validating operations.
 */
export function schemaViewFor(schema: GraphQLSchema, compiled: CompiledPolicy, principal: PolicyPrincipal): GraphQLSchema {
  const byPrincipal = getOrInsert(getOrInsert(views, schema, newWeakMap<CompiledPolicy, Map<string, GraphQLSchema>>), compiled, newMap<string, GraphQLSchema>);
  const key = principalKeyOf(principal);
  let view = byPrincipal.get(key);
  if (!view) {
    view = buildSchemaView(schema, compiled.decisionsFor(principal));
    byPrincipal.set(key, view);
  }
  return view;
}

type FieldHolder = GraphQLObjectType | GraphQLInterfaceType;

function buildSchemaView(schema: GraphQLSchema, decide: FieldDecision): GraphQLSchema {
  const named = Object.values(schema.getTypeMap()).filter((t) => !isIntrospectionType(t));
  const holders = named.filter((t): t is FieldHolder => isObjectType(t) || isInterfaceType(t));
  const unions = named.filter(isUnionType);

  // Fields the policy allows.
  const fields = new Map<string, Set<string>>();
  for (const type of holders) {
    const allowed = new Set<string>();
    const implementations = isInterfaceType(type) ? schema.getPossibleTypes(type) : [];
    for (const fieldName of Object.keys(type.getFields())) {
      if (decide(type.name, fieldName) && implementations.every((t) => decide(t.name, fieldName))) allowed.add(fieldName);
    }
    fields.set(type.name, allowed);
  }

  // Remove what became empty, and fields pointing at it, until nothing changes.
  const removed = new Set<string>();
  const members = new Map<string, GraphQLObjectType[]>(unions.map((u) => [u.name, [...u.getTypes()]]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const type of holders) {
      if (removed.has(type.name)) continue;
      const allowed = fields.get(type.name)!;
      for (const fieldName of [...allowed]) {
        if (removed.has(getNamedType(type.getFields()[fieldName].type).name)) {
          allowed.delete(fieldName);
          changed = true;
        }
      }
      if (allowed.size === 0 && type !== schema.getQueryType()) {
        removed.add(type.name);
        changed = true;
      }
    }
    for (const union of unions) {
      if (removed.has(union.name)) continue;
      const left = members.get(union.name)!.filter((m) => !removed.has(m.name));
      members.set(union.name, left);
      if (left.length === 0) {
        removed.add(union.name);
        changed = true;
      }
    }
  }

  // A type keeps an interface only while it still has every field the interface keeps.
  const keptInterfaces = (type: FieldHolder): GraphQLInterfaceType[] =>
    type.getInterfaces().filter((i) => {
      if (removed.has(i.name)) return false;
      const own = fields.get(type.name)!;
      return [...fields.get(i.name)!].every((f) => own.has(f));
    });

  const rebuilt = new Map<string, GraphQLNamedType>();
  const mapType = <T extends GraphQLType>(type: T): T => {
    if (isNonNullType(type)) return new GraphQLNonNull(mapType(type.ofType)) as T;
    if (isListType(type)) return new GraphQLList(mapType(type.ofType)) as T;
    return (rebuilt.get((type as GraphQLNamedType).name) ?? type) as T;
  };
  const mapFields = (type: FieldHolder): GraphQLFieldConfigMap<unknown, unknown> => {
    const config = type.toConfig().fields as GraphQLFieldConfigMap<unknown, unknown>;
    const allowed = fields.get(type.name)!;
    const out: GraphQLFieldConfigMap<unknown, unknown> = {};
    for (const [name, field] of Object.entries(config)) {
      if (allowed.has(name)) out[name] = { ...field, type: mapType(field.type as GraphQLOutputType), astNode: undefined };
    }
    return out;
  };
  for (const type of holders) {
    if (removed.has(type.name)) continue;
    // The AST nodes still list hidden fields, so they are dropped.
    if (isObjectType(type)) {
      const config = type.toConfig();
      rebuilt.set(type.name, new GraphQLObjectType({
        ...config,
        astNode: undefined,
        extensionASTNodes: [],
        fields: () => mapFields(type),
        interfaces: () => keptInterfaces(type).map((i) => mapType(i)),
      }));
    } else {
      const config = type.toConfig();
      rebuilt.set(type.name, new GraphQLInterfaceType({
        ...config,
        astNode: undefined,
        extensionASTNodes: [],
        fields: () => mapFields(type),
        interfaces: () => keptInterfaces(type).map((i) => mapType(i)),
      }));
    }
  }
  for (const union of unions) {
    if (removed.has(union.name)) continue;
    rebuilt.set(union.name, new GraphQLUnionType({
      ...union.toConfig(),
      astNode: undefined,
      extensionASTNodes: [],
      types: () => members.get(union.name)!.map((m) => mapType(m)),
    }));
  }

  const root = (type: GraphQLObjectType | null | undefined): GraphQLObjectType | undefined =>
    type && !removed.has(type.name) ? (rebuilt.get(type.name) as GraphQLObjectType) : undefined;
  const query = root(schema.getQueryType());
  const mutation = root(schema.getMutationType());
  const subscription = root(schema.getSubscriptionType());

  return new GraphQLSchema({
    ...schema.toConfig(),
    query,
    mutation,
    subscription,
    types: reachableTypes(schema, [query, mutation, subscription], rebuilt, fields, removed, members),
    astNode: undefined,
    extensionASTNodes: [],
  });
}

/**
 * Named types reachable from the roots in the view: through kept fields and their arguments, input
 * fields, union members and the implementations of a reachable interface. Anything else (a type or
 * input only hidden fields used) is left out so its name does not show in introspection.
 */
function reachableTypes(
  schema: GraphQLSchema,
  roots: Array<GraphQLObjectType | undefined>,
  rebuilt: Map<string, GraphQLNamedType>,
  fields: Map<string, Set<string>>,
  removed: Set<string>,
  members: Map<string, GraphQLObjectType[]>,
): GraphQLNamedType[] {
  const seen = new Map<string, GraphQLNamedType>();
  const pending: GraphQLNamedType[] = [];
  const reach = (type: GraphQLType): void => {
    const original = getNamedType(type);
    if (seen.has(original.name) || removed.has(original.name)) return;
    const inView = rebuilt.get(original.name) ?? original;
    seen.set(original.name, inView);
    pending.push(original);
  };
  for (const rootType of roots) if (rootType) reach(rootType);
  while (pending.length > 0) {
    const type = pending.pop()!;
    if (isObjectType(type) || isInterfaceType(type)) {
      const allowed = fields.get(type.name)!;
      for (const [name, field] of Object.entries(type.getFields())) {
        if (!allowed.has(name)) continue;
        reach(field.type);
        for (const arg of field.args) reach(arg.type);
      }
      if (isInterfaceType(type)) for (const implementation of schema.getPossibleTypes(type)) reach(implementation);
    } else if (isUnionType(type)) {
      for (const member of members.get(type.name) ?? []) reach(member);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) reach(field.type);
    }
  }
  // The original order, so the view prints like the schema it came from.
  return Object.keys(schema.getTypeMap()).flatMap((name) => seen.get(name) ?? []);
}
