/**
 * The gateway: one GraphQL endpoint (Apollo Server 5 + @apollo/gateway) over the supergraph, with
 * identity checked before Apollo sees the request. The HTTP listener starts first so `/health`
 * answers at once and `/ready` tells when a supergraph is loaded.
 */
import type http from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { handleGraphQLRequest } from '../core/apollo-http';
import { listen, requestUrl, sendJson, type RunningServer } from '../core/http';
import { createLogger, type Logger } from '../core/logger';
import type { ApiKeyDirectory } from './auth/api-keys';
import { ANONYMOUS, type Principal } from './auth/principal';
import { serveGraphiQLAsset, serveGraphiQLPage, wantsGraphiQL } from './graphiql';
import type { SupergraphSource } from './supergraph/supergraph-source';

export interface GatewayOptions {
  source: SupergraphSource;
  /** API keys of the configured tenants; none means anonymous access (with a warning). */
  keys?: ApiKeyDirectory;
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  /** Introspection and GraphiQL; default: on unless NODE_ENV=production. */
  introspection?: boolean;
  logger?: Logger;
}

export interface GatewayContext {
  principal: Principal;
}

export interface RunningGateway extends RunningServer {
  readonly ready: Promise<void>;
  isReady(): boolean;
  apollo: ApolloServer<GatewayContext>;
}

function graphqlErrorBody(code: string, message: string): { errors: Array<{ message: string; extensions: { code: string } }> } {
  return { errors: [{ message, extensions: { code } }] };
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const introspection = options.introspection ?? process.env.NODE_ENV !== 'production';
  const keys = options.keys && options.keys.size > 0 ? options.keys : null;
  if (!keys) logger.warn('no tenants with API keys are configured: the gateway serves anonymous requests');

  const gateway = new ApolloGateway({
    supergraphSdl: options.source,
    buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
    logger,
  });
  let loaded = false;
  gateway.onSchemaLoadOrUpdate(() => {
    loaded = true;
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection,
    includeStacktraceInErrorResponses: false,
    // No "Did you mean …" suggestions: they would reveal field names a tenant may not see.
    hideSchemaDetailsFromClientErrors: true,
    plugins: [ApolloServerPluginLandingPageDisabled()],
    logger,
  });
  const ready = apollo.start();
  ready.catch((err) => logger.error({ err }, 'gateway failed to start'));

  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    switch (url.pathname) {
      case '/health':
        return sendJson(res, 200, { status: 'ok' });
      case '/ready':
        return loaded ? sendJson(res, 200, { status: 'ready', supergraph: options.source.currentVersion }) : sendJson(res, 503, { status: 'starting' });
      case '/graphql': {
        if (introspection && wantsGraphiQL(req)) return serveGraphiQLPage(res, '/graphql');
        if (!loaded) return sendJson(res, 503, graphqlErrorBody('NOT_READY', 'The gateway has no supergraph loaded yet'));
        const principal = identify(req, keys);
        if (!principal) return sendJson(res, 401, graphqlErrorBody('UNAUTHENTICATED', 'Missing or invalid credentials'), { 'www-authenticate': 'ApiKey header="x-api-key"' });
        return handleGraphQLRequest(apollo, req, res, { maxBodyBytes, context: async () => ({ principal }) });
      }
      default:
        if (introspection && url.pathname.startsWith('/graphiql/') && serveGraphiQLAsset(url.pathname, res)) return;
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${url.pathname}` } });
    }
  };

  const server = await listen(handler, { port: options.port, host: options.host, onError: (err) => logger.error({ err }, 'request failed') });
  return {
    ...server,
    ready,
    isReady: () => loaded,
    apollo,
    close: async () => {
      await server.close();
      await ready.catch(() => undefined);
      await apollo.stop();
    },
  };
}

function identify(req: http.IncomingMessage, keys: ApiKeyDirectory | null): Principal | null {
  if (!keys) return ANONYMOUS;
  const key = req.headers['x-api-key'];
  if (typeof key !== 'string' || key.length === 0 || key.length > 256) return null;
  return keys.lookup(key);
}
