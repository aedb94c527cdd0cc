/**
 * Serve one subgraph schema over HTTP: Apollo Server on `POST /graphql`, `GET /health` for
 * probes, JSON 404 for anything else.
 */
import type http from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { handleGraphQLRequest } from '../core/apollo-http';
import { listen, requestUrl, sendJson, type RunningServer } from '../core/http';
import { admitGatewayRequest, type GatewayRequestVerifier } from '../core/principal-signature';
import { createLogger } from '../core/logger';

export interface SubgraphServerOptions {
  name: string;
  schema: GraphQLSchema;
  port?: number;
  host?: string;
  /** Builds each request's context; a fresh `{}` by default (REST loaders are keyed by it). */
  context?: (req: http.IncomingMessage) => Promise<object>;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * Verifies the gateway's signature over the principal and body. When set, unsigned, forged,
   * stale or replayed requests get 401 and the verified principal is in `context.principal`.
   */
  verify?: GatewayRequestVerifier;
  /**
   * Cache hint for answers without `@cacheControl` hints of their own, sent as `Cache-Control` so
   * the gateway may cache them (default 0: not cacheable).
   */
  cacheMaxAgeSec?: number;
}

export async function startSubgraphServer(options: SubgraphServerOptions): Promise<RunningServer> {
  const logger = createLogger(`subgraph:${options.name}`);
  const apollo = new ApolloServer<BaseContext>({
    schema: options.schema,
    // Subgraphs answer the gateway, not end users; still, stack traces never leave the process.
    includeStacktraceInErrorResponses: false,
    // Federated traces (ftv1) feed Apollo Studio, which Charter does not use; they cost time per request.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControl({ defaultMaxAge: options.cacheMaxAgeSec ?? 0 })],
  });
  await apollo.start();
  const context = options.context ?? (async () => ({}));
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

  let server: RunningServer;
  try {
    server = await listen(
      async (req, res) => {
        const { pathname } = requestUrl(req);
        if (pathname === '/graphql' && (req.method === 'POST' || req.method === 'GET')) {
          if (!options.verify) {
            await handleGraphQLRequest(apollo, req, res, { maxBodyBytes, context: (request) => context(request) as Promise<BaseContext> });
            return;
          }
          const principal = await admitGatewayRequest(req, res, options.verify, maxBodyBytes, (reason) => logger.warn({ reason }, 'refused a request without a valid gateway signature'));
          if (!principal) return;
          await handleGraphQLRequest(apollo, req, res, {
            maxBodyBytes,
            context: async (request) => ({ ...(await context(request)), principal }) as BaseContext,
          });
          return;
        }
        if (pathname === '/health' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
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
    close: async () => {
      await server.close();
      await apollo.stop();
    },
  };
}
