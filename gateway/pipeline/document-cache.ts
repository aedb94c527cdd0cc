/**
 * Parsed and validated documents, cached: parsing is keyed by the query text (bounded LRU, with the
 * token limit enforced by the parser), validation by (schema, document), and the plan's operation
 * limits by (schema, document, limits), so nothing is re-checked for a repeated operation.
 */
import type { GraphQLError} from 'graphql';
import { validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { operationLimitRules, parseOperation, type OperationLimits } from '../traffic/operation-limits';

export type ParseOutcome = { ok: true; document: DocumentNode } | { ok: false; error: GraphQLError };

export class DocumentCache {
  private readonly parsed = new Map<string, ParseOutcome>();
  private readonly validated = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  private readonly limited = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>>();
  private readonly limitRules = new Map<string, ValidationRule[]>();

  constructor(private readonly options: { maxEntries?: number; maxTokens?: number } = {}) {}

  parse(query: string): ParseOutcome {
    const hit = this.parsed.get(query);
    if (hit) {
      // Refresh recency: Map keeps insertion order, so re-insert to make this the newest.
      this.parsed.delete(query);
      this.parsed.set(query, hit);
      return hit;
    }
    const result = parseOperation(query, { maxTokens: this.options.maxTokens ?? 10_000 });
    const outcome: ParseOutcome = result.status === 'parsed' ? { ok: true, document: result.document } : { ok: false, error: result.error };
    this.parsed.set(query, outcome);
    if (this.parsed.size > (this.options.maxEntries ?? 5000)) this.parsed.delete(this.parsed.keys().next().value!);
    return outcome;
  }

  validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
    let perSchema = this.validated.get(schema);
    if (!perSchema) {
      perSchema = new WeakMap();
      this.validated.set(schema, perSchema);
    }
    let errors = perSchema.get(document);
    if (!errors) {
      errors = Object.freeze(validate(schema, document));
      perSchema.set(document, errors);
    }
    return errors;
  }

  /** The plan's depth, alias, root-field, directive and cost limits (armor rules built once per limits). */
  validateLimits(schema: GraphQLSchema, document: DocumentNode, limits: OperationLimits, limitsKey: string): readonly GraphQLError[] {
    let perSchema = this.limited.get(schema);
    if (!perSchema) {
      perSchema = new WeakMap();
      this.limited.set(schema, perSchema);
    }
    let perDocument = perSchema.get(document);
    if (!perDocument) {
      perDocument = new Map();
      perSchema.set(document, perDocument);
    }
    let errors = perDocument.get(limitsKey);
    if (!errors) {
      let rules = this.limitRules.get(limitsKey);
      if (!rules) {
        rules = operationLimitRules(limits);
        this.limitRules.set(limitsKey, rules);
      }
      errors = rules.length ? Object.freeze(validate(schema, document, rules)) : [];
      perDocument.set(limitsKey, errors);
    }
    return errors;
  }
}
