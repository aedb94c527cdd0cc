/**
 * The AI subgraph: a Federation 2 schema over the AI service. The tenant comes from
 * `context.principal`, which the gateway fills from a verified, gateway-signed header; without one
 * the caller is the tenant `anonymous`. Each `chat` selection (aliases included) reserves, calls
 * and records on its own, so several in one operation are each metered. Prompt templates add one
 * typed Query field each; `setTemplates` swaps them at run time and rebuilds the schema.
 */
import { GraphQLScalarType, Kind, parse } from 'graphql';
import type { GraphQLSchema, ValueNode } from 'graphql';
import type { Resolvers } from './generated/ai-types';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { CharterError, graphqlError } from '../../core/errors';
import type { AiConfig, ModelConfig, TenantBudget } from './models';
import type { ChatFinishReason, ChatRequest, ChatResult, TenantAiContext } from './chat-types';
import type { LanguageModelResolver } from './providers';
import type { UsageLedger } from './usage/ledger';
import type { UsageGroupBy } from './usage/aggregate';
import { aggregateUsage, spendReport, parseUsageRange } from './usage/aggregate';
import { createAiService } from './routing';
import type { AiService } from './routing';
import type { PromptTemplate } from './prompts/template-schema';
import { validateTemplates } from './prompts/template-schema';
import { templatesToSdl } from './prompts/ai-sdl';
import { runPromptTemplate } from './prompts/execute';
import type { Principal } from '../../core/principal';
import { readAiTypeDefs } from './schema-file';

export { readAiTypeDefs } from './schema-file';

/** The verified caller, as the gateway passes it. */
export type { Principal } from '../../core/principal';

/** What the AI subgraph's resolvers read from the GraphQL context. */
export interface AiSubgraphContext {
  principal?: Principal;
  /** Aborts provider calls when the client goes away or the request's deadline passes. */
  signal?: AbortSignal;
}

export interface AiSubgraphOptions {
  config: AiConfig;
  ledger: UsageLedger;
  /** The tenant's budget and allowed models (from its plan). */
  budgets: (tenant: string) => TenantBudget;
  /** Override how models are built (tests); defaults to the SDK providers with keys from process.env. */
  resolveModel?: LanguageModelResolver;
  /** An AI service to share (e.g. with the HTTP routes); built from config and ledger when absent. */
  service?: AiService;
  /** Prompt templates served as typed Query fields (validated; an invalid set throws at creation). */
  templates?: readonly unknown[];
}

/** The result of swapping templates: a value, since a bad template set is an expected outcome. */
export type SetTemplatesOutcome = { status: 'applied'; typeDefs: string } | { status: 'invalid'; problems: string[] };

export interface AiSubgraph {
  name: 'ai';
  /** The full SDL (base schema plus template fields), as the registry should publish it. */
  readonly typeDefs: string;
  /** The executable schema for the current templates. */
  readonly schema: GraphQLSchema;
  readonly service: AiService;
  /** The current templates, in name order. */
  templates(): readonly PromptTemplate[];
  getTemplate(name: string): PromptTemplate | undefined;
  /** Validate and swap the templates; on success the schema is rebuilt and listeners are told. */
  setTemplates(templates: readonly unknown[]): SetTemplatesOutcome;
  /** Be told of every schema swap; returns the unsubscribe function. */
  onSchemaChange(listener: (schema: GraphQLSchema, typeDefs: string) => void): () => void;
}

export const ANONYMOUS_TENANT = 'anonymous';
/** A role whose holders see every tenant's usage in `aiUsage`. */
export const USAGE_ADMIN_ROLE = 'admin';

function parseLiteral(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(parseLiteral);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, parseLiteral(field.value)]));
    default:
      // Variables inside a JSON literal are not supported; pass the whole value as a variable instead.
      throw new TypeError('JSON literals cannot contain variables');
  }
}

const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral,
});

interface ChatInputArg {
  model?: string | null;
  route?: string | null;
  messages: Array<{ role: 'SYSTEM' | 'USER' | 'ASSISTANT' | 'TOOL'; content: string; toolCalls?: Array<{ id: string; name: string; arguments: string }> | null; toolCallId?: string | null }>;
  tools?: Array<{ name: string; description?: string | null; parameters: unknown }> | null;
  toolChoice?: string | null;
  temperature?: number | null;
  maxTokens?: number | null;
  responseFormat?: 'TEXT' | 'JSON' | null;
  jsonSchema?: unknown;
}

function toChatRequest(input: ChatInputArg): ChatRequest {
  if (input.jsonSchema != null && (typeof input.jsonSchema !== 'object' || Array.isArray(input.jsonSchema))) {
    throw new CharterError('BAD_USER_INPUT', 'jsonSchema must be a JSON object');
  }
  if (input.jsonSchema != null && input.responseFormat !== 'JSON') throw new CharterError('BAD_USER_INPUT', 'jsonSchema needs responseFormat: JSON');
  return {
    model: input.model ?? undefined,
    route: input.route ?? undefined,
    messages: input.messages.map((message) => ({
      role: message.role.toLowerCase() as 'system' | 'user' | 'assistant' | 'tool',
      content: message.content,
      ...(message.toolCalls?.length ? { toolCalls: message.toolCalls } : {}),
      ...(message.toolCallId ? { toolCallId: message.toolCallId } : {}),
    })),
    ...(input.tools?.length ? { tools: input.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters as Record<string, unknown> })) } : {}),
    ...(input.toolChoice ? { toolChoice: ['auto', 'none', 'required'].includes(input.toolChoice) ? (input.toolChoice as 'auto' | 'none' | 'required') : { name: input.toolChoice } } : {}),
    temperature: input.temperature ?? undefined,
    maxTokens: input.maxTokens ?? undefined,
    responseFormat: input.responseFormat === 'JSON' ? { type: 'json', schema: (input.jsonSchema as Record<string, unknown> | null) ?? undefined } : undefined,
  };
}

function toFinishReasonEnum(reason: ChatFinishReason): string {
  return reason.toUpperCase().replace(/-/g, '_');
}

function toModelType(config: AiConfig, model: ModelConfig): { id: string } & Record<string, unknown> {
  return { ...model, providerKind: config.providers[model.provider]?.kind ?? 'unknown' };
}

/** Turn a known error into a GraphQL error with its catalogue code; let bugs through to be masked. */
function toGraphQLError(err: unknown): unknown {
  if (err instanceof CharterError) return graphqlError(err.code, err.message, err.details ?? {});
  return err;
}

export function createAiSubgraph(options: AiSubgraphOptions): AiSubgraph {
  const { config, ledger, budgets } = options;
  const service = options.service ?? createAiService({ config, ledger, resolveModel: options.resolveModel });
  const baseTypeDefs = readAiTypeDefs();

  // Built once per request from the verified principal, so no resolver can forget the tenant.
  const tenantOf = (context: AiSubgraphContext): TenantAiContext => {
    const tenant = context.principal?.tenant ?? ANONYMOUS_TENANT;
    return { tenant, keyId: context.principal?.keyId, budget: budgets(tenant) };
  };

  // Typed by graphql-codegen (codegen.yml) from schema.graphql; template fields are added at run time.
  const resolvers = {
    JSON: JsonScalar,
    Query: {
      async chat(_parent: unknown, args: { input: ChatInputArg }, context: AiSubgraphContext): Promise<Record<string, unknown>> {
        try {
          const result: ChatResult = await service.runChat({ request: toChatRequest(args.input), tenant: { ...tenantOf(context), cause: 'Query.chat' }, signal: context.signal });
          return { ...result, cacheHit: result.cacheHit ?? false, object: result.object ?? null, toolCalls: result.toolCalls ?? [], finishReason: toFinishReasonEnum(result.finishReason) };
        } catch (err) {
          throw toGraphQLError(err);
        }
      },
      async embed(_parent: unknown, args: { input: { model?: string | null; texts: string[] } }, context: AiSubgraphContext) {
        try {
          const result = await service.embed({ request: { model: args.input.model ?? undefined, input: args.input.texts }, tenant: { ...tenantOf(context), cause: 'Query.embed' }, signal: context.signal });
          return { embeddings: result.embeddings, inputTokens: result.usage.inputTokens, costUsd: result.costUsd, model: result.model, provider: result.provider };
        } catch (err) {
          throw toGraphQLError(err);
        }
      },
      models(_parent: unknown, _args: unknown, context: AiSubgraphContext) {
        return service.listModels(tenantOf(context).budget).map((model) => toModelType(config, model));
      },
      async aiUsage(_parent: unknown, args: { from: string; to: string; groupBy: UsageGroupBy }, context: AiSubgraphContext) {
        try {
          const range = parseUsageRange(args.from, args.to);
          const isAdmin = context.principal?.roles.includes(USAGE_ADMIN_ROLE) ?? false;
          const records = await ledger.list({ ...range, tenant: isAdmin ? undefined : tenantOf(context).tenant });
          return aggregateUsage(records, args.groupBy);
        } catch (err) {
          throw toGraphQLError(err);
        }
      },
      async aiSpend(_parent: unknown, args: { from: string; to: string; groupBy: UsageGroupBy[] }, context: AiSubgraphContext) {
        try {
          const range = parseUsageRange(args.from, args.to);
          const isAdmin = context.principal?.roles.includes(USAGE_ADMIN_ROLE) ?? false;
          const records = await ledger.list({ ...range, tenant: isAdmin ? undefined : tenantOf(context).tenant });
          return spendReport(records, args.groupBy);
        } catch (err) {
          throw toGraphQLError(err);
        }
      },
    },
    AiModel: {
      __resolveReference(reference: { id: string }, context: AiSubgraphContext) {
        const model = service.listModels(tenantOf(context).budget).find((candidate) => candidate.id === reference.id);
        return model ? toModelType(config, model) : null;
      },
    },
  } satisfies Resolvers;

  /** One resolver per template: run it for the calling tenant and return its typed output. */
  const templateResolver =
    (template: PromptTemplate) =>
    async (_parent: unknown, args: Record<string, unknown>, context: AiSubgraphContext): Promise<unknown> => {
      try {
        const run = await runPromptTemplate(service, { template, variables: args, tenant: { ...tenantOf(context), cause: `prompt:${template.name}` }, signal: context.signal });
        return run.output;
      } catch (err) {
        throw toGraphQLError(err);
      }
    };

  let current: { templates: PromptTemplate[]; typeDefs: string; schema: GraphQLSchema };
  const listeners = new Set<(schema: GraphQLSchema, typeDefs: string) => void>();

  function build(templates: PromptTemplate[]): typeof current {
    const sorted = [...templates].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const typeDefs = templatesToSdl(sorted, baseTypeDefs);
    const query: Record<string, unknown> = { ...resolvers.Query };
    for (const template of sorted) query[template.name] = templateResolver(template);
    const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: { ...resolvers, Query: query } as any });
    return { templates: sorted, typeDefs, schema };
  }

  function setTemplates(inputs: readonly unknown[]): SetTemplatesOutcome {
    const outcome = validateTemplates(inputs);
    if (outcome.status === 'invalid') return outcome;
    current = build(outcome.templates);
    for (const listener of listeners) listener(current.schema, current.typeDefs);
    return { status: 'applied', typeDefs: current.typeDefs };
  }

  const initial = validateTemplates(options.templates ?? []);
  if (initial.status === 'invalid') throw new Error(`invalid prompt templates:\n  ${initial.problems.join('\n  ')}`);
  current = build(initial.templates);

  return {
    name: 'ai',
    get typeDefs() {
      return current.typeDefs;
    },
    get schema() {
      return current.schema;
    },
    service,
    templates: () => current.templates,
    getTemplate: (name) => current.templates.find((template) => template.name === name),
    setTemplates,
    onSchemaChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
