/**
 * Small helpers over node:http shared by every Charter server: a router-less listener with a
 * body-size cap, JSON replies, and a start/stop handle that knows its real port.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CharterError } from './errors';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

export interface ListenOptions {
  port?: number;
  host?: string;
  /** Called for an error a handler did not turn into a response; it never crashes the process. */
  onError?: (err: unknown) => void;
}

/** Start an HTTP server; a thrown CharterError becomes its HTTP status, anything else a masked 500. */
export async function listen(handler: Handler, options: ListenOptions = {}): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        if (!(err instanceof CharterError)) options.onError?.(err);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof CharterError) sendJson(res, err.status, err.toJSON());
        else sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
      });
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * A check of `Authorization: Bearer <token>` against one configured token, in constant time (both
 * sides hashed first, so neither length nor content leaks through timing). No token → every
 * request is refused: an endpoint guarded this way is closed until someone configures it.
 */
export function bearerTokenCheck(token: string | undefined): (req: http.IncomingMessage) => boolean {
  if (!token) return () => false;
  const expected = crypto.createHash('sha256').update(token).digest();
  return (req) => {
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
    const given = crypto.createHash('sha256').update(header.slice('Bearer '.length).trim()).digest();
    return crypto.timingSafeEqual(given, expected);
  };
}

// Bodies already read by an earlier step (e.g. to verify a signature over them), so later readers
// of the same request get them instead of waiting on a drained stream.
const readBodies = new WeakMap<http.IncomingMessage, Buffer>();

/** Read a request body, refusing more than `maxBytes` with 413 before buffering it all. */
export async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const known = readBodies.get(req);
  if (known) return known;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new CharterError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new CharterError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  readBodies.set(req, body);
  return body;
}

/** Parse a JSON body, with a 400 that says so when it is not JSON. */
export async function readJson(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new CharterError('BAD_REQUEST', 'Request body is not valid JSON');
  }
}

export function requestUrl(req: http.IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}
