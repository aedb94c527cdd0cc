/**
 * Criticality of changes to directive *definitions*, read against the GraphQL spec's validation
 * rules (October 2021, §5.7): what matters to a client is whether an operation that was valid
 * before still validates. Only executable locations (QUERY … VARIABLE_DEFINITION) can appear in an
 * operation, so a directive that had none can change freely; otherwise:
 *
 * - removing the directive or one of its executable locations breaks operations that use it there
 *   (Directives Are Defined / Directives Are In Valid Locations);
 * - removing `repeatable` breaks operations that repeat it at one location (Directives Are Unique
 *   Per Location); adding it is safe;
 * - adding an argument breaks only when it is required: non-null *and* without a default
 *   (Required Arguments); a non-null argument with a default may be omitted;
 * - removing a required argument's default makes operations that omitted it invalid;
 * - removing an argument breaks operations that pass it (Argument Names).
 */
import { DirectiveLocation, isNonNullType, type GraphQLDirective, type GraphQLSchema } from 'graphql';
import type { Change } from '@graphql-inspector/core';
import type { Verdict } from './criticality-table';

const EXECUTABLE_LOCATIONS: ReadonlySet<string> = new Set([
  DirectiveLocation.QUERY,
  DirectiveLocation.MUTATION,
  DirectiveLocation.SUBSCRIPTION,
  DirectiveLocation.FIELD,
  DirectiveLocation.FRAGMENT_DEFINITION,
  DirectiveLocation.FRAGMENT_SPREAD,
  DirectiveLocation.INLINE_FRAGMENT,
  DirectiveLocation.VARIABLE_DEFINITION,
]);

export function isExecutableLocation(location: string): boolean {
  return EXECUTABLE_LOCATIONS.has(location);
}

const DIRECTIVE_DEFINITION_CHANGES = new Set([
  'DIRECTIVE_REMOVED',
  'DIRECTIVE_LOCATION_REMOVED',
  'DIRECTIVE_REPEATABLE_REMOVED',
  'DIRECTIVE_REPEATABLE_ADDED',
  'DIRECTIVE_ARGUMENT_ADDED',
  'DIRECTIVE_ARGUMENT_REMOVED',
  'DIRECTIVE_ARGUMENT_TYPE_CHANGED',
  'DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED',
]);

export function isDirectiveDefinitionChange(type: string): boolean {
  return DIRECTIVE_DEFINITION_CHANGES.has(type);
}

/** The verdict for a directive-definition change, or undefined to keep the engine's. */
export function decideDirectiveDefinition(change: Change, oldSchema: GraphQLSchema, newSchema: GraphQLSchema): Verdict | undefined {
  const meta = change.meta as Record<string, unknown>;
  const name = (meta.removedDirectiveName ?? meta.directiveName) as string | undefined;
  if (!name) return undefined;
  const before = oldSchema.getDirective(name);
  const after = newSchema.getDirective(name);
  if (before && !before.locations.some((l) => isExecutableLocation(l))) {
    return { criticality: 'SAFE', reason: `@${name} has only type-system locations: no operation can use it, so no client depends on its definition.` };
  }
  switch (change.type) {
    case 'DIRECTIVE_REMOVED':
      return { criticality: 'BREAKING', reason: `Operations that use @${name} no longer validate.` };
    case 'DIRECTIVE_LOCATION_REMOVED': {
      const location = String(meta.removedDirectiveLocation);
      if (!isExecutableLocation(location)) return { criticality: 'SAFE', reason: `${location} is a type-system location: operations cannot place @${name} there.` };
      return { criticality: 'BREAKING', reason: `Operations that place @${name} on a ${location} no longer validate.` };
    }
    case 'DIRECTIVE_REPEATABLE_REMOVED':
      return { criticality: 'BREAKING', reason: `Operations that repeat @${name} at one location no longer validate.` };
    case 'DIRECTIVE_REPEATABLE_ADDED':
      return { criticality: 'SAFE', reason: 'Every operation that validated still does.' };
    case 'DIRECTIVE_ARGUMENT_ADDED': {
      const arg = argumentOf(after, meta.addedDirectiveArgumentName as string);
      if (arg && isNonNullType(arg.type) && arg.defaultValue === undefined) {
        return { criticality: 'BREAKING', reason: `The new argument is required (non-null, no default): operations that use @${name} without it no longer validate.` };
      }
      return { criticality: 'SAFE', reason: 'The new argument may be omitted (nullable or with a default).' };
    }
    case 'DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED': {
      const arg = argumentOf(after, meta.directiveArgumentName as string);
      if (arg && isNonNullType(arg.type) && arg.defaultValue === undefined) {
        return { criticality: 'BREAKING', reason: `The argument is required and lost its default: operations that omitted it no longer validate.` };
      }
      return undefined;
    }
    case 'DIRECTIVE_ARGUMENT_REMOVED':
      return { criticality: 'BREAKING', reason: `Operations that pass this argument to @${name} no longer validate.` };
    case 'DIRECTIVE_ARGUMENT_TYPE_CHANGED':
      // The engine's input-position rule (widening to nullable is safe) is the spec's; keep it, with a clear reason when breaking.
      return change.criticality.level === 'BREAKING'
        ? { criticality: 'BREAKING', reason: `Values that operations pass to this argument may not be valid as ${String(meta.newDirectiveArgumentType)}.` }
        : undefined;
    default:
      return undefined;
  }
}

function argumentOf(directive: GraphQLDirective | null | undefined, argName: string) {
  return directive?.args.find((a) => a.name === argName);
}
