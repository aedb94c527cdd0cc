/**
 * Runs an operation Charter has already parsed, validated, limited and authorized straight through
 * `@apollo/gateway`'s executor (plan cache, query plan, subgraph fetches, result shaping), without
 * Apollo Server's request pipeline: that pipeline would hash, look up and re-resolve the same
 * document again, build its plugin and header machinery and format the response, on every request.
 *
 * What Apollo Server did on that path and still matters is kept here, with the same outcomes:
 * - the query-plan cache key is the SHA-256 of the query text (+ operation name), as Apollo's
 *   `queryHash`, so a filtered operation (other text) never shares a plan with the unfiltered one;
 * - variable coercion errors get `BAD_USER_INPUT` and HTTP 400; every error gets an
 *   `extensions.code` (`INTERNAL_SERVER_ERROR` by default) and no stack trace;
 * - the operation's cache policy starts empty and subgraph answers narrow it; it is handed back
 *   as data (`cacheHint`, null when not cacheable, as Apollo's `no-store`), never as a header;
 * - an executor that throws yields HTTP 500 with the error as a GraphQL error.
 *
 * The first request of a document (per supergraph) runs Apollo's executor, which plans it and
 * keeps the plan in Apollo's plan cache; that plan is then prepared once (run-query-plan.ts) and
 * later requests of the same document run it on Charter's path: no operation model rebuilt, no
 * trace records, result shaping compiled. Traced requests, and operations that select
 * introspection fields, keep Apollo's executor.
 */
import crypto from 'node:crypto';
import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import type { Schema } from '@apollo/federation-internals';
import type { QueryPlan } from '@apollo/query-planner';
import { trace } from '@opentelemetry/api';
import { getVariableValues, GraphQLError, Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Logger } from '../../core/logger';
import { queryHashOf } from './query-hash';
import { prepareOperation, runQueryPlan, type PreparedOperation } from './run-query-plan';

type GatewayRequestContext = Parameters<ApolloGateway['executor']>[0];

export interface PlanExecution {
  status: number;
  body: { data?: unknown; errors?: readonly unknown[]; extensions?: Record<string, unknown> };
  /** The operation's cache hint (the minimum over the subgraphs' hints); null: not cacheable (`no-store`). */
  cacheHint: CacheHint | null;
}

export interface CacheHint {
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

export interface ExecutePlanInput {
  document: DocumentNode;
  /** The text of `document`: its hash keys the gateway's query-plan cache. */
  query: string;
  operation: OperationDefinitionNode;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  context: Record<string, unknown>;
}

export type ExecutePlan = (input: ExecutePlanInput) => Promise<PlanExecution>;

/** The overall cache policy the data sources narrow (`restrict`), as Apollo Server's. */
interface CachePolicy {
  maxAge: number | undefined;
  scope: 'PUBLIC' | 'PRIVATE' | undefined;
  restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void;
  replace(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void;
  policyIfCacheable(): { maxAge: number; scope: 'PUBLIC' | 'PRIVATE' } | null;
}

function newCachePolicy(): CachePolicy {
  return {
    maxAge: undefined,
    scope: undefined,
    restrict(hint) {
      if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined && this.scope !== 'PRIVATE') this.scope = hint.scope;
    },
    replace(hint) {
      if (hint.maxAge !== undefined) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined) this.scope = hint.scope;
    },
    policyIfCacheable() {
      if (this.maxAge === undefined || this.maxAge === 0) return null;
      return { maxAge: this.maxAge, scope: this.scope ?? 'PUBLIC' };
    },
  };
}

/** Apollo Server's test for a variable coercion error (which it answers with BAD_USER_INPUT / 400). */
function isVariableCoercionError(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (!node || node.kind !== Kind.VARIABLE_DEFINITION) return false;
  const prefix = `Variable "$${node.variable.name.value}" `;
  return ['has invalid value', 'got invalid value ', 'of required type ', 'of non-null type '].some((rest) => error.message.startsWith(prefix + rest));
}

function formatError(raw: unknown): Record<string, unknown> {
  const error = raw instanceof GraphQLError ? raw : new GraphQLError(raw instanceof Error ? raw.message : `Unexpected error value: ${String(raw)}`, { originalError: raw instanceof Error ? raw : undefined });
  const code = error.extensions.code ?? (isVariableCoercionError(error) ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR');
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { ...error.toJSON(), extensions: { ...extensions, code } };
}

/** Nothing on the executor's path reads or writes Apollo's key-value cache; a stub satisfies the type. */
const NO_CACHE = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };

/**
 * The parts of `ApolloGateway` (2.14) a prepared plan runs with. They are private fields; when an
 * upgrade renames one, every request simply keeps Apollo's executor (`gatewayInternals` is null).
 */
interface GatewayInternals {
  schema: GraphQLSchema | undefined;
  apiSchema: Schema | undefined;
  supergraphSchema: GraphQLSchema | undefined;
  serviceMap: Record<string, { dataSource: GraphQLDataSource } | undefined>;
  queryPlanStore: { get(key: string): Promise<QueryPlan | undefined> };
}

function gatewayInternals(gateway: ApolloGateway): GatewayInternals | null {
  const internals = gateway as unknown as Partial<GatewayInternals>;
  return internals.serviceMap && typeof internals.queryPlanStore?.get === 'function' ? (internals as GatewayInternals) : null;
}

/**
 * A document's prepared plan, valid for one supergraph (its API schema) and one operation name;
 * `prepared: null` marks a document that stays on Apollo's executor (introspection fields), so it
 * is not prepared again on every request.
 */
interface PreparedEntry {
  schema: GraphQLSchema;
  operationName: string | undefined;
  prepared: PreparedOperation | null;
}

/** Apollo's plan-cache key: the query hash, with the operation name hashed in when there is one. */
function planStoreKey(queryHash: string, operationName: string | undefined): string {
  return operationName ? crypto.createHash('sha256').update(queryHash).update(operationName).digest('hex') : queryHash;
}

export function createPlanExecutor(gateway: ApolloGateway, logger: Logger): ExecutePlan {
  const internals = gatewayInternals(gateway);
  // Keyed by the parsed document: Charter's document cache hands the same object to every request
  // of one operation text, and an entry dies with it.
  const preparedByDocument = new WeakMap<DocumentNode, PreparedEntry>();

  /** After Apollo ran (and planned) a document: prepare its plan for the next requests. */
  const remember = async (input: ExecutePlanInput, queryHash: string, operationName: string | undefined): Promise<void> => {
    const schema = internals?.schema;
    if (!internals || !schema || !internals.apiSchema) return;
    try {
      const plan = await internals.queryPlanStore.get(planStoreKey(queryHash, operationName));
      // The supergraph may have been swapped while the request ran: that plan belongs to the old one.
      if (!plan || internals.schema !== schema) return;
      const fragments = input.document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
      const prepared = prepareOperation(plan, internals.apiSchema, input.operation, fragments);
      preparedByDocument.set(input.document, { schema, operationName, prepared: prepared.shape.hasIntrospection ? null : prepared });
    } catch (err) {
      // Not fatal: this document keeps Apollo's executor.
      logger.warn({ err }, 'could not prepare a query plan; the operation keeps Apollo’s executor');
      preparedByDocument.set(input.document, { schema, operationName, prepared: null });
    }
  };

  /** The document's entry for the supergraph being served (an entry of a replaced one is stale). */
  const currentEntry = (document: DocumentNode, operationName: string | undefined): PreparedEntry | undefined => {
    const entry = preparedByDocument.get(document);
    return internals && entry && entry.schema === internals.schema && entry.operationName === operationName ? entry : undefined;
  };

  /** Apollo's executor minus what depends only on the operation; null when it cannot run this request. */
  const runPrepared = (input: ExecutePlanInput, entry: PreparedEntry | undefined, requestContext: GatewayRequestContext): Promise<Awaited<ReturnType<ApolloGateway['executor']>>> | null => {
    if (!internals || !entry?.prepared || !internals.supergraphSchema) return null;
    // A traced request goes through Apollo's executor, which makes the plan and fetch spans.
    if (trace.getActiveSpan()?.isRecording()) return null;
    // As Apollo's `validateIncomingRequest`: variables that do not coerce stop the request here.
    if (input.operation.variableDefinitions?.length) {
      const { errors } = getVariableValues(entry.schema, input.operation.variableDefinitions, input.variables ?? {});
      if (errors) return Promise.resolve({ errors });
    }
    return runQueryPlan(entry.prepared, internals.serviceMap, requestContext as never, internals.supergraphSchema);
  };

  return async (input) => {
    const overallCachePolicy = newCachePolicy();
    const requestContext = {
      request: { query: input.query, operationName: input.operationName ?? undefined, variables: input.variables ?? undefined },
      logger,
      schema: gateway.schema!,
      schemaHash: '',
      context: input.context,
      cache: NO_CACHE,
      queryHash: queryHashOf(input.document, input.query),
      document: input.document,
      source: input.query,
      operationName: input.operation.name?.value ?? input.operationName ?? null,
      operation: input.operation,
      metrics: {},
      debug: false,
      overallCachePolicy,
      requestIsBatched: false,
    } as unknown as GatewayRequestContext;

    let result: Awaited<ReturnType<ApolloGateway['executor']>>;
    const operationName = input.operationName ?? undefined;
    try {
      const entry = currentEntry(input.document, operationName);
      const prepared = runPrepared(input, entry, requestContext);
      if (prepared) result = await prepared;
      else {
        result = await gateway.executor(requestContext);
        // Also after a supergraph swap: the document's plan is prepared again for the new one.
        if (!entry) await remember(input, requestContext.queryHash, operationName);
      }
    } catch (err) {
      logger.error({ err }, 'the gateway executor failed');
      return { status: 500, body: { errors: [formatError(err)] }, cacheHint: null };
    }
    const errors = result.errors?.length ? result.errors.map(formatError) : undefined;
    const body: PlanExecution['body'] = { ...result, errors };
    if (!errors) delete body.errors;
    // Apollo Server answers 400 when execution never started (variables did not coerce).
    const status = errors && result.data === undefined ? 400 : 200;
    const cacheable = overallCachePolicy.policyIfCacheable();
    return { status, body, cacheHint: cacheable && !errors ? cacheable : null };
  };
}
