/**
 * Runs a query plan made by `@apollo/gateway`'s planner (its plan format, its plan cache) on
 * Charter's per-request path. The rules are those of Apollo's `executeQueryPlan` (2.14): the same
 * fetches in the same order, the same representations, merges, rewrites, error paths and result
 * shaping, so answers are byte-identical (test/answers-match-apollo.test.ts). What it leaves out
 * is work Apollo repeats on every request although it depends only on the operation:
 * - the operation model (`operationFromDocument` over the API schema) and the compiled result
 *   shape are built once per document and supergraph (`prepareOperation`), not per request;
 * - no usage-reporting trace records per plan node and no OpenTelemetry spans: a request that is
 *   traced (a recording span is active) goes through Apollo's own executor instead, spans and all;
 * - response paths are walked by index, without copying the path at each step.
 */
import type { GraphQLDataSource } from '@apollo/gateway';
import { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan';
import * as federation from '@apollo/federation-internals';
import type { Operation } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext, GatewayExecutionResult } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, TypeNameMetaFieldDef, type GraphQLSchema } from 'graphql';
import { compileShape, shapeResponse, type CompiledShape } from './shape-response';

const assert: typeof federation.assert = federation.assert;
const { ERRORS, errorCodeDef } = federation;

type ResultMap = Record<string, unknown>;
type ResponsePath = Array<string | number>;

/** What a plan needs that depends only on the operation and the supergraph: made once, kept with the document. */
export interface PreparedOperation {
  plan: QueryPlan;
  operation: Operation;
  shape: CompiledShape;
}

interface Cursor {
  path: ResponsePath;
  data: unknown;
  fullResult: ResultMap;
}

interface RunContext {
  plan: QueryPlan;
  operation: Operation;
  serviceMap: Readonly<Record<string, { dataSource: GraphQLDataSource } | undefined>>;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  errors: GraphQLError[];
}

export function prepareOperation(plan: QueryPlan, apiSchema: federation.Schema, operationDefinition: unknown, fragments: readonly unknown[]): PreparedOperation {
  const operation = federation.operationFromDocument(apiSchema, { kind: Kind.DOCUMENT, definitions: [operationDefinition, ...fragments] } as never, { validate: false });
  return { plan, operation, shape: compileShape(operation) };
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * Apollo's `flattenResultsAtPath` (`path` from index `from`): the values at a plan node's path,
 * one list for every `@`. Apollo rebuilds the path's tail and an intermediate array (`flatMap`)
 * at each step; this walks by index and pushes into one list.
 */
export function flattenResultsAtPath(value: unknown, path: ReadonlyArray<string | number>, from: number): unknown {
  let current = value;
  for (let i = from; i < path.length; i++) {
    if (current === undefined || current === null) return current;
    const element = path[i];
    if (element === '@') {
      const out: unknown[] = [];
      for (const item of listAt(current)) pushFlattened(item, path, i + 1, out);
      return out;
    }
    current = ownValue(current, element);
  }
  return current;
}

/** The list under an `@`; anything else fails as Apollo's `value.flatMap(...)` does. */
function listAt(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TypeError('value.flatMap is not a function');
  return value;
}

/** One step of a path element that names a field, with Apollo's checks. */
function ownValue(value: unknown, element: string | number | undefined): unknown {
  assert(typeof element === 'string', () => `Unexpected ${typeof element} found in path`);
  assert(!Array.isArray(value), () => `Unexpected array in result for path element ${element}`);
  const record = value as ResultMap;
  return hasOwn(record, element) ? record[element] : undefined;
}

/** What `flatMap` adds to the list for one item under an `@`: the item's results, spread when a list. */
function pushFlattened(value: unknown, path: ReadonlyArray<string | number>, from: number, out: unknown[]): void {
  let current = value;
  for (let i = from; i < path.length; i++) {
    if (current === undefined || current === null) break;
    const element = path[i];
    if (element === '@') {
      for (const item of listAt(current)) pushFlattened(item, path, i + 1, out);
      return;
    }
    current = ownValue(current, element);
  }
  if (Array.isArray(current)) for (const item of current) out.push(item);
  else out.push(current);
}

function isObject(value: unknown): value is ResultMap {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Apollo's `deepMerge` (utilities/deepMerge.js), with each value read once. */
export function deepMerge(target: ResultMap, source: ResultMap | null | undefined): ResultMap {
  if (source === undefined || source === null) return target;
  for (const key of Object.keys(source)) {
    const sourceValue = source[key];
    if (sourceValue === undefined) continue;
    // A key the target only inherits (`constructor` of a parsed object) becomes its own first.
    if (key in target && !hasOwn(target, key)) Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    const targetValue = target[key];
    if (targetValue && isObject(sourceValue)) {
      deepMerge(targetValue as ResultMap, sourceValue);
    } else if (Array.isArray(sourceValue) && Array.isArray(targetValue) && sourceValue.length === targetValue.length) {
      for (let i = 0; i < sourceValue.length; i++) {
        const t: unknown = targetValue[i];
        const v: unknown = sourceValue[i];
        if (isObject(t) && isObject(v)) deepMerge(t, v);
        else targetValue[i] = v;
      }
    } else {
      target[key] = sourceValue;
    }
  }
  return target;
}

function moveIntoCursor(cursor: Cursor, pathInCursor: ReadonlyArray<string | number>): Cursor | undefined {
  const data = flattenResultsAtPath(cursor.data, pathInCursor, 0);
  return data ? { path: cursor.path.concat(pathInCursor), data, fullResult: cursor.fullResult } : undefined;
}

/** Apollo's `executeSelectionSet`: the representation of one entity for an `_entities` fetch. */
function executeSelectionSet(schema: GraphQLSchema, source: ResultMap | null, selections: readonly QueryPlanSelectionNode[]): ResultMap | null {
  if (source === null) return null;
  const result = Object.create(null) as ResultMap;
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const responseName = selection.alias ?? selection.name;
      const inner = selection.selections;
      if (!hasOwn(source, responseName) || typeof source[responseName] === 'undefined') return null;
      const value = source[responseName];
      if (Array.isArray(value)) result[responseName] = value.map((item) => (inner ? executeSelectionSet(schema, item as ResultMap | null, inner) : item));
      else if (inner) result[responseName] = executeSelectionSet(schema, value as ResultMap | null, inner);
      else result[responseName] = value;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || !source) continue;
      if (isObjectOfType(schema, source, selection.typeCondition)) deepMerge(result, executeSelectionSet(schema, source, selection.selections));
    }
  }
  return result;
}

function makeLazyErrorPathGenerator(fetch: FetchNode, cursor: Cursor): (errorPath: ResponsePath | undefined) => ResponsePath | undefined {
  let hydratedPaths: ResponsePath[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydratedPaths) {
        hydratedPaths = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult as never, hydratedPaths);
      }
      const hydratedPath = hydratedPaths[errorPath[1]] ?? [];
      return [...hydratedPath, ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath.slice()] : undefined;
  };
}

function downstreamServiceError(originalError: { message?: string; path?: ResponsePath; extensions?: Record<string, unknown> }, serviceName: string, generateErrorPath: (path: ResponsePath | undefined) => ResponsePath | undefined): GraphQLError {
  const message = originalError.message || `Error while fetching subquery from service "${serviceName}"`;
  const { extensions } = originalError;
  const errorOptions = { originalError: originalError as Error, path: generateErrorPath(originalError.path), extensions: { ...extensions, serviceName } };
  const codeDef = errorCodeDef(originalError as never);
  if (!codeDef && extensions?.code) return new GraphQLError(message, errorOptions);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, errorOptions);
}

function evaluateCondition(ctx: RunContext, variable: string): boolean {
  const values = ctx.requestContext.request.variables;
  let value = values && hasOwn(values, variable) ? values[variable] : undefined;
  if (value === undefined) value = ctx.operation.variableDefinitions.definition(variable)?.defaultValue;
  assert(value !== undefined, () => `Missing value for variable $${variable} (and no default found)`);
  assert(typeof value === 'boolean', () => `Invalid non-boolean value ${String(value)} for Boolean! variable $${variable}`);
  return value as boolean;
}

async function executeNode(ctx: RunContext, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(ctx, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(ctx, child, cursor)));
      return;
    case 'Flatten':
      return executeNode(ctx, node.node, moveIntoCursor(cursor, node.path));
    case 'Fetch':
      try {
        await executeFetch(ctx, node, cursor);
      } catch (error) {
        ctx.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(ctx, node.condition) ? node.ifClause : node.elseClause;
      if (branch) await executeNode(ctx, branch, cursor);
      return;
    }
    case 'Defer':
      assert(false, '@defer support is not available in the gateway');
      return;
  }
}

async function executeFetch(ctx: RunContext, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = ctx.serviceMap[fetch.serviceName]?.dataSource;
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = (Array.isArray(cursor.data) ? cursor.data.filter((e) => e !== null && e !== undefined) : [cursor.data]) as ResultMap[];
  if (entities.length < 1) return;
  const variables = Object.create(null) as ResultMap;
  if (fetch.variableUsages) {
    const provided = ctx.requestContext.request.variables;
    for (const name of fetch.variableUsages) {
      if (provided && hasOwn(provided, name) && typeof provided[name] !== 'undefined') variables[name] = provided[name];
    }
  }

  const send = async (vars: ResultMap): Promise<ResultMap | null | undefined> => {
    const response = await service.process({
      kind: 'incoming operation' as never,
      request: { query: fetch.operation, variables: vars, operationName: fetch.operationName, http: undefined },
      incomingRequestContext: ctx.requestContext,
      context: ctx.requestContext.context,
      document: fetch.operationDocumentNode,
      pathInIncomingRequest: cursor.path,
    } as never);
    if (response.errors) {
      const errorPath = makeLazyErrorPathGenerator(fetch, cursor);
      ctx.errors.push(...response.errors.map((error) => downstreamServiceError(error as never, fetch.serviceName, errorPath)));
      // What Apollo records for usage reporting (the request's `metrics`), kept for parity.
      if (!response.extensions?.ftv1) {
        const metrics = ctx.requestContext.metrics as { nonFtv1ErrorPaths?: Array<{ subgraph: string; path: unknown }> };
        const paths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
        if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
        else metrics.nonFtv1ErrorPaths = paths;
      }
    }
    return response.data as ResultMap | null | undefined;
  };

  if (!fetch.requires) {
    const received = await send(variables);
    if (received) applyRewrites(ctx.supergraphSchema, fetch.outputRewrites, received);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }
  const representations: ResultMap[] = [];
  const representationToEntity: number[] = [];
  for (let index = 0; index < entities.length; index++) {
    const representation = executeSelectionSet(ctx.supergraphSchema, entities[index]!, fetch.requires);
    if (representation && representation[TypeNameMetaFieldDef.name]) {
      applyRewrites(ctx.supergraphSchema, fetch.inputRewrites, representation);
      representations.push(representation);
      representationToEntity.push(index);
    }
  }
  if (representations.length < 1) return;
  if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);
  const received = await send({ ...variables, representations });
  if (!received) return;
  if (!(received._entities && Array.isArray(received._entities))) throw new Error(`Expected "data._entities" in response to be an array`);
  const receivedEntities = received._entities as Array<ResultMap | null>;
  if (receivedEntities.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  // Over `entities.length`, as Apollo does (entities without a representation get nothing merged).
  for (let i = 0; i < entities.length; i++) {
    const receivedEntity = receivedEntities[i];
    const existingEntity = entities[representationToEntity[i]!];
    if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existingEntity!.__typename;
    applyRewrites(ctx.supergraphSchema, fetch.outputRewrites, receivedEntity as ResultMap);
    deepMerge(entities[representationToEntity[i]!]!, receivedEntity);
  }
}

/**
 * Apollo's `executeQueryPlan` for a prepared operation: the fetches, then the client's answer
 * shaped from the merged data. Errors thrown while walking the plan (broken paths) propagate as
 * they do from Apollo's executor.
 */
export async function runQueryPlan(prepared: PreparedOperation, serviceMap: RunContext['serviceMap'], requestContext: GatewayGraphQLRequestContext, supergraphSchema: GraphQLSchema): Promise<GatewayExecutionResult> {
  const errors: GraphQLError[] = [];
  const ctx: RunContext = { plan: prepared.plan, operation: prepared.operation, serviceMap, requestContext, supergraphSchema, errors };
  const unfilteredData = Object.create(null) as ResultMap;
  const root = prepared.plan.node;
  if (root?.kind === 'Subscription') throw new Error('Execution of subscriptions not supported by gateway');
  if (root) await executeNode(ctx, root, { path: [], data: unfilteredData, fullResult: unfilteredData });
  let data: unknown;
  try {
    const shaped = shapeResponse(prepared.shape, requestContext.request.variables, unfilteredData);
    data = shaped.data;
    if (errors.length === 0 && shaped.errors.length > 0) return { extensions: { valueCompletion: shaped.errors }, data: data as ResultMap };
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
    return { errors: [new GraphQLError('Unexpected error during query plan execution')] };
  }
  return errors.length === 0 ? { data: data as ResultMap } : { errors, data: data as ResultMap };
}
