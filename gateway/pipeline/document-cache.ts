/**
 * Parsed and validated documents, cached: parsing is keyed by the query text (bounded LRU),
 * validation by (schema view, document) so a tenant's view never reuses another view's verdict.
 */
import { parse, validate, GraphQLError, type DocumentNode, type GraphQLSchema, type ValidationRule, specifiedRules } from 'graphql';

export type ParseOutcome = { ok: true; document: DocumentNode } | { ok: false; error: GraphQLError };

export class DocumentCache {
  private readonly parsed = new Map<string, ParseOutcome>();
  private readonly validated = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();

  constructor(
    private readonly options: { maxEntries?: number; maxTokens?: number; extraRules?: readonly ValidationRule[] } = {},
  ) {}

  parse(query: string): ParseOutcome {
    const hit = this.parsed.get(query);
    if (hit) {
      // Refresh recency: Map keeps insertion order, so re-insert to make this the newest.
      this.parsed.delete(query);
      this.parsed.set(query, hit);
      return hit;
    }
    let outcome: ParseOutcome;
    try {
      outcome = { ok: true, document: parse(query, { maxTokens: this.options.maxTokens ?? 15_000 }) };
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      outcome = { ok: false, error: err };
    }
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
      const rules = this.options.extraRules ? [...specifiedRules, ...this.options.extraRules] : specifiedRules;
      errors = Object.freeze(validate(schema, document, rules));
      perSchema.set(document, errors);
    }
    return errors;
  }
}
