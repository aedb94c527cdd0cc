/**
 * Limits on an operation's shape, checked before any planning: depth and directives through
 * `@escape.tech/graphql-armor`; aliases (armor skips `__typename`) and root fields (armor has no
 * such rule) through rules of our own. Use with graphql's `validate(schema, document, rules)`.
 * Cost depends on the request's variables, so it is not a validation rule: see `operation-cost.ts`.
 *
 * Tokens are not a validation rule: the parser must stop counting before it builds a huge document,
 * so `maxTokens` goes to the parser — graphql's `parse(text, { maxTokens })`, or Apollo Server's
 * `parseOptions: { maxTokens }` (`operationParseOptions(limits)` gives either). Armor's own
 * token plugin turns a refusal into HTTP 500 on Apollo Server, so it is not used. graphql's own
 * message ("more that N tokens") discloses the limit: `parseOperation` parses and rewords it.
 *
 * Messages name the limit that was hit but never its value: disclosing it would help an attacker
 * size a request just under it.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, parse, type ASTVisitor, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import type { OperationLimits } from '../../tenancy/plan';
import { maxAliasesRule } from './operation-cost';

export type { OperationLimits };


const CODE = 'OPERATION_LIMIT_EXCEEDED';

function reporter(what: string): (ctx: ValidationContext | null) => void {
  return (ctx) => ctx?.reportError(new GraphQLError(`The operation exceeds the ${what} limit of its plan`, { extensions: { code: CODE } }));
}

/** The validation rules for `limits`; a fresh armor configuration each call (armor mutates it). */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  // propagateOnRejection false + our onReject: armor reports into the validation context
  // (a 400 with our code and wording) instead of throwing.
  const common = { exposeLimits: false, propagateOnRejection: false } as const;
  const armor = new ApolloArmor({
    maxDepth: limits.maxDepth === undefined ? { enabled: false } : { ...common, n: limits.maxDepth, onReject: [reporter('depth')] },
    maxAliases: { enabled: false },
    maxDirectives: limits.maxDirectives === undefined ? { enabled: false } : { ...common, n: limits.maxDirectives, onReject: [reporter('directive')] },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  const rules = armor.protect().validationRules;
  if (limits.maxAliases !== undefined) rules.push(maxAliasesRule(limits.maxAliases, reporter('alias')));
  if (limits.maxRootFields !== undefined) rules.push(maxRootFieldsRule(limits.maxRootFields));
  return rules;
}

/** The cost limit's refusal, worded like the others. */
export function costLimitError(): GraphQLError {
  return new GraphQLError('The operation exceeds the cost limit of its plan', { extensions: { code: CODE } });
}

/** What the parser needs: pass to graphql's `parse()` or as Apollo Server's `parseOptions`. */
export function operationParseOptions(limits: OperationLimits): { maxTokens?: number } {
  return limits.maxTokens === undefined ? {} : { maxTokens: limits.maxTokens };
}

export type ParsedOperation = { status: 'parsed'; document: DocumentNode } | { status: 'refused'; error: GraphQLError };

/** Parse with the token limit; a syntax error or a token flood is a value, worded without the limit. */
export function parseOperation(text: string, limits: OperationLimits): ParsedOperation {
  try {
    return { status: 'parsed', document: parse(text, operationParseOptions(limits)) };
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    if (/Document contains more th\w+ \d+ tokens/.test(err.message)) {
      return { status: 'refused', error: new GraphQLError('The operation exceeds the token limit of its plan', { extensions: { code: CODE } }) };
    }
    return { status: 'refused', error: new GraphQLError(err.message, { source: err.source, positions: err.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }) };
  }
}

/** Refuses an operation selecting more than `max` root fields, counting through fragments. */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const report = reporter('root field');
    const count = (set: SelectionSetNode, seen: Set<string>): number => {
      let n = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) n += selection.name.value === '__typename' ? 0 : 1;
        else if (selection.kind === Kind.INLINE_FRAGMENT) n += count(selection.selectionSet, seen);
        else if (!seen.has(selection.name.value)) {
          // A fragment spread twice at the root adds its fields once (they merge); cycles stop here too.
          seen.add(selection.name.value);
          const fragment = context.getFragment(selection.name.value);
          if (fragment) n += count(fragment.selectionSet, seen);
        }
      }
      return n;
    };
    return {
      OperationDefinition(node: OperationDefinitionNode) {
        if (count(node.selectionSet, new Set()) > max) report(context);
      },
    };
  };
}
