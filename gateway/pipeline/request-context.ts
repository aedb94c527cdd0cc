/**
 * The context one request carries through the pipeline. One object per request with every field
 * present from the start (a stable shape for V8); each step fills what it learns. `Known<K>` types
 * a step's view of it: the fields the steps before it are guaranteed to have set.
 */
import type http from 'node:http';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { ResolvedPlan } from '../../tenancy/plan';
import type { Principal } from '../auth/principal';
import type { AuthorizationResult } from '../policy/authorize';
import type { TenantPolicy } from '../tenants/tenant-directory';
import type { CacheResult } from '../observability/metrics';
import type { CacheKeyParts } from '../traffic/response-cache';
import type { CacheHint } from './execute-plan';
import type { WireShape } from './answer';
import type { GraphQLParams } from './request-params';

/** An execution's outcome, as the cache-store step and the deduper share it. */
export interface ExecutedOperation {
  status: number;
  text: string;
  hasErrors: boolean;
  /** The operation's cache hint from the subgraphs' answers; null: not cacheable. */
  cacheHint: CacheHint | null;
}

export class RequestContext {
  // Known from the start.
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly url: URL;
  readonly shape: WireShape;
  readonly started: number;
  readonly requestId: string;
  /** The metrics label of the tenant: `anonymous` until authenticated. */
  tenant = 'anonymous';
  // authenticate
  principal: Principal | null = null;
  plan: ResolvedPlan | null = null;
  // rate limit
  rateHeaders: Record<string, string> | undefined = undefined;
  // supergraph ready: pinned for the whole request, so a swap mid-request never mixes two schemas.
  apiSchema: GraphQLSchema | null = null;
  supergraphVersion = 'unknown';
  // read request, persisted query
  params: GraphQLParams | null = null;
  /** A persisted-query hash sent with its text: stored once the operation passes the checks. */
  persistedHashToRegister: string | null = null;
  // parse and validate
  document: DocumentNode | null = null;
  tenantPolicy: TenantPolicy | null = null;
  /** The tenant's view of the schema (introspection answers from it). */
  view: GraphQLSchema | null = null;
  // select operation
  operation: OperationDefinitionNode | null = null;
  operationName: string | undefined = undefined;
  // authorize
  authorization: AuthorizationResult | null = null;
  /** The text and document executed: the filtered ones when fields were denied. */
  query = '';
  executed: DocumentNode | null = null;
  executedOperation: OperationDefinitionNode | null = null;
  coordinates: readonly string[] | undefined = undefined;
  // cache lookup
  cacheKeyParts: CacheKeyParts | null = null;
  cacheable = false;
  cache: CacheResult | undefined = undefined;
  // execute
  execution: ExecutedOperation | null = null;

  constructor(req: http.IncomingMessage, res: http.ServerResponse, url: URL, shape: WireShape, requestId: string) {
    this.req = req;
    this.res = res;
    this.url = url;
    this.shape = shape;
    this.requestId = requestId;
    this.started = performance.now();
  }
}

type NonNullFields<T, K extends keyof T> = T & { [P in K]: NonNullable<T[P]> };

/** The context as a step sees it: `K` are set by the steps before it (the list's order guarantees it). */
export type Known<K extends keyof RequestContext> = NonNullFields<RequestContext, K>;

export type Identified = Known<'principal' | 'plan'>;
export type WithParams = Known<'principal' | 'plan' | 'apiSchema' | 'params'>;
export type Parsed = Known<'principal' | 'plan' | 'apiSchema' | 'params' | 'document' | 'tenantPolicy' | 'view'>;
export type Selected = Known<'principal' | 'plan' | 'apiSchema' | 'params' | 'document' | 'tenantPolicy' | 'view' | 'operation'>;
export type Authorized = Known<'principal' | 'plan' | 'apiSchema' | 'params' | 'document' | 'tenantPolicy' | 'view' | 'operation' | 'executed' | 'executedOperation'>;
