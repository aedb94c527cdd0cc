/**
 * The gateway: one GraphQL endpoint over the supergraph. Charter owns the HTTP layer and the steps
 * before planning (identity, parsing, the tenant's schema view, authorization); Apollo Server and
 * @apollo/gateway plan and execute. The listener starts first, so `/health` answers at once and
 * `/ready` tells when a supergraph is loaded.
 */
import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { CharterError } from '../core/errors';
import { listen, requestUrl, sendJson, type RunningServer } from '../core/http';
import { createLogger, type Logger } from '../core/logger';
import type { ApiKeyDirectory } from './auth/api-keys';
import { proxyToAiSubgraph, subgraphUrlFromSupergraph } from './ai-proxy';
import { createAuthenticator } from './auth/authenticate';
import type { JwtVerifier } from './auth/jwt';
import type { Principal } from './auth/principal';
import { serveGraphiQLAsset, serveGraphiQLPage, wantsGraphiQL } from './graphiql';
import { DocumentCache } from './pipeline/document-cache';
import { readGraphQLParams } from './pipeline/request-params';
import { runOperation, type OperationDeps } from './pipeline/run-operation';
import { signedServiceBuilder } from './subgraph-calls';
import type { SupergraphSource } from './supergraph/supergraph-source';
import type { TenantDirectory } from './tenants/tenant-directory';

export interface GatewayOptions {
  source: SupergraphSource;
  /** API keys of the configured tenants. */
  keys?: ApiKeyDirectory;
  /** JWT bearer tokens; with neither keys nor JWT, access is anonymous (with a warning). */
  jwt?: JwtVerifier;
  /** Tenants' policies and plans; none means every caller may query everything. */
  tenants?: TenantDirectory;
  /** Secret shared with subgraphs to sign the forwarded principal. */
  subgraphSecret: string;
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

function errorBody(code: string, message: string): { errors: Array<{ message: string; extensions: { code: string } }> } {
  return { errors: [{ message, extensions: { code } }] };
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const introspection = options.introspection ?? process.env.NODE_ENV !== 'production';
  const authenticate = createAuthenticator({ keys: options.keys, jwt: options.jwt });
  if (authenticate.anonymous) logger.warn('no API keys or JWT issuer are configured: the gateway serves anonymous requests');

  const gateway = new ApolloGateway({ supergraphSdl: options.source, buildService: signedServiceBuilder(options.subgraphSecret), logger });
  let apiSchema: GraphQLSchema | null = null;
  let aiGraphqlUrl: string | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema, coreSupergraphSdl }) => {
    apiSchema = schema;
    aiGraphqlUrl = subgraphUrlFromSupergraph(coreSupergraphSdl, 'ai');
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Charter answers introspection itself, from each tenant's view; Apollo never sees it.
    introspection: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginUsageReportingDisabled()],
    logger,
  });
  const ready = apollo.start();
  ready.catch((err) => logger.error({ err }, 'gateway failed to start'));

  const documents = new DocumentCache();
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;

  const serveGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    if (!apiSchema) return sendJson(res, 503, errorBody('NOT_READY', 'The gateway has no supergraph loaded yet'));
    const principal = await authenticate(req);
    if (!principal) return sendJson(res, 401, errorBody('UNAUTHENTICATED', 'Missing or invalid credentials'), { 'www-authenticate': 'Bearer, ApiKey header="x-api-key"' });
    let params;
    try {
      params = await readGraphQLParams(req, url, maxBodyBytes);
    } catch (err) {
      if (err instanceof CharterError) return sendJson(res, err.status, errorBody(err.code, err.message));
      throw err;
    }
    const deps: OperationDeps = { apollo, documents, tenants: options.tenants ?? null, apiSchema, introspection };
    const result = await runOperation(deps, params, principal, req.method ?? 'POST');
    sendJson(res, result.status, result.body);
  };

  const serveAi = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const principal = await authenticate(req);
    if (!principal) return sendJson(res, 401, { error: { message: 'Missing or invalid credentials', type: 'authentication_error', code: 'unauthenticated', param: null } });
    await proxyToAiSubgraph(req, res, { principal, aiGraphqlUrl, secret: options.subgraphSecret, maxBodyBytes, path: url.pathname });
  };

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (url.pathname.startsWith('/v1/')) return serveAi(req, res, url);
    switch (url.pathname) {
      case '/health':
        return sendJson(res, 200, { status: 'ok' });
      case '/ready':
        return apiSchema ? sendJson(res, 200, { status: 'ready', supergraph: options.source.currentVersion }) : sendJson(res, 503, { status: 'starting' });
      case '/graphql':
        if (introspection && wantsGraphiQL(req)) return serveGraphiQLPage(res, '/graphql');
        return serveGraphQL(req, res, url);
      default:
        if (introspection && url.pathname.startsWith('/graphiql/') && serveGraphiQLAsset(url.pathname, res)) return;
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${url.pathname}` } });
    }
  };

  const server = await listen(handler, { port: options.port, host: options.host, onError: (err) => logger.error({ err }, 'request failed') });
  return {
    ...server,
    ready,
    isReady: () => apiSchema !== null,
    apollo,
    close: async () => {
      await server.close();
      await ready.catch(() => undefined);
      await apollo.stop();
    },
  };
}
