/**
 * Serve one subgraph schema over HTTP: Apollo Server on `POST /graphql`, `GET /health` for
 * probes, JSON 404 for anything else.
 */
import type http from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { handleGraphQLRequest } from '../core/apollo-http';
import { listen, requestUrl, sendJson, type RunningServer } from '../core/http';
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
}

export async function startSubgraphServer(options: SubgraphServerOptions): Promise<RunningServer> {
  const logger = createLogger(`subgraph:${options.name}`);
  const apollo = new ApolloServer<BaseContext>({
    schema: options.schema,
    // Subgraphs answer the gateway, not end users; still, stack traces never leave the process.
    includeStacktraceInErrorResponses: false,
    // Federated traces (ftv1) feed Apollo Studio, which Charter does not use; they cost time per request.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
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
          await handleGraphQLRequest(apollo, req, res, { maxBodyBytes, context: (request) => context(request) as Promise<BaseContext> });
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
