/**
 * A minimal GraphQL-over-HTTP server for the benchmark's in-memory subgraphs and monolith: parse
 * and validate once per distinct query text, execute with graphql-js, answer JSON. No framework,
 * no plugins, so the subgraphs cost as little CPU as possible and the gateway stays the bottleneck.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

export interface GraphQLHttpServer {
  url: string;
  /** GraphQL requests received so far (the correctness test counts a plan's fetches with it). */
  readonly requests: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function serveGraphQL(schema: GraphQLSchema, rootValue?: unknown): Promise<GraphQLHttpServer> {
  const documents = new Map<string, DocumentNode | readonly unknown[]>();
  const documentOf = (query: string): DocumentNode | readonly unknown[] => {
    let known = documents.get(query);
    if (!known) {
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        known = errors.length ? errors.map((e) => e.toJSON()) : document;
      } catch (err) {
        known = [{ message: err instanceof Error ? err.message : String(err) }];
      }
      if (documents.size > 1000) documents.clear();
      documents.set(query, known);
    }
    return known;
  };
  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  let requests = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') requests++;
    if (req.method !== 'POST') return answer(res, req.url === '/health' ? 200 : 404, { status: req.url === '/health' ? 'ok' : 'not found' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return answer(res, 413, { errors: [{ message: 'request too large' }] });
      let request: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof request;
      } catch {
        return answer(res, 400, { errors: [{ message: 'body is not JSON' }] });
      }
      if (typeof request.query !== 'string') return answer(res, 400, { errors: [{ message: 'query missing' }] });
      const document = documentOf(request.query);
      if (Array.isArray(document)) return answer(res, 400, { errors: document });
      Promise.resolve(
        execute({
          schema,
          document: document as DocumentNode,
          rootValue,
          contextValue: {},
          variableValues: (request.variables ?? undefined) as Record<string, unknown> | undefined,
          operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
        }),
      ).then(
        (result) => answer(res, 200, result),
        (err: unknown) => answer(res, 500, { errors: [{ message: err instanceof Error ? err.message : String(err) }] }),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    get requests() {
      return requests;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
