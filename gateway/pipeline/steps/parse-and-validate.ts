/**
 * Parse (cached, token-limited), resolve the tenant's policy and view, and validate against the
 * whole API schema: a field the tenant may not see is then answered with FORBIDDEN at its path
 * (filter mode) rather than "unknown field", and messages are scrubbed so they never name what the
 * tenant's view hides. A policy that no longer matches the schema fails closed (403).
 */
import type { GraphQLSchema } from 'graphql';
import type { ErrorCode } from '../../../core/errors';
import { schemaViewFor } from '../../policy/schema-view';
import type { TenantDirectory, TenantPolicy } from '../../tenants/tenant-directory';
import { errorResponse, graphqlErrorsResponse } from '../answer';
import type { DocumentCache } from '../document-cache';
import type { WithParams } from '../request-context';
import type { GatewayStep } from '../step';

const NO_POLICY: TenantPolicy = Object.freeze({ status: 'none' }) as TenantPolicy;

export function parseAndValidateStep(deps: { documents: DocumentCache; tenants: TenantDirectory | null }): GatewayStep<WithParams> {
  return {
    name: 'parse-and-validate',
    run(ctx) {
      const parsed = deps.documents.parse(ctx.params.query);
      if (!parsed.ok) return errorResponse(((parsed.error.extensions.code as ErrorCode | undefined) ?? 'GRAPHQL_PARSE_FAILED'), parsed.error.message, { locations: parsed.error.locations });
      const document = parsed.document;
      const { apiSchema, principal } = ctx;

      const tenantPolicy = deps.tenants?.policyFor(principal.tenant, apiSchema) ?? NO_POLICY;
      if (tenantPolicy.status === 'invalid') {
        // Fail closed: a policy that no longer matches the schema must not be guessed at.
        return errorResponse('FORBIDDEN', `The policy of tenant "${principal.tenant}" does not match the current schema (${tenantPolicy.errors.map((e) => e.coordinate).join(', ')}); ask its administrator`);
      }
      const view = tenantPolicy.status === 'compiled' ? schemaViewFor(apiSchema, tenantPolicy.policy, principal) : apiSchema;

      const errors = deps.documents.validate(apiSchema, document);
      if (errors.length) return graphqlErrorsResponse('GRAPHQL_VALIDATION_FAILED', errors.map((e) => ({ message: scrubValidationMessage(e.message, apiSchema, view), locations: e.locations })));
      deps.documents.keep(ctx.params.query, document);
      ctx.document = document;
      ctx.tenantPolicy = tenantPolicy;
      ctx.view = view;
      return undefined;
    },
  };
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
