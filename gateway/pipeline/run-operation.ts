/**
 * One GraphQL operation through the gateway, after identity and rate limits:
 * parse (cached, token-limited) → validate, with the plan's operation limits → answer
 * introspection from the tenant's view → authorize every selected field (denied fields removed
 * before planning) → response cache and in-flight deduplication → execute through @apollo/gateway's
 * executor (`execute-plan.ts`) → put `null` and FORBIDDEN errors where fields were denied.
 */
import { execute, getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import type { Principal } from '../auth/principal';
import type { ResolvedPlan } from '../../tenancy/plan';
import { authorizeOperation } from '../policy/authorize';
import { schemaViewFor } from '../policy/schema-view';
import { applyDenials, rejectionResult } from '../policy/shape';
import type { TenantDirectory } from '../tenants/tenant-directory';
import { cachedResponseHeaders, cacheKeyFor, cachePolicyFromHints, permissionSetOf, type InflightDeduper, type ResponseCache } from '../traffic/response-cache';
import { coordinatesOf } from '../usage/field-usage';
import type { DocumentCache } from './document-cache';
import type { ExecutePlan } from './execute-plan';
import { queryHashOf } from './query-hash';
import type { GraphQLParams } from './request-params';

/** What the HTTP layer sends: a body to serialize, or text already serialized (cache, dedupe). */
export interface OperationResult {
  status: number;
  body?: { data?: unknown; errors?: readonly unknown[]; extensions?: Record<string, unknown> };
  text?: string;
  headers?: Record<string, string>;
  /** Set when the operation was executed or served: for metrics and usage reports. */
  operationName?: string;
  coordinates?: readonly string[];
  cache?: 'hit' | 'miss' | 'bypass';
}

export interface ResponseCaching {
  store: ResponseCache;
  defaultTtlSec: number;
  maxTtlSec: number;
}

export interface OperationDeps {
  /** Plans and executes through @apollo/gateway. */
  executePlan: ExecutePlan;
  documents: DocumentCache;
  tenants: TenantDirectory | null;
  /** The API schema of the supergraph now served, and its identity. */
  apiSchema: GraphQLSchema;
  supergraphVersion: string;
  introspection: boolean;
  caching: ResponseCaching | null;
  deduper: InflightDeduper | null;
}

function failure(status: number, code: string, message: string, locations?: unknown): OperationResult {
  return { status, body: { errors: [{ message, ...(locations ? { locations } : {}), extensions: { code } }] } };
}

export async function runOperation(deps: OperationDeps, params: GraphQLParams, principal: Principal, plan: ResolvedPlan, method: string): Promise<OperationResult> {
  const parsed = deps.documents.parse(params.query);
  if (!parsed.ok) return failure(400, (parsed.error.extensions.code as string) ?? 'GRAPHQL_PARSE_FAILED', parsed.error.message, parsed.error.locations);
  const document = parsed.document;

  const tenantPolicy = deps.tenants?.policyFor(principal.tenant, deps.apiSchema) ?? { status: 'none' as const };
  if (tenantPolicy.status === 'invalid') {
    // Fail closed: a policy that no longer matches the schema must not be guessed at.
    return failure(403, 'FORBIDDEN', `The policy of tenant "${principal.tenant}" does not match the current schema (${tenantPolicy.errors.map((e) => e.coordinate).join(', ')}); ask its administrator`);
  }
  const view = tenantPolicy.status === 'compiled' ? schemaViewFor(deps.apiSchema, tenantPolicy.policy, principal) : deps.apiSchema;

  // Validated against the whole API schema, so a field the tenant may not see is answered with
  // FORBIDDEN at its path (filter mode) rather than "unknown field"; messages are scrubbed so they
  // never name what the tenant's view hides.
  const errors = deps.documents.validate(deps.apiSchema, document);
  if (errors.length) return { status: 400, body: { errors: errors.map((e) => ({ message: scrubValidationMessage(e.message, deps.apiSchema, view), locations: e.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) } };
  const limitErrors = deps.documents.validateLimits(deps.apiSchema, document, plan.limits, plan.limitsKey);
  if (limitErrors.length) return { status: 400, body: { errors: limitErrors.map((e) => ({ message: e.message, extensions: { code: 'OPERATION_LIMIT_EXCEEDED' } })) } };

  const operation = getOperationAST(document, params.operationName);
  if (!operation) {
    return failure(400, 'BAD_REQUEST', params.operationName ? `Unknown operation "${params.operationName}"` : 'The document has several operations: say which one with "operationName"');
  }
  if (method === 'GET' && operation.operation !== 'query') return failure(405, 'BAD_REQUEST', `A ${operation.operation} cannot be sent with GET: use POST`);
  const operationName = params.operationName ?? operation.name?.value;

  const introspection = introspectionKind(operation, document);
  if (introspection !== 'none') {
    if (!deps.introspection) return failure(400, 'GRAPHQL_VALIDATION_FAILED', 'Introspection is disabled');
    if (introspection === 'mixed') return failure(400, 'BAD_REQUEST', 'Introspection fields (__schema, __type) cannot be mixed with data fields in one operation');
    // Answered from the tenant's view, so hidden fields and types never show.
    const result = await execute({ schema: view, document, operationName: params.operationName, variableValues: params.variables ?? undefined });
    return { status: 200, body: result, operationName };
  }

  let query = params.query;
  let executed = document;
  let authorization: Awaited<ReturnType<typeof authorizeOperation>> | null = null;
  if (tenantPolicy.status === 'compiled') {
    authorization = await authorizeOperation({ schema: deps.apiSchema, document, operationName: params.operationName, variables: params.variables, principal, policy: tenantPolicy.policy });
    if (authorization.rejected) return { status: 403, body: rejectionResult(authorization.denied), operationName };
    if (authorization.allDenied) return { status: 200, body: applyDenials({ data: {} }, authorization), operationName };
    // The filtered text, not the original: @apollo/gateway keys its query-plan cache by query text,
    // so a plan made for one permission set can never serve another.
    if (authorization.changed) {
      query = authorization.query!;
      executed = authorization.document;
    }
  }
  const coordinates = coordinatesOf(deps.apiSchema, executed);
  // The filtered document holds only the selected operation (and its fragments).
  const executedOperation = executed === document ? operation : getOperationAST(executed, params.operationName) ?? operation;

  const run = async (): Promise<ExecutedOperation> => {
    const response = await deps.executePlan({ document: executed, query, operation: executedOperation, operationName: params.operationName, variables: params.variables, context: { principal } });
    const single = response.body as Parameters<typeof applyDenials>[0];
    const body = authorization && authorization.denied.length ? applyDenials(single, authorization) : single;
    return { status: response.status, text: JSON.stringify(body), hasErrors: !!body.errors?.length, cacheControl: response.cacheControl };
  };

  const isQuery = operation.operation === 'query';
  const caching = isQuery && plan.cacheEnabled ? deps.caching : null;
  const operationHash = caching || deps.deduper ? queryHashOf(executed, query) : '';
  const keyParts = {
    tenant: principal.tenant,
    policyVersion: deps.tenants?.policyVersion(principal.tenant) ?? 'none',
    supergraphVersion: deps.supergraphVersion,
    permissionSet: permissionSetOf(principal),
    operationHash,
    operationName: params.operationName ?? undefined,
    variables: params.variables ?? undefined,
  };

  if (caching) {
    const publicKey = cacheKeyFor(keyParts);
    const privateKey = cacheKeyFor({ ...keyParts, principalScope: principal.subject });
    const hit = (await caching.store.get(publicKey)) ?? (await caching.store.get(privateKey));
    if (hit) {
      const scope = hit.headers?.scope === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
      return { status: 200, text: hit.body, headers: cachedResponseHeaders(hit, scope), operationName, coordinates, cache: 'hit' };
    }
  }

  // Identical queries in flight at once share one execution, but only within one principal: a
  // subgraph may answer per subject (object-level rules), and nothing says yet whether it did.
  const dedupeKey = deps.deduper && isQuery ? cacheKeyFor({ ...keyParts, principalScope: principal.subject }) : null;
  const result = dedupeKey ? await deps.deduper!.run(dedupeKey, run) : await run();

  let headers: Record<string, string> | undefined;
  let cache: OperationResult['cache'] = caching ? 'miss' : 'bypass';
  if (caching) {
    const decision = cachePolicyFromHints({
      overallCachePolicy: parseCacheControl(result.cacheControl),
      operationType: operation.operation,
      hasErrors: result.hasErrors || result.status !== 200,
      defaultTtlSec: caching.defaultTtlSec,
      maxTtlSec: caching.maxTtlSec,
    });
    if (decision.status === 'cacheable') {
      const key = cacheKeyFor(decision.scope === 'PRIVATE' ? { ...keyParts, principalScope: principal.subject } : keyParts);
      const entry = { body: result.text, storedAt: Date.now(), ttlSec: decision.ttlSec, headers: { scope: decision.scope } };
      await caching.store.set(key, entry, decision.ttlSec);
      headers = cachedResponseHeaders(entry, decision.scope);
    } else {
      cache = 'bypass';
      headers = { 'cache-control': 'no-store' };
    }
  }
  return { status: result.status, text: result.text, headers, operationName, coordinates, cache };
}

interface ExecutedOperation {
  status: number;
  text: string;
  hasErrors: boolean;
  cacheControl: string | undefined;
}

/** Apollo's computed `Cache-Control` (the minimum over the subgraphs' hints) as a hint; none → undefined. */
function parseCacheControl(header: string | undefined): { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' } | undefined {
  if (!header) return undefined;
  if (/no-store/i.test(header)) return { maxAge: 0 };
  const maxAge = /max-age=(\d+)/i.exec(header);
  return { maxAge: maxAge ? Number(maxAge[1]) : 0, scope: /private/i.test(header) ? 'PRIVATE' : 'PUBLIC' };
}

/**
 * Whether the operation's root selects introspection fields only, data only, or both; root
 * fragments are followed, so `{ ...F }` cannot smuggle `__schema` past the tenant's view.
 */
function introspectionKind(operation: OperationDefinitionNode, document: DocumentNode): 'none' | 'only' | 'mixed' {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  let meta = 0;
  let data = 0;
  const seen = new Set<string>();
  const walk = (selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__schema' || name === '__type') meta++;
        else if (name !== '__typename') data++;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet.selections);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet.selections);
      }
    }
  };
  walk(operation.selectionSet.selections);
  if (meta === 0) return 'none';
  return data === 0 ? 'only' : 'mixed';
}

/**
 * No "Did you mean …" suggestions (they list field names), and no message that quotes a type the
 * tenant's view does not have.
 */
export function scrubValidationMessage(message: string, schema: GraphQLSchema, view: GraphQLSchema): string {
  const text = message.replace(/ ?Did you mean .*\?$/, '');
  if (view === schema) return text;
  for (const match of text.matchAll(/"\[*([_A-Za-z][_0-9A-Za-z]*)[!\]]*"/g)) {
    const name = match[1]!;
    if (schema.getType(name) && !view.getType(name)) return 'The operation is not valid against the schema';
  }
  return text;
}
