/**
 * Serve an Apollo Server over plain node:http (the integration Apollo documents for custom
 * frameworks). Owning this path lets the gateway add its own routes and keep per-request work small.
 */
import type http from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { readBody, requestUrl } from './http';

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  maxBodyBytes: number;
  context: (req: http.IncomingMessage) => Promise<TContext>;
}

export async function handleGraphQLRequest<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: GraphQLHttpOptions<TContext>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown = undefined;
  if (req.method === 'POST') {
    // readBody returns the body an earlier step already read (e.g. to verify a signature over it).
    const raw = await readBody(req, options.maxBodyBytes);
    const type = headers.get('content-type') ?? '';
    // Apollo Server answers a non-JSON body with 400 itself; only JSON is parsed here.
    if (type.startsWith('application/json') || type.startsWith('application/graphql-response+json')) {
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
    } else {
      body = raw.toString('utf8');
    }
  }
  const url = requestUrl(req);
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context: () => options.context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
