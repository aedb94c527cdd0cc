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
      if (errors.length) {
        // A message naming what the tenant's view hides is replaced by what validating against the
        // view says: the same words a name that does not exist at all would get.
        const leaks = view !== apiSchema && errors.some((e) => namesHiddenType(e.message, apiSchema, view));
        const viewErrors = leaks ? deps.documents.validate(view, document) : [];
        // The view does not know the hidden names: where its messages quote one, it is the client's own text.
        const shown = viewErrors.length ? viewErrors.map((e) => ({ message: withoutSuggestions(e.message), locations: e.locations })) : errors.map((e) => ({ message: scrubValidationMessage(e.message, apiSchema, view), locations: e.locations }));
        return graphqlErrorsResponse('GRAPHQL_VALIDATION_FAILED', shown);
      }
      deps.documents.keep(ctx.params.query, document);
      ctx.document = document;
      ctx.tenantPolicy = tenantPolicy;
      ctx.view = view;
      return undefined;
    },
  };
}

function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .*\?$/, '');
}

/** Whether a message quotes (alone or in a coordinate such as `"AiModel.id"`) a type the view hides. */
export function namesHiddenType(message: string, schema: GraphQLSchema, view: GraphQLSchema): boolean {
  for (const quoted of message.matchAll(/"([^"]*)"/g)) {
    for (const name of quoted[1]!.match(/[_A-Za-z][_0-9A-Za-z]*/g) ?? []) {
      if (schema.getType(name) && !view.getType(name)) return true;
    }
  }
  return false;
}

/**
 * No "Did you mean …" suggestions (they list field names), and no message that quotes a type the
 * tenant's view does not have (a last guard: such messages are normally replaced before).
 */
export function scrubValidationMessage(message: string, schema: GraphQLSchema, view: GraphQLSchema): string {
  const text = withoutSuggestions(message);
  if (view !== schema && namesHiddenType(text, schema, view)) return 'The operation is not valid against the schema';
  return text;
}
