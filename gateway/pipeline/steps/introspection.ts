/**
 * Introspection is answered here, from the tenant's view, so hidden fields and types never show;
 * Apollo never sees it. Root fragments are followed, so `{ ...F }` cannot smuggle `__schema` past
 * the view, and introspection mixed with data fields is refused.
 */
import { execute, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import { errorResponse } from '../answer';
import type { Selected } from '../request-context';
import type { GatewayStep } from '../step';

export function introspectionStep(deps: { enabled: boolean }): GatewayStep<Selected> {
  return {
    name: 'introspection',
    async run(ctx) {
      const kind = introspectionKind(ctx.operation, ctx.document);
      if (kind === 'none') return undefined;
      if (!deps.enabled) return errorResponse('GRAPHQL_VALIDATION_FAILED', 'Introspection is disabled');
      if (kind === 'mixed') return errorResponse('BAD_REQUEST', 'Introspection fields (__schema, __type) cannot be mixed with data fields in one operation');
      const result = await execute({ schema: ctx.view, document: ctx.document, operationName: ctx.params.operationName, variableValues: ctx.params.variables ?? undefined });
      return { status: 200, body: result };
    },
  };
}

/** Whether the operation's root selects introspection fields only, data only, or both. */
function introspectionKind(operation: OperationDefinitionNode, document: DocumentNode): 'none' | 'only' | 'mixed' {
  let meta = 0;
  let data = 0;
  let fragments: Map<string, FragmentDefinitionNode> | null = null;
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
        fragments ??= new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet.selections);
      }
    }
  };
  walk(operation.selectionSet.selections);
  if (meta === 0) return 'none';
  return data === 0 ? 'only' : 'mixed';
}
