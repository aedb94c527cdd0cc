/**
 * The registry's GraphQL API (Apollo Server 5 at `/graphql`): publish, check, history, diff,
 * rollback, promote, versions, usage, subgraphs. Resolvers call the same SchemaPublisher as the
 * JSON routes; the caller's registry token decides what it may do (403 with a FORBIDDEN error).
 * Refused changes are values (`PublishResult.status = REJECTED` with the report), not errors.
 */
import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { handleGraphQLRequest } from '../core/apollo-http';
import { graphqlError } from '../core/errors';
import type { CheckOutcome, PublishOutcome, SchemaPublisher } from './publisher';
import { checkScope, type Actor, type Scope } from './auth';
import { usageBatchSchema, type UsageStore } from './usage/usage-store';

const typeDefs = /* GraphQL */ `
  "Any JSON value (check reports)."
  scalar JSON

  enum SubgraphStatus { active deprecated retired }
  enum Verdict { pass fail }

  type Subgraph { name: String! url: String! sdl: String! owner: String status: SubgraphStatus! }

  type VersionSource { variant: String! id: Int! }

  type Version {
    id: Int!
    variant: String!
    parentId: Int
    action: String!
    subgraph: String
    author: String
    commit: String
    createdAt: String!
    source: VersionSource
    subgraphs: [Subgraph!]
    supergraphSdl: String
    "The check report of this change."
    report: JSON
  }

  type Problem { message: String! code: String coordinate: String kind: String subgraph: String line: Int column: Int }

  type PublishResult {
    "PUBLISHED, UNCHANGED or REJECTED"
    status: String!
    version: Version
    "Set when REJECTED: BAD_REQUEST, NOT_FOUND, CONFLICT, INVALID_SCHEMA, COMPOSITION_FAILED or CHECKS_FAILED."
    code: String
    message: String
    problems: [Problem!]!
    report: JSON
  }

  type CheckResult { verdict: Verdict! report: JSON! }

  type Change { criticality: String! type: String! coordinate: String! message: String! reason: String safeByUsage: Boolean }

  type Diff { variant: String! from: Int! to: Int! changes: [Change!]! }

  type ClientUsage { client: String! count: Int! }
  type CoordinateUsage { coordinate: String! count: Int! clients: [ClientUsage!]! }

  input PublishInput { name: String! url: String! sdl: String! owner: String author: String commit: String }
  input CheckInput { name: String! url: String sdl: String! owner: String }
  input UsageClientInput { name: String! version: String }
  input UsageReportInput { coordinate: String! client: UsageClientInput tenant: String count: Int! at: String }

  type Query {
    variants: [String!]!
    "The live version of a variant."
    head(variant: String!): Version
    "History, newest first (summaries: no SDL)."
    versions(variant: String!, limit: Int = 50): [Version!]!
    version(variant: String!, id: Int!): Version
    diff(variant: String!, from: Int!, to: Int!): Diff!
    subgraphs(variant: String!): [Subgraph!]!
    usage(coordinates: [String!]!, windowDays: Int): [CoordinateUsage!]!
  }

  type Mutation {
    publish(variant: String!, input: PublishInput!): PublishResult!
    check(variant: String!, input: CheckInput!): CheckResult!
    rollback(variant: String!, toVersion: Int!, author: String): PublishResult!
    promote(from: String!, to: String!, author: String): PublishResult!
    setSubgraphLifecycle(variant: String!, subgraph: String!, status: SubgraphStatus!, author: String): PublishResult!
    reportUsage(reports: [UsageReportInput!]!): Int!
  }
`;

interface Context {
  actor: Actor;
}

function literalOf(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.LIST:
      return ast.values.map(literalOf);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalOf(f.value)]));
    default:
      return null;
  }
}

const JSONScalar = new GraphQLScalarType({ name: 'JSON', serialize: (v) => v, parseValue: (v) => v, parseLiteral: literalOf });

function allow(ctx: Context, scope: Scope, subgraph?: string): void {
  const result = checkScope(ctx.actor, scope, { subgraph });
  // extensions.http makes Apollo answer 403, like the JSON routes.
  if (!result.ok) throw graphqlError('FORBIDDEN', result.reason, { http: { status: 403 } });
}

function publishResult(outcome: PublishOutcome): Record<string, unknown> {
  switch (outcome.status) {
    case 'published':
      return { status: 'PUBLISHED', version: outcome.version, problems: [], report: outcome.report ?? null };
    case 'unchanged':
      return { status: 'UNCHANGED', version: outcome.version, problems: [] };
    case 'rejected':
      return { status: 'REJECTED', code: outcome.code, message: outcome.message, problems: outcome.problems, report: outcome.report ?? null };
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
    }
  }
}

function checkResult(outcome: CheckOutcome): Record<string, unknown> {
  if (outcome.status === 'checked') return { verdict: outcome.verdict, report: outcome.report };
  throw graphqlError(outcome.code === 'BAD_REQUEST' ? 'BAD_USER_INPUT' : outcome.code, outcome.message, { problems: outcome.problems });
}

export function createRegistryGraphQLServer(publisher: SchemaPublisher, usage: UsageStore | undefined): ApolloServer<Context> {
  const store = publisher.store;
  const resolvers = {
    JSON: JSONScalar,
    Query: {
      variants: (_: unknown, __: unknown, ctx: Context) => (allow(ctx, 'read'), store.variants()),
      head: (_: unknown, a: { variant: string }, ctx: Context) => (allow(ctx, 'read'), store.head(a.variant)),
      versions: (_: unknown, a: { variant: string; limit: number }, ctx: Context) => {
        allow(ctx, 'read');
        if (a.limit < 1) throw graphqlError('BAD_USER_INPUT', 'limit must be a positive integer');
        return store.history(a.variant, a.limit);
      },
      version: (_: unknown, a: { variant: string; id: number }, ctx: Context) => (allow(ctx, 'read'), store.version(a.variant, a.id)),
      diff: async (_: unknown, a: { variant: string; from: number; to: number }, ctx: Context) => {
        allow(ctx, 'read');
        const outcome = await publisher.diff(a.variant, a.from, a.to);
        if (outcome.status !== 'ok') throw graphqlError(outcome.code, outcome.message);
        return outcome;
      },
      subgraphs: async (_: unknown, a: { variant: string }, ctx: Context) => (allow(ctx, 'read'), (await store.head(a.variant))?.subgraphs ?? []),
      usage: async (_: unknown, a: { coordinates: string[]; windowDays?: number | null }, ctx: Context) => {
        allow(ctx, 'read');
        if (!usage) throw graphqlError('NOT_FOUND', 'This registry keeps no usage');
        const found = await usage.lookup(a.coordinates, a.windowDays ?? publisher.governance.usage.windowDays, publisher.governance.usage.excludedClients);
        return a.coordinates.map((coordinate) => {
          const entry = found.get(coordinate);
          return { coordinate, count: entry?.count ?? 0, clients: Object.entries(entry?.byClient ?? {}).map(([client, count]) => ({ client, count })) };
        });
      },
    },
    Mutation: {
      publish: async (_: unknown, a: { variant: string; input: Record<string, unknown> }, ctx: Context) => {
        allow(ctx, 'publish', String(a.input.name));
        return publishResult(await publisher.publish({ ...a.input, variant: a.variant }));
      },
      check: async (_: unknown, a: { variant: string; input: Record<string, unknown> }, ctx: Context) => {
        allow(ctx, 'read', String(a.input.name));
        return checkResult(await publisher.check({ ...a.input, variant: a.variant }));
      },
      rollback: async (_: unknown, a: { variant: string; toVersion: number; author?: string }, ctx: Context) => (allow(ctx, 'admin'), publishResult(await publisher.rollback(a))),
      promote: async (_: unknown, a: { from: string; to: string; author?: string }, ctx: Context) => (allow(ctx, 'admin'), publishResult(await publisher.promote(a))),
      setSubgraphLifecycle: async (_: unknown, a: { variant: string; subgraph: string; status: string; author?: string }, ctx: Context) => {
        allow(ctx, 'publish', a.subgraph);
        return publishResult(await publisher.setLifecycle(a));
      },
      reportUsage: async (_: unknown, a: { reports: unknown[] }, ctx: Context) => {
        allow(ctx, 'report-usage');
        if (!usage) throw graphqlError('NOT_FOUND', 'This registry keeps no usage');
        const parsed = usageBatchSchema.safeParse({ reports: a.reports.map(stripNulls) });
        if (!parsed.success) throw graphqlError('BAD_USER_INPUT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        return (await usage.record(parsed.data.reports)).accepted;
      },
    },
  };
  return new ApolloServer<Context>({
    typeDefs,
    resolvers,
    introspection: true,
    // Keep the code the resolvers chose; mask only what is not ours.
    formatError: (formatted, error) => {
      const original = (error as { originalError?: unknown })?.originalError;
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && !(original instanceof GraphQLError)) return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      return formatted;
    },
  });
}

/** GraphQL input objects give `null` for omitted optional fields; the zod schema wants them absent. */
function stripNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, stripNulls(v)]));
}

/** Serves the GraphQL API for one authenticated request. */
export function graphqlHandler(server: ApolloServer<Context>): (req: http.IncomingMessage, res: http.ServerResponse, actor: Actor) => Promise<void> {
  return (req, res, actor) => handleGraphQLRequest(server, req, res, { maxBodyBytes: 10 * 1024 * 1024, context: async () => ({ actor }) });
}
