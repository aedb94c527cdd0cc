/**
 * The registry's HTTP API (JSON). Gateways read the supergraph with conditional, long-polled GETs:
 * `If-None-Match` answers 304 when nothing changed, and `waitMs` holds the request open until a new
 * version lands, so a gateway learns of a publish at once without Redis.
 */
import type http from 'node:http';
import { CharterError } from '../core/errors';
import { readJson, requestUrl, sendJson, type Handler } from '../core/http';
import type { SchemaPublisher } from './publisher';
import type { SchemaVersion } from './types';

const MAX_WAIT_MS = 30_000;
const MAX_PUBLISH_BYTES = 10 * 1024 * 1024;

export function etagOf(version: Pick<SchemaVersion, 'variant' | 'id'>): string {
  return `"${version.variant}:${version.id}"`;
}

export function createRegistryHandler(publisher: SchemaPublisher): Handler {
  const store = publisher.store;
  return async (req, res) => {
    const url = requestUrl(req);
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (parts[0] !== 'api' || parts[1] !== 'variants' || !parts[2]) throw new CharterError('NOT_FOUND', `No route for ${req.method} ${url.pathname}`);
    const variant = decodeURIComponent(parts[2]);
    const route = `${req.method} ${parts.slice(3).join('/')}`;

    if (route === 'POST subgraphs') {
      const body = await readJson(req, MAX_PUBLISH_BYTES);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CharterError('BAD_REQUEST', 'Body must be a JSON object {name, url, sdl}');
      const outcome = await publisher.publish({ ...(body as object), variant });
      switch (outcome.status) {
        case 'published':
          return sendJson(res, 201, outcome);
        case 'unchanged':
          return sendJson(res, 200, outcome);
        case 'rejected':
          return sendJson(res, outcome.code === 'BAD_REQUEST' ? 400 : 422, { status: 'rejected', error: { code: outcome.code, message: outcome.message, problems: outcome.problems } });
        default: {
          const never: never = outcome;
          throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
        }
      }
    }
    if (route === 'GET supergraph') return serveSupergraph(publisher, variant, req, res, url);
    if (route === 'GET subgraphs') {
      const head = await store.head(variant);
      return sendJson(res, 200, { variant, versionId: head?.id ?? null, subgraphs: head?.subgraphs ?? [] });
    }
    if (route === 'GET versions') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      if (!Number.isInteger(limit) || limit < 1) throw new CharterError('BAD_REQUEST', 'limit must be a positive integer');
      return sendJson(res, 200, { variant, versions: await store.history(variant, limit) });
    }
    if (req.method === 'GET' && parts[3] === 'versions' && parts[4] && parts.length === 5) {
      const id = Number(parts[4]);
      if (!Number.isInteger(id)) throw new CharterError('BAD_REQUEST', 'version id must be an integer');
      const version = await store.version(variant, id);
      if (!version) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no version ${id}`);
      return sendJson(res, 200, version);
    }
    throw new CharterError('NOT_FOUND', `No route for ${req.method} ${url.pathname}`);
  };
}

async function serveSupergraph(publisher: SchemaPublisher, variant: string, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const waitMs = Math.min(Number(url.searchParams.get('waitMs') ?? 0) || 0, MAX_WAIT_MS);
  const known = req.headers['if-none-match'];
  let head = await publisher.store.head(variant);
  if (head && known === etagOf(head) && waitMs > 0) {
    head = await waitForNewVersion(publisher, variant, waitMs, req);
  }
  if (!head) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no published supergraph yet`);
  const etag = etagOf(head);
  if (known === etag) {
    res.writeHead(304, { etag });
    res.end();
    return;
  }
  sendJson(res, 200, { variant, id: head.id, createdAt: head.createdAt, supergraphSdl: head.supergraphSdl }, { etag });
}

/** Resolve with the head once a newer version is published, or the current head after `waitMs`. */
function waitForNewVersion(publisher: SchemaPublisher, variant: string, waitMs: number, req: http.IncomingMessage): Promise<SchemaVersion | null> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      publisher.off('published', onPublished);
      req.off('close', done);
      resolve(publisher.store.head(variant));
    };
    const onPublished = (version: SchemaVersion): void => {
      if (version.variant === variant) done();
    };
    const timer = setTimeout(done, waitMs);
    publisher.on('published', onPublished);
    req.on('close', done);
  });
}
