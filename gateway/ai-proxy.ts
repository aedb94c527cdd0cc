/**
 * The gateway's OpenAI-compatible surface (`/v1/chat/completions`, `/v1/models`, `/v1/prompts/*`):
 * authenticated like GraphQL, then passed to the AI subgraph with the principal signed over the
 * body. Responses stream through unbuffered (server-sent events), and a client that hangs up aborts
 * the upstream call, which aborts the provider call.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { readBody } from '../core/http';
import { encodePrincipal, PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../core/principal-signature';
import type { Principal } from './auth/principal';
import { errorResponse, type Answer } from './pipeline/answer';

/** The AI subgraph's name in the supergraph: `/v1` calls are signed for it. */
export const AI_SUBGRAPH = 'ai';

/** Where a subgraph lives, read from the supergraph's `join__Graph` enum. */
export function subgraphUrlFromSupergraph(supergraphSdl: string, name: string): string | null {
  const match = new RegExp(`@join__graph\\(name: "${name}", url: "([^"]+)"\\)`).exec(supergraphSdl);
  return match ? match[1]! : null;
}

/** Errors before the upstream answers are OpenAI-shaped answers; once streaming, the response is written here. */
const WRITTEN: Answer = Object.freeze({ status: 200, written: true });

export async function proxyToAiSubgraph(req: http.IncomingMessage, res: http.ServerResponse, options: { principal: Principal; aiGraphqlUrl: string | null; secret: string; maxBodyBytes: number; path: string }): Promise<Answer> {
  if (!options.aiGraphqlUrl) return errorResponse('NOT_FOUND', 'The AI subgraph is not part of the current supergraph', { shape: 'openai' });
  const body = req.method === 'POST' ? await readBody(req, options.maxBodyBytes) : Buffer.alloc(0);
  const principal = encodePrincipal(options.principal);
  const target = options.aiGraphqlUrl.replace(/\/graphql$/, '') + options.path;
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers: {
        'content-type': req.headers['content-type'] ?? 'application/json',
        accept: req.headers.accept ?? '*/*',
        [PRINCIPAL_HEADER]: principal,
        [SIGNATURE_HEADER]: signRequest(options.secret, principal, { method: req.method ?? 'GET', audience: AI_SUBGRAPH, pathAndQuery: new URL(target).pathname, body }),
      },
      body: req.method === 'POST' ? body.toString('utf8') : undefined,
      signal: controller.signal,
    });
  } catch {
    // The client hung up: nothing to answer, and nothing was written.
    if (controller.signal.aborted) return { ...WRITTEN, status: 499 };
    return errorResponse('UPSTREAM_UNAVAILABLE', 'The AI subgraph could not be reached', { shape: 'openai' });
  }
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'cache-control', 'retry-after']) {
    const value = upstream.headers.get(name);
    if (value) headers[name] = value;
  }
  res.writeHead(upstream.status, headers);
  const written = upstream.status === 200 ? WRITTEN : { status: upstream.status, written: true };
  if (!upstream.body) {
    res.end();
    return written;
  }
  // Piped chunk by chunk, so server-sent events reach the client as the model produces them.
  const stream = Readable.fromWeb(upstream.body as WebReadableStream);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return written;
}
