/**
 * One GraphQL operation through the gateway, after identity is known:
 * parse (cached) → validate against the tenant's view of the schema → answer introspection from
 * that view → authorize every selected field (denied fields removed before planning) → execute
 * through Apollo Server and @apollo/gateway → put `null` and FORBIDDEN errors where fields were denied.
 */
import type { ApolloServer } from '@apollo/server';
import { execute, getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import type { Principal } from '../auth/principal';
import { authorizeOperation } from '../policy/authorize';
import { schemaViewFor } from '../policy/schema-view';
import { applyDenials, rejectionResult } from '../policy/shape';
import type { TenantDirectory } from '../tenants/tenant-directory';
import type { DocumentCache } from './document-cache';
import type { GraphQLParams } from './request-params';

export interface OperationResult {
  status: number;
  body: { data?: unknown; errors?: readonly unknown[]; extensions?: Record<string, unknown> };
}

export interface OperationDeps {
  apollo: ApolloServer<{ principal: Principal }>;
  documents: DocumentCache;
  tenants: TenantDirectory | null;
  /** The API schema of the supergraph now served. */
  apiSchema: GraphQLSchema;
  introspection: boolean;
}

function failure(status: number, code: string, message: string, extra: Partial<GraphQLError> = {}): OperationResult {
  return { status, body: { errors: [{ message, ...(extra.locations ? { locations: extra.locations } : {}), extensions: { code } }] } };
}

export async function runOperation(deps: OperationDeps, params: GraphQLParams, principal: Principal, method: string): Promise<OperationResult> {
  const parsed = deps.documents.parse(params.query);
  if (!parsed.ok) return failure(400, 'GRAPHQL_PARSE_FAILED', parsed.error.message, parsed.error);
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

  const operation = getOperationAST(document, params.operationName);
  if (!operation) {
    return failure(400, 'BAD_REQUEST', params.operationName ? `Unknown operation "${params.operationName}"` : 'The document has several operations: say which one with "operationName"');
  }
  if (method === 'GET' && operation.operation !== 'query') return failure(405, 'BAD_REQUEST', `A ${operation.operation} cannot be sent with GET: use POST`);

  const introspection = introspectionKind(operation, document);
  if (introspection !== 'none') {
    if (!deps.introspection) return failure(400, 'GRAPHQL_VALIDATION_FAILED', 'Introspection is disabled');
    if (introspection === 'mixed') return failure(400, 'BAD_REQUEST', 'Introspection fields (__schema, __type) cannot be mixed with data fields in one operation');
    // Answered from the tenant's view, so hidden fields and types never show.
    const result = await execute({ schema: view, document, operationName: params.operationName, variableValues: params.variables ?? undefined });
    return { status: 200, body: result };
  }

  let query = params.query;
  let authorization: Awaited<ReturnType<typeof authorizeOperation>> | null = null;
  if (tenantPolicy.status === 'compiled') {
    authorization = await authorizeOperation({ schema: deps.apiSchema, document, operationName: params.operationName, variables: params.variables, principal, policy: tenantPolicy.policy });
    if (authorization.rejected) return { status: 403, body: rejectionResult(authorization.denied) };
    if (authorization.allDenied) return { status: 200, body: applyDenials({ data: {} }, authorization) };
    // The filtered text, not the original: @apollo/gateway keys its query-plan cache by query text,
    // so a plan made for one permission set can never serve another.
    if (authorization.changed) query = authorization.query!;
  }

  const response = await deps.apollo.executeOperation({ query, operationName: params.operationName ?? undefined, variables: params.variables ?? undefined }, { contextValue: { principal } });
  if (response.body.kind !== 'single') return failure(500, 'INTERNAL_SERVER_ERROR', 'Incremental delivery is not supported');
  const single = response.body.singleResult;
  const body = authorization && authorization.denied.length ? applyDenials(single, authorization) : single;
  return { status: response.http.status ?? 200, body };
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
