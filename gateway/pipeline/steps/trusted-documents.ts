/** A tenant whose plan says so may run only registered operations (by SHA-256 of the text). */
import { errorResponse } from '../answer';
import { sha256Hex } from '../persisted-queries';
import type { WithParams } from '../request-context';
import type { GatewayStep } from '../step';

export function trustedDocumentsStep(deps: { trusted: ReadonlySet<string> | undefined }): GatewayStep<WithParams> {
  return {
    name: 'trusted-documents',
    run(ctx) {
      if (!ctx.plan.trustedDocuments || deps.trusted?.has(sha256Hex(ctx.params.query))) return undefined;
      return errorResponse('FORBIDDEN', `Tenant "${ctx.principal.tenant}" may run only registered operations, and this one is not registered`);
    },
  };
}
