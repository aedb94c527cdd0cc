/**
 * The /v1 entrance answers to the same field policy as GraphQL: each route stands for one field of
 * the AI subgraph (ONE table, below), and a tenant may use the route only when its compiled policy
 * lets it select that field. Checked before the AI subgraph is called, so a denied tenant costs
 * nothing and learns nothing it could not learn over GraphQL.
 */
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { TenantDirectory } from '../../tenants/tenant-directory';
import { errorResponse } from '../answer';
import type { Identified } from '../request-context';
import type { GatewayStep } from '../step';

export interface AiRouteField {
  typeName: 'Query';
  fieldName: string;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * The field behind a /v1 route, or null for a route the entrance does not serve. Every route the AI
 * subgraph serves under /v1 must be listed here: an unlisted one is refused (404), never proxied.
 */
export function aiRouteField(pathname: string): AiRouteField | null {
  // Any method: the policy is checked first, then the AI subgraph answers a wrong method with 405.
  if (pathname === '/v1/chat/completions') return { typeName: 'Query', fieldName: 'chat' };
  if (pathname === '/v1/embeddings') return { typeName: 'Query', fieldName: 'embed' };
  // Anthropic's Messages API: the same chat field.
  if (pathname === '/v1/messages') return { typeName: 'Query', fieldName: 'chat' };
  if (pathname === '/v1/models' || pathname.startsWith('/v1/models/')) return { typeName: 'Query', fieldName: 'models' };
  if (pathname.startsWith('/v1/prompts/')) {
    let name: string;
    try {
      name = decodeURIComponent(pathname.slice('/v1/prompts/'.length));
    } catch {
      return null;
    }
    // A prompt template is the Query field of the same name (see subgraphs/ai/prompts).
    return GRAPHQL_NAME.test(name) ? { typeName: 'Query', fieldName: name } : null;
  }
  return null;
}

function fieldExists(schema: GraphQLSchema, field: AiRouteField): boolean {
  const type = schema.getType(field.typeName);
  return isObjectType(type) && field.fieldName in type.getFields();
}

export function authorizeAiRouteStep(deps: { tenants: TenantDirectory | null; aiGraphqlUrl(): string | null }): GatewayStep<Identified & { apiSchema: GraphQLSchema }> {
  return {
    name: 'authorize-ai-route',
    run(ctx) {
      const field = aiRouteField(ctx.url.pathname);
      if (field && !deps.aiGraphqlUrl()) return errorResponse('NOT_FOUND', 'The AI subgraph is not part of the current supergraph', { shape: 'openai' });
      // A route with no field, or a field the served schema lacks (an unpublished prompt), does not exist.
      if (!field || !fieldExists(ctx.apiSchema, field)) return errorResponse('NOT_FOUND', `No such route: ${ctx.req.method ?? 'GET'} ${ctx.url.pathname}`, { shape: 'openai' });
      const tenantPolicy = ctx.tenantPolicy ?? deps.tenants?.policyFor(ctx.principal.tenant, ctx.apiSchema);
      if (!tenantPolicy || tenantPolicy.status === 'none') return undefined;
      // Fail closed, as GraphQL does, when the policy no longer matches the schema.
      if (tenantPolicy.status === 'invalid') return errorResponse('FORBIDDEN', `The policy of tenant "${ctx.principal.tenant}" does not match the current schema; ask its administrator`, { shape: 'openai' });
      if (!tenantPolicy.policy.decisionsFor(ctx.principal)(field.typeName, field.fieldName)) {
        return errorResponse('FORBIDDEN', `Tenant "${ctx.principal.tenant}" may not use ${field.typeName}.${field.fieldName}`, { shape: 'openai' });
      }
      return undefined;
    },
  };
}
