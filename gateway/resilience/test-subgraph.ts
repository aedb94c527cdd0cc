/**
 * For tests: a real GraphQL subgraph on 127.0.0.1 (node:http + `@apollo/subgraph`) whose speed,
 * status and health can be changed while it runs, counting the requests it receives.
 */
import type http from 'node:http';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type GraphQLFieldResolver } from 'graphql';
import { listen, readJson, sendJson } from '../../core/http';

export interface TestSubgraphBehaviour {
  delayMs: number;
  /** Answer this HTTP status with a non-GraphQL body instead of executing (0 = execute). */
  failWithStatus: number;
  /** Answer the next N requests with 503 (counting down). */
  failNext: number;
  /** `GET /health` answers 200 when true, 503 when false. */
  healthy: boolean;
  /** Send the body in chunks without a content-length. */
  chunked: boolean;
}

export interface TestSubgraph {
  url: string;
  /** GraphQL requests received (POSTs), with their operation text. */
  readonly received: Array<{ query: string; headers: http.IncomingHttpHeaders }>;
  behaviour: TestSubgraphBehaviour;
  close(): Promise<void>;
}

export async function startTestSubgraph(typeDefs: string, resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, unknown>>>): Promise<TestSubgraph> {
  const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never });
  const received: TestSubgraph['received'] = [];
  const state: TestSubgraph = { url: '', received, behaviour: { delayMs: 0, failWithStatus: 0, failNext: 0, healthy: true, chunked: false }, close: async () => undefined };
  const server = await listen(async (req, res) => {
    if (req.method === 'GET' && req.url === '/health') return sendJson(res, state.behaviour.healthy ? 200 : 503, {});
    const body = (await readJson(req, 1_000_000)) as { query: string; variables?: Record<string, unknown> };
    received.push({ query: body.query, headers: req.headers });
    if (state.behaviour.delayMs > 0) await new Promise((r) => setTimeout(r, state.behaviour.delayMs));
    if (state.behaviour.failWithStatus || state.behaviour.failNext > 0) {
      const status = state.behaviour.failWithStatus || 503;
      if (state.behaviour.failNext > 0) state.behaviour.failNext--;
      res.writeHead(status, { 'content-type': 'text/plain' });
      return void res.end('upstream broke');
    }
    const result = await execute({ schema, document: parse(body.query), variableValues: body.variables });
    if (!state.behaviour.chunked) return sendJson(res, 200, result);
    res.writeHead(200, { 'content-type': 'application/json' });
    const text = JSON.stringify(result);
    for (let i = 0; i < text.length; i += 1000) res.write(text.slice(i, i + 1000));
    res.end();
  });
  state.url = `${server.url}/graphql`;
  state.close = () => server.close();
  return state;
}

/** Send one operation through a data source the way the gateway does, outside a gateway. */
export function sendThrough(dataSource: GraphQLDataSource, query: string): Promise<GatewayGraphQLResponse> {
  // A health-check call carries no incoming request context: enough for the data source's own logic.
  return dataSource.process({ kind: 'health check', request: { query }, context: {} } as unknown as GraphQLDataSourceProcessOptions);
}
