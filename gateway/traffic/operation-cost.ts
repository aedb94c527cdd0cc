/**
 * The cost of an operation as it will run: every field selected counts once per value it can
 * produce, so a field under lists counts once per element of each. A list's size is read from
 * its `first`, `last`, `limit`, `pageSize` or `take` argument — literal, variable (the request's
 * value, else the variable's default) or the argument's schema default — and a list with none is
 * assumed to hold `defaultListSize` elements. A size given on a connection field applies to the
 * lists directly under it (`edges`, `nodes`). `__typename` is free: its count is bounded by the
 * alias limit, which counts it (see `maxAliasesRule`).
 *
 * Linear in the document: a fragment's cost is computed once per (fragment, inherited size), and
 * the walk stops as soon as the cost passes the limit.
 */
import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export const SIZE_ARGUMENTS: readonly string[] = ['first', 'last', 'limit', 'pageSize', 'take'];
export const DEFAULT_LIST_SIZE = 10;

export interface CostOptions {
  defaultListSize?: number;
  /** Stop counting once the cost is above this (the answer is then only "above"). */
  stopAbove?: number;
}

class CostExceeded extends Error {}

/** The cost of `operation`; with `stopAbove`, any value above it means "over the limit". */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined, options: CostOptions = {}): number {
  const defaultSize = options.defaultListSize ?? DEFAULT_LIST_SIZE;
  const stopAbove = options.stopAbove ?? Infinity;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const variableDefaults = new Map<string, unknown>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) variableDefaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  const sizeFrom = (field: FieldNode, def: GraphQLField<unknown, unknown> | undefined): number | undefined => {
    for (const name of SIZE_ARGUMENTS) {
      const arg = field.arguments?.find((a) => a.name.value === name);
      let value: unknown;
      if (arg) {
        if (arg.value.kind === Kind.VARIABLE) {
          const variable = arg.value.name.value;
          value = variables && Object.prototype.hasOwnProperty.call(variables, variable) ? variables[variable] : variableDefaults.get(variable);
        } else {
          value = valueFromASTUntyped(arg.value);
        }
      } else {
        value = def?.args.find((a) => a.name === name)?.defaultValue;
      }
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.floor(value));
    }
    return undefined;
  };

  const fieldDef = (parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === '__schema') return SchemaMetaFieldDef as GraphQLField<unknown, unknown>;
    if (name === '__type') return TypeMetaFieldDef as GraphQLField<unknown, unknown>;
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  };

  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType, inherited: number | undefined): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const def = fieldDef(parent, name);
        if (!def) continue; // validation reports unknown fields
        const own = sizeFrom(selection, def);
        let multiplier = 1;
        let type: GraphQLOutputType = getNullableType(def.type);
        let outer = true;
        while (isListType(type)) {
          multiplier *= outer ? (own ?? inherited ?? defaultSize) : defaultSize;
          outer = false;
          type = getNullableType(type.ofType);
        }
        const named = getNamedType(def.type);
        // A size on a connection (an object, not a list) sizes the lists right under it.
        const passDown = multiplier === 1 && own !== undefined ? own : undefined;
        const children = selection.selectionSet && isCompositeType(named) ? selectionCost(selection.selectionSet, named, passDown) : 0;
        const fieldCost = multiplier * (1 + children);
        cost += fieldCost;
        if (cost > stopAbove) throw new CostExceeded();
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (on && isCompositeType(on)) cost += selectionCost(selection.selectionSet, on, inherited);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue; // validation reports cycles
        const on = schema.getType(fragment.typeCondition.name.value);
        if (!on || !isCompositeType(on)) continue;
        const key = `${fragment.name.value}:${inherited ?? ''}`;
        let fragmentCost = memo.get(key);
        if (fragmentCost === undefined) {
          visiting.add(fragment.name.value);
          fragmentCost = selectionCost(fragment.selectionSet, on, inherited);
          visiting.delete(fragment.name.value);
          memo.set(key, fragmentCost);
        }
        cost += fragmentCost;
      }
      if (cost > stopAbove) throw new CostExceeded();
    }
    return cost;
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;
  try {
    return selectionCost(operation.selectionSet, root, undefined);
  } catch (err) {
    if (err instanceof CostExceeded) return stopAbove + 1;
    throw err;
  }
}

/** Whether the cost depends on the request's variables (else it can be computed once per document). */
export function costDependsOnVariables(operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions?.length ?? 0) > 0;
}

/**
 * Refuses an operation with more than `max` aliases, whatever the field (`__typename` included),
 * counting a fragment's aliases each time it is spread.
 */
export function maxAliasesRule(max: number, report: (ctx: ValidationContext) => void): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const memo = new Map<string, number>();
    const visiting = new Set<string>();
    const count = (set: SelectionSetNode): number => {
      let n = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.alias) n += 1;
          if (selection.selectionSet) n += count(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          n += count(selection.selectionSet);
        } else {
          const name = selection.name.value;
          let inFragment = memo.get(name);
          if (inFragment === undefined) {
            const fragment = context.getFragment(name);
            if (!fragment || visiting.has(name)) continue;
            visiting.add(name);
            inFragment = count(fragment.selectionSet);
            visiting.delete(name);
            memo.set(name, inFragment);
          }
          n += inFragment;
        }
        if (n > max) return n;
      }
      return n;
    };
    return {
      OperationDefinition(node: OperationDefinitionNode) {
        if (count(node.selectionSet) > max) report(context);
      },
    };
  };
}

