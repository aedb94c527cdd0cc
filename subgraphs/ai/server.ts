/**
 * The AI subgraph as a process: `/graphql` (Apollo Server), the OpenAI-compatible `/v1/*` routes,
 * and `/health`. Templates can be swapped while it serves: Apollo Server takes the new schema
 * through its gateway interface (the documented way to change a running server's schema), and
 * each request executes against the schema it was validated with, so a swap drops no request.
 */
import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { execute } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { handleGraphQLRequest } from '../../core/apollo-http';
import { CharterError, graphqlError } from '../../core/errors';
import { bearerTokenCheck, listen, requestUrl, sendJson } from '../../core/http';
import { admitGatewayRequest, type GatewayRequestVerifier } from '../../core/principal-signature';
import type { RunningServer } from '../../core/http';
import { createLogger } from '../../core/logger';
import type { AiConfig, TenantBudget } from './models';
import { budgetFromConfig } from './models';
import type { LanguageModelResolver } from './providers';
import type { UsageLedger } from './usage/ledger';
import { createAiSubgraph } from './subgraph';
import type { AiSubgraph, AiSubgraphContext, Principal, SetTemplatesOutcome } from './subgraph';
import { createAiHttpRoutes } from './http-routes';
import { withSpendMetrics } from './usage/metered-ledger';

export interface AiSubgraphServerOptions {
  port?: number;
  host?: string;
  config: AiConfig;
  ledger: UsageLedger;
  /** Tenant budgets; defaults to the config's `ai.budgets`. */
  budgets?: (tenant: string) => TenantBudget;
  /** Prompt templates to serve at start (validated; an invalid set fails the start). */
  templates?: readonly unknown[];
  /**
   * The verified caller (from the gateway's signed header). On `/graphql` null means the
   * `anonymous` tenant; on `/v1/*` it is answered 401. Throw a CharterError to refuse a request.
   */
  resolvePrincipal?: (req: http.IncomingMessage) => Principal | null | Promise<Principal | null>;
  /**
   * Verifies the gateway's signature over principal and body before any route runs; a request
   * that fails gets 401, and the verified principal is what `resolvePrincipal` returns.
   */
  verify?: GatewayRequestVerifier;
  resolveModel?: LanguageModelResolver;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * Bearer token `/metrics` requires (AI spend by tenant and model). Without one, `/metrics`
   * refuses every caller; it needs no gateway signature (a scraper calls it directly).
   */
  metricsToken?: string;
}

export interface RunningAiSubgraphServer extends RunningServer {
  readonly subgraph: AiSubgraph;
  /** Swap the templates; the next requests see the new fields. */
  setTemplates(templates: readonly unknown[]): SetTemplatesOutcome;
}

type SchemaGateway = ApolloServerOptionsWithGateway<AiSubgraphContext>['gateway'];

/** A minimal Apollo gateway: hands Apollo the subgraph's schema now and after every swap. */
function schemaGateway(subgraph: AiSubgraph): SchemaGateway {
  const callbacks = new Set<(schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void>();
  let unsubscribe: (() => void) | undefined;
  return {
    onSchemaLoadOrUpdate(callback) {
      callbacks.add(callback);
      callback({ apiSchema: subgraph.schema, coreSupergraphSdl: subgraph.typeDefs });
      return () => callbacks.delete(callback);
    },
    async load() {
      unsubscribe = subgraph.onSchemaChange((schema, typeDefs) => {
        for (const callback of callbacks) callback({ apiSchema: schema, coreSupergraphSdl: typeDefs });
      });
      return {
        // The schema Apollo validated this request with, so a swap mid-request cannot mismatch.
        executor: async (requestContext) =>
          execute({
            schema: requestContext.schema,
            document: requestContext.document,
            contextValue: requestContext.context,
            variableValues: requestContext.request.variables,
            operationName: requestContext.operationName ?? undefined,
          }),
      };
    },
    async stop() {
      unsubscribe?.();
    },
  };
}

export async function startAiSubgraphServer(options: AiSubgraphServerOptions): Promise<RunningAiSubgraphServer> {
  const logger = createLogger('subgraph:ai');
  const budgets = options.budgets ?? ((tenant: string) => budgetFromConfig(options.config, tenant));
  const { ledger, metrics } = withSpendMetrics(options.ledger);
  const metricsAllowed = bearerTokenCheck(options.metricsToken);
  const subgraph = createAiSubgraph({ config: options.config, ledger, budgets, templates: options.templates, resolveModel: options.resolveModel });
  const verified = new WeakMap<http.IncomingMessage, Principal>();
  const resolvePrincipal = options.resolvePrincipal ?? ((req: http.IncomingMessage) => verified.get(req) ?? null);
  const routes = createAiHttpRoutes({ service: subgraph.service, templates: (name) => subgraph.getTemplate(name), resolvePrincipal, budgets, maxBodyBytes: options.maxBodyBytes });
  const apollo = new ApolloServer<AiSubgraphContext>({
    gateway: schemaGateway(subgraph),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

  let server: RunningServer;
  try {
    server = await listen(
      async (req, res) => {
        const { pathname } = requestUrl(req);
        if (pathname === '/metrics' && req.method === 'GET') {
          if (!metricsAllowed(req)) return sendJson(res, 401, { error: { code: 'UNAUTHENTICATED', message: '/metrics needs Authorization: Bearer <metrics token>' } });
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(await metrics.registry.metrics());
          return;
        }
        if (options.verify && pathname !== '/health') {
          const principal = await admitGatewayRequest(req, res, options.verify, maxBodyBytes);
          if (!principal) return;
          verified.set(req, principal);
        }
        if (pathname === '/graphql' && (req.method === 'POST' || req.method === 'GET')) {
          const controller = new AbortController();
          res.once('close', () => {
            if (!res.writableFinished) controller.abort(new Error('client disconnected'));
          });
          await handleGraphQLRequest(apollo, req, res, {
            maxBodyBytes,
            context: async (request) => {
              try {
                const principal = await resolvePrincipal(request);
                return { principal: principal ?? undefined, signal: controller.signal };
              } catch (err) {
                // Apollo answers a context failure with 500 unless the error names its HTTP status.
                if (err instanceof CharterError) throw graphqlError(err.code, err.message, { http: { status: err.status } });
                throw err;
              }
            },
          });
          return;
        }
        if (pathname === '/health' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
        if (await routes(req, res)) return;
        sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No route ${req.method} ${pathname}` } });
      },
      { port: options.port, host: options.host, onError: (err) => logger.error({ err }, 'request failed') },
    );
  } catch (err) {
    await apollo.stop();
    throw err;
  }
  return {
    url: server.url,
    port: server.port,
    server: server.server,
    subgraph,
    setTemplates: (templates) => subgraph.setTemplates(templates),
    close: async () => {
      await server.close();
      await apollo.stop();
    },
  };
}
