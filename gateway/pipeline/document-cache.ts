/**
 * Parsed and validated documents, cached: parsing is keyed by the query text (an LRU bounded by
 * entries and by bytes of query text, holding only documents that parsed and validated — a flood
 * of broken or invalid operations never fills it), validation by (schema, document), and the
 * plan's operation limits by (schema, document, limits), so nothing is re-checked for a repeated
 * operation. The token limit is enforced by the parser.
 */
import type { GraphQLError, OperationDefinitionNode } from 'graphql';
import { validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { costDependsOnVariables, operationCost } from '../traffic/operation-cost';
import { operationLimitRules, parseOperation, type OperationLimits } from '../traffic/operation-limits';

export type ParseOutcome = { ok: true; document: DocumentNode } | { ok: false; error: GraphQLError };

export class DocumentCache {
  private readonly parsed = new Map<string, DocumentNode>();
  private parsedBytes = 0;
  private readonly validated = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  private readonly limited = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>>();
  private readonly limitRules = new Map<string, ValidationRule[]>();
  private readonly costs = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, Map<string, boolean>>>();

  /** `maxBytes`: budget of cached query text (UTF-16 code units ×2); the ASTs cost a small multiple of it. */
  constructor(private readonly options: { maxEntries?: number; maxBytes?: number; maxTokens?: number } = {}) {}

  /** The document for `query`: from the cache, or parsed (not cached until `keep`). */
  parse(query: string): ParseOutcome {
    const hit = this.parsed.get(query);
    if (hit) {
      // Refresh recency: Map keeps insertion order, so re-insert to make this the newest.
      this.parsed.delete(query);
      this.parsed.set(query, hit);
      return { ok: true, document: hit };
    }
    const result = parseOperation(query, { maxTokens: this.options.maxTokens ?? 10_000 });
    return result.status === 'parsed' ? { ok: true, document: result.document } : { ok: false, error: result.error };
  }

  /** Cache a document that parsed and validated, evicting the least recently used over budget. */
  keep(query: string, document: DocumentNode): void {
    if (this.parsed.has(query)) return;
    const bytes = query.length * 2;
    const maxBytes = this.options.maxBytes ?? 16 * 1024 * 1024;
    if (bytes > maxBytes) return;
    this.parsed.set(query, document);
    this.parsedBytes += bytes;
    const maxEntries = this.options.maxEntries ?? 5000;
    while (this.parsed.size > maxEntries || this.parsedBytes > maxBytes) {
      const oldest = this.parsed.keys().next().value!;
      this.parsed.delete(oldest);
      this.parsedBytes -= oldest.length * 2;
    }
  }

  /** What the parse cache holds, for tests and metrics. */
  stats(): { entries: number; bytes: number } {
    return { entries: this.parsed.size, bytes: this.parsedBytes };
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

  /**
   * Whether the operation's cost, with this request's variables, is within the plan's limit.
   * Computed once per (schema, operation, limits) when the operation takes no variables.
   */
  withinCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null, limits: OperationLimits, limitsKey: string): boolean {
    if (limits.maxCost === undefined) return true;
    const check = () => operationCost(schema, document, operation, variables, { defaultListSize: limits.defaultListSize, stopAbove: limits.maxCost }) <= limits.maxCost!;
    if (costDependsOnVariables(operation)) return check();
    let perSchema = this.costs.get(schema);
    if (!perSchema) this.costs.set(schema, (perSchema = new WeakMap()));
    let perOperation = perSchema.get(operation);
    if (!perOperation) perSchema.set(operation, (perOperation = new Map()));
    let within = perOperation.get(limitsKey);
    if (within === undefined) perOperation.set(limitsKey, (within = check()));
    return within;
  }
}
