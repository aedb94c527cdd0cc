/**
 * Authorizes an operation against a tenant's compiled policy before the gateway plans it: every
 * field the operation would execute is checked, denied fields are removed from a new document, and
 * the denials are returned so `shape.ts` can put `null` and a FORBIDDEN error where they were.
 *
 * Decisions depend only on the principal's roles and scopes, so a result is memoised per
 * (schema, compiled policy, roles+scopes, document, operation name, @include/@skip variable values):
 * a repeated request costs a few Map lookups.
 */
import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
  VariableDefinitionNode,
} from 'graphql';
import { Kind, getNamedType, isCompositeType, isInterfaceType, isObjectType, print, visit } from 'graphql';
import { CharterError } from '../../core/errors';
import type { CompiledPolicy, FieldDecision } from './compile';
import { principalKeyOf } from './compile';
import { getOrInsert, newMap, newWeakMap } from './memo';
import type { PolicyPrincipal } from '../../tenancy/policy';

/** One field the operation selected and the principal may not see. */
export interface DeniedField {
  /** Response path: response keys (aliases where given), list indexes omitted. */
  path: string[];
  /** The coordinate whose rule denied it, e.g. `User.email`. */
  coordinate: string;
  /**
   * The declared type of each field along `path` (e.g. `['[User!]', 'String!']`), which tells
   * `applyDenials` how `null` propagates.
   */
  fieldTypes: string[];
  /**
   * Set when the denial holds only for some runtime types of the parent object (the field was
   * selected inside `... on Type`): the concrete type names it holds for.
   */
  parentTypes?: string[];
}

/** A `__typename` the filter added to a selection set; `applyDenials` removes it again. */
export interface AddedTypename {
  /** Response path of the object whose selection set got it (`[]` for the root). */
  path: string[];
  /** Runtime types for which the client itself selected `__typename` there, so it stays. */
  keepFor: string[];
}

export interface AuthorizationResult {
  denied: DeniedField[];
  /**
   * The operation with denied fields removed: a new document holding only the selected operation
   * and the fragments it uses. When nothing was removed it is the input document itself.
   * Shared between requests through the memo: never mutate it.
   */
  document: DocumentNode;
  /** `print(document)` when it changed: hand the gateway this text, since it keys plans by query text. */
  query: string | undefined;
  /** Whether `document` differs from the input. */
  changed: boolean;
  /** Every executed root field was denied: nothing to execute, answer from `applyDenials({ data: {} })`. */
  allDenied: boolean;
  /** The policy is in `reject` mode and something was denied: refuse the whole operation. */
  rejected: boolean;
  addedTypenames: AddedTypename[];
}

export interface AuthorizeOperationOptions {
  /** The full (API) schema the document was validated against, through the tenant's view. */
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  principal: PolicyPrincipal;
  policy: CompiledPolicy;
}

type ResultMemo = Map<string, AuthorizationResult>;

/**
 * Keyed by the document object: the gateway's document cache hands out one object per query text,
 * so a repeated query hits, and a document no longer cached lets its entries go.
 */
const memo = new WeakMap<GraphQLSchema, WeakMap<CompiledPolicy, Map<string, WeakMap<DocumentNode, ResultMemo>>>>();

interface PreparedOperation {
  operation: OperationDefinitionNode | undefined;
  /** Variables that @include/@skip read, whose values change the outcome. */
  conditionVariables: string[];
  defaults: Map<string, unknown>;
}

const prepared = new WeakMap<DocumentNode, Map<string, PreparedOperation>>();

function prepareOperation(document: DocumentNode, operationName: string | null | undefined): PreparedOperation {
  const byName = getOrInsert(prepared, document, newMap<string, PreparedOperation>);
  const nameKey = operationName ?? '';
  let found = byName.get(nameKey);
  if (!found) {
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1 ? operations[0] : undefined;
    const names = new Set<string>();
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'include' && node.name.value !== 'skip') return;
        for (const arg of node.arguments ?? []) if (arg.value.kind === Kind.VARIABLE) names.add(arg.value.name.value);
      },
    });
    found = { operation, conditionVariables: [...names].sort(), defaults: defaultsOf(operation?.variableDefinitions ?? []) };
    byName.set(nameKey, found);
  }
  return found;
}

function defaultsOf(definitions: readonly VariableDefinitionNode[]): Map<string, unknown> {
  const defaults = new Map<string, unknown>();
  for (const definition of definitions) {
    const value = definition.defaultValue;
    if (value?.kind === Kind.BOOLEAN) defaults.set(definition.variable.name.value, value.value);
    else if (value?.kind === Kind.NULL) defaults.set(definition.variable.name.value, null);
  }
  return defaults;
}

function variableValue(name: string, variables: Record<string, unknown> | null | undefined, defaults: Map<string, unknown>): unknown {
  if (variables && Object.prototype.hasOwnProperty.call(variables, name)) return variables[name];
  return defaults.get(name);
}

/**
 * Authorizes an operation, memoised and synchronous. Throws a BAD_REQUEST CharterError only when
 * the document has no operation by that name, which validation before this step already rules out.
 */
export function authorizeOperation(options: AuthorizeOperationOptions): AuthorizationResult {
  const { schema, document, policy, principal, variables } = options;
  const operation = prepareOperation(document, options.operationName);

  const byPolicy = getOrInsert(memo, schema, newWeakMap<CompiledPolicy, Map<string, WeakMap<DocumentNode, ResultMemo>>>);
  const byPrincipal = getOrInsert(byPolicy, policy, newMap<string, WeakMap<DocumentNode, ResultMemo>>);
  const results = getOrInsert(getOrInsert(byPrincipal, principalKeyOf(principal), newWeakMap<DocumentNode, ResultMemo>), document, newMap<string, AuthorizationResult>);

  let key = options.operationName ?? '';
  for (const name of operation.conditionVariables) key += `\u0000${String(variableValue(name, variables, operation.defaults))}`;
  let result = results.get(key);
  if (!result) {
    result = authorizeWithDecisions(options, policy.decisionsFor(principal), operation);
    results.set(key, result);
  }
  return result;
}

interface WalkState {
  schema: GraphQLSchema;
  decide: FieldDecision;
  variables: Record<string, unknown> | null | undefined;
  defaults: Map<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  denied: DeniedField[];
  addedTypenames: AddedTypename[];
  /** Specialised fragments by (original name + printed selection set). */
  specialised: Map<string, FragmentDefinitionNode>;
  takenNames: Set<string>;
  visiting: Set<string>;
}

/** Per object in the response: what its selection set (fragments included) denied and asked for. */
interface ObjectScope {
  path: string[];
  fieldTypes: string[];
  possible: readonly GraphQLObjectType[];
  denials: Array<{ entry: DeniedField; at: readonly GraphQLObjectType[] }>;
  typenameFor: Set<string>;
}

interface FilteredSelections {
  selections: SelectionNode[];
  changed: boolean;
  /** Whether anything kept will execute (skipped and never-matching selections do not). */
  active: boolean;
}

/**
 * Authorizes an operation with a given decision function, unmemoised: the memoised path passes the
 * compiled evaluator's; the test that proves it agrees with graphql-shield passes shield's.
 */
export function authorizeWithDecisions(options: AuthorizeOperationOptions, decide: FieldDecision, prepared = prepareOperation(options.document, options.operationName)): AuthorizationResult {
  const { schema, document } = options;
  const operation = prepared.operation;
  if (!operation) {
    throw new CharterError('BAD_REQUEST', options.operationName ? `Unknown operation named "${options.operationName}".` : 'Must provide operation name if query contains multiple operations.');
  }
  const rootType =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!rootType) throw new CharterError('BAD_REQUEST', `The schema has no ${operation.operation} type.`);

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const state: WalkState = {
    schema,
    decide,
    variables: options.variables,
    defaults: prepared.defaults,
    fragments,
    denied: [],
    addedTypenames: [],
    specialised: new Map(),
    takenNames: new Set(fragments.keys()),
    visiting: new Set(),
  };

  const root = filterObjectSelectionSet(state, operation.selectionSet, rootType, [], []);
  const denied = dedupeDenials(state.denied);
  const rejected = options.policy.mode === 'reject' && denied.length > 0;
  if (!root.changed) {
    return freezeResult({ denied, document, query: undefined, changed: false, allDenied: false, rejected, addedTypenames: [] });
  }
  const filtered: OperationDefinitionNode = { ...operation, selectionSet: root.selectionSet };
  const fragmentsLeft = usedFragments(filtered, state);
  const newOperation = withUsedVariablesOnly(filtered, fragmentsLeft);
  const newDocument: DocumentNode = { kind: Kind.DOCUMENT, definitions: [newOperation, ...fragmentsLeft] };
  return freezeResult({
    denied,
    document: newDocument,
    query: print(newDocument),
    changed: true,
    allDenied: root.emptied && denied.length > 0,
    rejected,
    addedTypenames: state.addedTypenames,
  });
}

/** Results are shared by every request that hits the memo, so their lists are made read-only. */
function freezeResult(result: AuthorizationResult): AuthorizationResult {
  for (const d of result.denied) {
    Object.freeze(d.path);
    Object.freeze(d.fieldTypes);
    if (d.parentTypes) Object.freeze(d.parentTypes);
    Object.freeze(d);
  }
  for (const added of result.addedTypenames) {
    Object.freeze(added.path);
    Object.freeze(added.keepFor);
    Object.freeze(added);
  }
  Object.freeze(result.denied);
  Object.freeze(result.addedTypenames);
  return Object.freeze(result);
}

function dedupeDenials(denied: DeniedField[]): DeniedField[] {
  const seen = new Set<string>();
  return denied.filter((d) => {
    const key = `${d.path.join('.')}\u0000${d.coordinate}\u0000${d.parentTypes?.join(',') ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The fragment definitions the new operation reaches, originals first, in document order. */
function usedFragments(operation: OperationDefinitionNode, state: WalkState): FragmentDefinitionNode[] {
  const all = new Map<string, FragmentDefinitionNode>(state.fragments);
  for (const definition of state.specialised.values()) all.set(definition.name.value, definition);
  const used = new Set<string>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode): void => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const definition = all.get(name);
        if (used.has(name) || !definition) return;
        used.add(name);
        collect(definition);
      },
    });
  };
  collect(operation);
  return [...all.values()].filter((d) => used.has(d.name.value));
}

/**
 * Drops variable definitions that only removed fields used, so the new document still passes
 * validation ("Variable is never used"). Values sent for them are ignored by execution.
 */
function withUsedVariablesOnly(operation: OperationDefinitionNode, fragments: FragmentDefinitionNode[]): OperationDefinitionNode {
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.length === 0) return operation;
  const used = new Set<string>();
  const collect = {
    Variable(node: { name: { value: string } }) {
      used.add(node.name.value);
    },
  };
  visit({ ...operation, variableDefinitions: [] }, collect);
  for (const fragment of fragments) visit(fragment, collect);
  const kept = definitions.filter((d) => used.has(d.variable.name.value));
  return kept.length === definitions.length ? operation : { ...operation, variableDefinitions: kept };
}

function shouldInclude(state: WalkState, node: { directives?: readonly DirectiveNode[] }): boolean {
  if (!node.directives || node.directives.length === 0) return true;
  for (const directive of node.directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const value = arg.value.kind === Kind.BOOLEAN ? arg.value.value : arg.value.kind === Kind.VARIABLE ? variableValue(arg.value.name.value, state.variables, state.defaults) : undefined;
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value !== true) return false;
  }
  return true;
}

function possibleTypesOf(schema: GraphQLSchema, type: GraphQLCompositeType): readonly GraphQLObjectType[] {
  return isObjectType(type) ? [type] : schema.getPossibleTypes(type);
}

/**
 * Filters the selection set of one response object. Adds `__typename` when the set would be empty
 * (to stay valid) or when a denial holds for only some runtime types (so `applyDenials` can tell
 * them apart), unless the client already selects it for every possible type.
 */
function filterObjectSelectionSet(
  state: WalkState,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
  path: string[],
  fieldTypes: string[],
): { selectionSet: SelectionSetNode; changed: boolean; emptied: boolean } {
  const scope: ObjectScope = { path, fieldTypes, possible: possibleTypesOf(state.schema, type), denials: [], typenameFor: new Set() };
  const filtered = filterSelections(state, selectionSet.selections, type, scope.possible, scope);
  let discriminate = false;
  for (const { entry, at } of scope.denials) {
    if (at.length < scope.possible.length) {
      entry.parentTypes = at.map((t) => t.name).sort();
      discriminate = true;
    }
  }
  const emptied = !filtered.active;
  if (!filtered.changed) return { selectionSet, changed: false, emptied: false };
  const selections = filtered.selections;
  if ((emptied || discriminate) && scope.typenameFor.size < scope.possible.length) {
    selections.push(typenameField());
    state.addedTypenames.push({ path, keepFor: [...scope.typenameFor].sort() });
  }
  return { selectionSet: { ...selectionSet, selections }, changed: true, emptied };
}

function typenameField(): FieldNode {
  return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
}

/**
 * Filters selections that apply to `possible` runtime types of one response object, expanding
 * fragments into the same object scope.
 */
function filterSelections(
  state: WalkState,
  selections: readonly SelectionNode[],
  type: GraphQLCompositeType,
  possible: readonly GraphQLObjectType[],
  scope: ObjectScope,
): FilteredSelections {
  const out: SelectionNode[] = [];
  let changed = false;
  let active = false;
  for (const selection of selections) {
    // A skipped selection is not checked: it stays as written and never executes with these variables.
    if (!shouldInclude(state, selection)) {
      out.push(selection);
      continue;
    }
    if (selection.kind === Kind.FIELD) {
      const kept = filterField(state, selection, type, possible, scope);
      if (kept !== selection) changed = true;
      if (kept) {
        out.push(kept);
        active = true;
      }
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? state.schema.getType(selection.typeCondition.name.value) : type;
      if (!condition || !isCompositeType(condition)) {
        out.push(selection);
        continue;
      }
      const narrowed = narrow(state.schema, possible, condition);
      // A fragment no runtime type here can match never executes: leave it as written.
      if (narrowed.length === 0) {
        out.push(selection);
        continue;
      }
      const inner = filterSelections(state, selection.selectionSet.selections, condition, narrowed, scope);
      active ||= inner.active;
      if (!inner.changed) out.push(selection);
      else {
        changed = true;
        if (inner.selections.length > 0) out.push({ ...selection, selectionSet: { ...selection.selectionSet, selections: inner.selections } });
      }
      continue;
    }
    // Fragment spread.
    const name = selection.name.value;
    const definition = state.fragments.get(name);
    const condition = definition ? state.schema.getType(definition.typeCondition.name.value) : undefined;
    if (!definition || !condition || !isCompositeType(condition)) {
      out.push(selection);
      continue;
    }
    const narrowed = narrow(state.schema, possible, condition);
    if (narrowed.length === 0) {
      out.push(selection);
      continue;
    }
    if (state.visiting.has(name)) throw new CharterError('BAD_REQUEST', `Fragment "${name}" spreads itself.`);
    state.visiting.add(name);
    const inner = filterSelections(state, definition.selectionSet.selections, condition, narrowed, scope);
    state.visiting.delete(name);
    active ||= inner.active;
    if (!inner.changed) {
      out.push(selection);
      continue;
    }
    changed = true;
    if (inner.selections.length === 0) continue;
    // The same fragment can lose different fields in different places (another parent type, another
    // object): each distinct outcome becomes its own fragment, shared by the spreads that agree.
    const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: inner.selections };
    const key = `${name}\u0000${print(selectionSet)}`;
    let specialised = state.specialised.get(key);
    if (!specialised) {
      let n = 1;
      while (state.takenNames.has(`${name}_allowed${n}`)) n++;
      const newName = `${name}_allowed${n}`;
      state.takenNames.add(newName);
      specialised = { ...definition, name: { kind: Kind.NAME, value: newName }, selectionSet };
      state.specialised.set(key, specialised);
    }
    out.push({ ...selection, name: { kind: Kind.NAME, value: specialised.name.value } });
  }
  return { selections: out, changed, active };
}

function narrow(schema: GraphQLSchema, possible: readonly GraphQLObjectType[], condition: GraphQLCompositeType): readonly GraphQLObjectType[] {
  if (isObjectType(condition)) return possible.filter((t) => t === condition);
  return possible.filter((t) => schema.isSubType(condition, t));
}

/** Returns the field as it stays (the same node when unchanged), or undefined when denied. */
function filterField(
  state: WalkState,
  node: FieldNode,
  type: GraphQLCompositeType,
  possible: readonly GraphQLObjectType[],
  scope: ObjectScope,
): FieldNode | undefined {
  const fieldName = node.name.value;
  if (fieldName === '__typename') {
    for (const t of possible) scope.typenameFor.add(t.name);
    return node;
  }
  // `__schema` / `__type`: always allowed; the tenant's schema view decides what they reveal.
  if (fieldName.startsWith('__')) return node;
  const responseKey = node.alias?.value ?? fieldName;
  const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[fieldName] : undefined;
  const fieldType = field ? String(field.type) : 'Unknown';
  const denyingCoordinate = field ? deniedBy(state.decide, type, fieldName, possible) : `${type.name}.${fieldName}`;
  if (denyingCoordinate !== undefined) {
    const entry: DeniedField = { path: [...scope.path, responseKey], coordinate: denyingCoordinate, fieldTypes: [...scope.fieldTypes, fieldType] };
    state.denied.push(entry);
    scope.denials.push({ entry, at: possible });
    return undefined;
  }
  if (!node.selectionSet || !field) return node;
  const child = filterObjectSelectionSet(
    state,
    node.selectionSet,
    getNamedType(field.type) as GraphQLCompositeType,
    [...scope.path, responseKey],
    [...scope.fieldTypes, fieldType],
  );
  return child.changed ? { ...node, selectionSet: child.selectionSet } : node;
}

/**
 * The coordinate that denies a field, or undefined when allowed. On an interface both the interface's
 * coordinate and that of every implementing type that can be here must allow it.
 */
function deniedBy(decide: FieldDecision, type: GraphQLCompositeType, fieldName: string, possible: readonly GraphQLObjectType[]): string | undefined {
  if (!decide(type.name, fieldName)) return `${type.name}.${fieldName}`;
  if (isInterfaceType(type)) {
    for (const t of possible) if (!decide(t.name, fieldName)) return `${t.name}.${fieldName}`;
  }
  return undefined;
}
