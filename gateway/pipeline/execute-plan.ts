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
 */
import type { ApolloGateway } from '@apollo/gateway';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Logger } from '../../core/logger';
import { queryHashOf } from './query-hash';

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

export function createPlanExecutor(gateway: ApolloGateway, logger: Logger): ExecutePlan {
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
    try {
      result = await gateway.executor(requestContext);
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
