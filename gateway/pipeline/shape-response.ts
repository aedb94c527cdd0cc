/**
 * Result shaping, compiled once per operation: the answer the client asked for (its fields, in its
 * order, `__typename` resolved, `@skip`/`@include` applied, GraphQL's null propagation) from the
 * merged subgraph data. The rules are `@apollo/gateway`'s `computeResponse` (resultShaping.js of
 * 2.14), line for line, so answers stay byte-identical (test/answers-match-apollo.test.ts);
 * what changes is when the work is done. Apollo walks its operation model on every request,
 * reading directives, response names and field types through getters and allocating a result
 * record per value; here the operation is walked once into plain records, type-condition checks
 * are memoised per type name, and the walk allocates nothing but the answer itself.
 */
import * as federation from '@apollo/federation-internals';
import type { CompositeType, EnumType, Operation, ScalarType, Schema, SelectionSet, Type } from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';

// Bound once: each `federation.x` read goes through a re-export getter, which the profile showed.
const assert: typeof federation.assert = federation.assert;
const { ERRORS, isCompositeType, isObjectType, isSubtype, isValidLeafValue, Variable } = federation;
const TYPENAME = federation.typenameFieldName;

/** A constant `if:` or the name of the variable that holds it. */
type Condition = boolean | { variable: string };

interface FieldShape {
  kind: 'field';
  responseName: string;
  isTypename: boolean;
  type: Type;
  selections: Shape[] | undefined;
  skip: Condition | undefined;
  include: Condition | undefined;
}

interface FragmentShape {
  kind: 'fragment';
  typeCondition: CompositeType | undefined;
  selections: Shape[];
  skip: Condition | undefined;
  include: Condition | undefined;
  /** typeConditionApplies by `__typename` (or, without one, by parent type), memoised. */
  applies: Map<string, boolean>;
}

type Shape = FieldShape | FragmentShape;

export interface CompiledShape {
  schema: Schema;
  rootType: CompositeType;
  selections: Shape[];
  defaultedVariables: Record<string, unknown>;
  /** `__schema` / `__type` somewhere: Apollo answers those by executing introspection, so the caller must too. */
  hasIntrospection: boolean;
}

interface Walk {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  path: Array<string | number>;
  /** Out-flags of the last `updateOutputValue` call (Apollo returns them in a record per value). */
  isInvalid: boolean;
  hasErrors: boolean;
}

const OK = 0;
const NULL_BUBBLE_UP = 1;

function conditionOf(element: { appliedDirectivesOf(definition: unknown): Array<{ arguments(): Record<string, unknown> }> }, definition: unknown): Condition | undefined {
  const directive = element.appliedDirectivesOf(definition)[0];
  if (!directive) return undefined;
  const value = directive.arguments().if;
  return value instanceof Variable ? { variable: value.name } : (value as boolean);
}

function compileSelections(schema: Schema, selectionSet: SelectionSet, state: { hasIntrospection: boolean }): Shape[] {
  const shapes: Shape[] = [];
  for (const selection of selectionSet.selections()) {
    const skip = conditionOf(selection.element as never, schema.skipDirective());
    const include = conditionOf(selection.element as never, schema.includeDirective());
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      if (field.definition.isSchemaIntrospectionField()) state.hasIntrospection = true;
      shapes.push({
        kind: 'field',
        responseName: field.responseName(),
        isTypename: field.name === TYPENAME,
        type: field.definition.type!,
        selections: selection.selectionSet ? compileSelections(schema, selection.selectionSet, state) : undefined,
        skip,
        include,
      });
    } else {
      shapes.push({ kind: 'fragment', typeCondition: selection.element.typeCondition, selections: compileSelections(schema, selection.selectionSet, state), skip, include, applies: new Map() });
    }
  }
  return shapes;
}

/** Once per operation (and supergraph): the operation as plain records for `shapeResponse`. */
export function compileShape(operation: Operation): CompiledShape {
  const schema = operation.schema();
  const state = { hasIntrospection: false };
  const selections = compileSelections(schema, operation.selectionSet, state);
  return { schema, rootType: schema.schemaDefinition.rootType(operation.rootKind)!, selections, defaultedVariables: operation.collectDefaultedVariableValues(), hasIntrospection: state.hasIntrospection };
}

function ifValue(condition: Condition, variables: Record<string, unknown>): boolean {
  if (typeof condition === 'boolean') return condition;
  const value = variables[condition.variable];
  assert(value !== undefined && typeof value === 'boolean', () => `Unexpected value ${String(value)} for variable $${condition.variable}`);
  return value as boolean;
}

function shouldSkip(shape: Shape, variables: Record<string, unknown>): boolean {
  return (shape.skip !== undefined && ifValue(shape.skip, variables)) || (shape.include !== undefined && !ifValue(shape.include, variables));
}

function getOwn(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function typeConditionApplies(walk: Walk, fragment: FragmentShape, typename: string | undefined, parentType: CompositeType): boolean {
  const condition = fragment.typeCondition;
  if (!condition) return true;
  const key = typename ? typename : `\u0000${parentType.name}`;
  let applies = fragment.applies.get(key);
  if (applies === undefined) {
    if (typename) {
      const type = walk.schema.type(typename);
      applies = !!type && isSubtype(condition, type);
    } else {
      applies = isSubtype(condition, parentType);
    }
    fragment.applies.set(key, applies);
  }
  return applies;
}

function pathLastElementDescription(path: ReadonlyArray<string | number>, currentType: Type, parentType: CompositeType): string {
  const element = path[path.length - 1];
  assert(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
}

function applySelectionSet(walk: Walk, input: Record<string, unknown>, selections: Shape[], output: Record<string, unknown>, parentType: CompositeType): number {
  for (let i = 0; i < selections.length; i++) {
    const selection = selections[i]!;
    if ((selection.skip !== undefined || selection.include !== undefined) && shouldSkip(selection, walk.variables)) continue;
    if (selection.kind === 'field') {
      const responseName = selection.responseName;
      const outputValue = output[responseName];
      let inputValue = getOwn(input, responseName) ?? null;
      if (selection.isTypename) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== TYPENAME) inputValue = input[TYPENAME] ?? null;
          const type = inputValue !== null && typeof inputValue === 'string' ? (walk.schema.type(inputValue) ?? parentType) : parentType;
          if (!isObjectType(type)) return NULL_BUBBLE_UP;
          output[responseName] = type.name;
        }
        continue;
      }
      walk.path.push(responseName);
      output[responseName] = updateOutputValue(walk, outputValue, selection.type, inputValue, selection.selections, parentType);
      walk.path.pop();
      if (walk.isInvalid) return NULL_BUBBLE_UP;
    } else {
      const typename = input[TYPENAME];
      assert(!typename || typeof typename === 'string', () => `Got unexpected value for __typename: ${String(typename)}`);
      if (typeConditionApplies(walk, selection, typename as string | undefined, parentType)) {
        if (applySelectionSet(walk, input, selection.selections, output, selection.typeCondition ?? parentType) === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
      }
    }
  }
  return OK;
}

/** Apollo's `updateOutputValue`; its `{ isInvalid, hasErrors }` are left in `walk` instead of a record. */
function updateOutputValue(walk: Walk, outputValue: unknown, type: Type, inputValue: unknown, selections: Shape[] | undefined, parentType: CompositeType): unknown {
  assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
  walk.isInvalid = false;
  walk.hasErrors = false;
  if (outputValue === null || (outputValue !== undefined && !selections)) return outputValue;
  if (type.kind === 'NonNullType') {
    const updated = updateOutputValue(walk, outputValue, type.ofType, inputValue, selections, parentType);
    if (updated === null) {
      if (!walk.hasErrors) walk.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${pathLastElementDescription(walk.path, type.ofType, parentType)}.`, { path: Array.from(walk.path) }));
      walk.isInvalid = true;
      walk.hasErrors = true;
      return updated;
    }
    walk.isInvalid = false;
    walk.hasErrors = false;
    return updated;
  }
  if (inputValue === null) return null;
  if (type.kind === 'ListType') {
    assert(Array.isArray(inputValue), () => `Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type}`);
    assert(outputValue === undefined || Array.isArray(outputValue), () => `Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${type}`);
    const inputList = inputValue as unknown[];
    const outputList = outputValue as unknown[] | undefined;
    assert(outputList === undefined || inputList.length === outputList.length, () => `[${String(inputList)}].length (${inputList.length}) !== [${String(outputList)}].length (${outputList!.length})`);
    let shouldNullify = false;
    let hasErrors = false;
    const updated = new Array<unknown>(inputList.length);
    for (let idx = 0; idx < inputList.length; idx++) {
      walk.path.push(idx);
      updated[idx] = updateOutputValue(walk, outputList ? outputList[idx] : undefined, type.ofType, inputList[idx], selections, parentType);
      walk.path.pop();
      shouldNullify ||= walk.isInvalid;
      hasErrors ||= walk.hasErrors;
    }
    walk.isInvalid = false;
    walk.hasErrors = hasErrors;
    return shouldNullify ? null : updated;
  }
  if (isCompositeType(type)) {
    assert(selections, () => `Invalid empty selection set for composite type ${type}`);
    assert(typeof inputValue === 'object', () => `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type}`);
    assert(outputValue === undefined || typeof outputValue === 'object', () => `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type}`);
    const input = inputValue as Record<string, unknown>;
    const inputTypename = input[TYPENAME];
    assert(inputTypename === undefined || typeof inputTypename === 'string', () => `Invalid non-string value ${String(inputTypename)} for __typename at ${walk.path}`);
    let objType: CompositeType = type;
    if (inputTypename) {
      const typenameType = walk.schema.type(inputTypename as string);
      if (!typenameType || !isCompositeType(typenameType)) {
        walk.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${pathLastElementDescription(walk.path, type, parentType)}.`, { path: Array.from(walk.path) }));
        walk.isInvalid = false;
        walk.hasErrors = true;
        return null;
      }
      objType = typenameType;
    }
    const outputObject = (outputValue === undefined ? Object.create(null) : outputValue) as Record<string, unknown>;
    const bubbled = applySelectionSet(walk, input, selections!, outputObject, objType) === NULL_BUBBLE_UP;
    walk.isInvalid = false;
    walk.hasErrors = bubbled;
    return bubbled ? null : outputObject;
  }
  assert(outputValue === undefined, () => `Excepted output to be undefined but got ${type} for type ${type}`);
  const valid = isValidLeafValue(walk.schema, inputValue, type as ScalarType | EnumType);
  if (!valid) walk.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${pathLastElementDescription(walk.path, type, parentType)}.`, { path: Array.from(walk.path) }));
  walk.isInvalid = false;
  walk.hasErrors = !valid;
  return valid ? inputValue : null;
}

/** Apollo's `computeResponse` over a compiled operation: the client's answer and the value-completion errors. */
export function shapeResponse(shape: CompiledShape, variables: Record<string, unknown> | undefined, input: Record<string, unknown> | null | undefined): { data: unknown; errors: GraphQLError[] } {
  if (!input) return { data: input, errors: [] };
  const walk: Walk = { schema: shape.schema, variables: { __proto__: null, ...shape.defaultedVariables, ...variables } as Record<string, unknown>, errors: [], path: [], isInvalid: false, hasErrors: false };
  const data = Object.create(null) as Record<string, unknown>;
  const result = applySelectionSet(walk, input, shape.selections, data, shape.rootType);
  return { data: result === NULL_BUBBLE_UP ? null : data, errors: walk.errors };
}
