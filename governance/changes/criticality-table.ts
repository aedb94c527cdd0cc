/**
 * Our criticality table: where the engine's verdict is wrong for a client of the API schema, the
 * rule here decides. Each override names its reason, so a report says why.
 */
import { isNonNullType } from 'graphql';
import type { GraphQLInputType, GraphQLSchema } from 'graphql';
import type { Change } from '@graphql-inspector/core';
import { decideDirectiveDefinition, isDirectiveDefinitionChange } from './directive-definition-rules';
import type { Criticality } from './types';

export interface Verdict {
  criticality: Criticality;
  reason?: string;
}

export interface CriticalityContext {
  /** The schema before the change (directive definitions are judged by their old locations). */
  oldSchema: GraphQLSchema;
  newSchema: GraphQLSchema;
  /** Types reachable from the old schema's root types. */
  reachableBefore: Set<string>;
  /** The type the change's coordinate lives in. */
  typeName: string | undefined;
}

const ENGINE_LEVEL: Record<string, Criticality> = { BREAKING: 'BREAKING', DANGEROUS: 'DANGEROUS', NON_BREAKING: 'SAFE' };

/**
 * Decides one change's criticality, or `null` when the change is noise the report must not show
 * (the directive-usage echo of a deprecation-reason edit, already reported as its own change).
 */
export function decideCriticality(change: Change, ctx: CriticalityContext): Verdict | null {
  const engine: Verdict = { criticality: ENGINE_LEVEL[change.criticality.level] ?? 'DANGEROUS', reason: change.criticality.reason };
  const meta = change.meta as Record<string, unknown>;

  switch (change.type) {
    case 'FIELD_ARGUMENT_DEFAULT_CHANGED': {
      const field = fieldOf(ctx.newSchema, meta.typeName as string, meta.fieldName as string);
      const arg = field?.args.find((a) => a.name === meta.argumentName);
      if (arg && meta.newDefaultValue === undefined && isNonNullType(arg.type)) return requiredDefaultRemoved();
      break;
    }
    case 'INPUT_FIELD_DEFAULT_VALUE_CHANGED': {
      const type = ctx.newSchema.getType(meta.inputName as string);
      const field = type && 'getFields' in type ? (type.getFields() as Record<string, { type: GraphQLInputType }>)[meta.inputFieldName as string] : undefined;
      if (field && meta.newDefaultValue === undefined && isNonNullType(field.type)) return requiredDefaultRemoved();
      break;
    }
    case 'FIELD_DEPRECATION_REASON_CHANGED':
    case 'FIELD_DEPRECATION_REASON_ADDED':
    case 'FIELD_DEPRECATION_REASON_REMOVED':
    case 'ENUM_VALUE_DEPRECATION_REASON_CHANGED':
    case 'ENUM_VALUE_DEPRECATION_REASON_ADDED':
    case 'ENUM_VALUE_DEPRECATION_REASON_REMOVED':
      return { criticality: 'SAFE', reason: 'Only the deprecation reason changed; no operation behaves differently.' };
    default:
      if (change.type.startsWith('DIRECTIVE_USAGE_')) return decideDirectiveUsage(change, meta);
      if (isDirectiveDefinitionChange(change.type)) {
        const verdict = decideDirectiveDefinition(change, ctx.oldSchema, ctx.newSchema);
        if (verdict) return verdict;
      }
  }

  if (engine.criticality === 'BREAKING' && ctx.typeName && !ctx.reachableBefore.has(ctx.typeName)) {
    return { criticality: 'SAFE', reason: `No operation could reach '${ctx.typeName}' from the root types, so no client can depend on it.` };
  }
  return engine;
}

function requiredDefaultRemoved(): Verdict {
  return {
    criticality: 'BREAKING',
    reason: 'The input is required and lost its default: operations that omitted it now fail validation.',
  };
}

/**
 * Directives applied in an API schema are invisible to operations, except @deprecated (seen in
 * introspection; its field-level changes are reported on their own) and @oneOf (adding it
 * rejects inputs that were valid).
 */
function decideDirectiveUsage(change: Change, meta: Record<string, unknown>): Verdict | null {
  const directive = (meta.addedDirectiveName ?? meta.removedDirectiveName ?? meta.directiveName) as string | undefined;
  if (directive === 'deprecated' && (change.type === 'DIRECTIVE_USAGE_ARGUMENT_ADDED' || change.type === 'DIRECTIVE_USAGE_ARGUMENT_REMOVED')) return null;
  if (directive === 'oneOf' && change.type.endsWith('_ADDED')) {
    return { criticality: 'BREAKING', reason: '@oneOf rejects inputs that set several fields or none.' };
  }
  return { criticality: 'SAFE', reason: 'A directive applied in the schema does not change how operations execute.' };
}

function fieldOf(schema: GraphQLSchema, typeName: string, fieldName: string) {
  const type = schema.getType(typeName);
  if (!type || !('getFields' in type)) return undefined;
  const field = (type.getFields() as Record<string, unknown>)[fieldName];
  return field && typeof field === 'object' && 'args' in field ? (field as { args: ReadonlyArray<{ name: string; type: GraphQLInputType }> }) : undefined;
}
