/**
 * A small, generic REST JSON server over node:http: the kind of API the REST-wrapped subgraphs
 * front. It serves in-memory collections with single, batch, filter and list routes, counts the
 * requests it answers (so tests can prove batching), and can be slowed down or taken down.
 */
import type http from 'node:http';
import { listen, readJson, requestUrl, sendJson } from '../../../core/http';

export type RestItem = Record<string, unknown>;

export interface RestBackendOptions {
  /** Shown in logs and stats; not part of any route. */
  name: string;
  /** Collection name -> items. `GET /<name>/:id` matches an item's `id` field. */
  collections: Record<string, RestItem[]>;
  /** Delay before every data answer (not `/_stats`), to make batching and timeouts visible. */
  latencyMs?: number;
  port?: number;
  host?: string;
  /** Served at `GET /openapi.json` (not counted in stats), as real services publish their description. */
  openapi?: object;
}

export interface RestBackendStats {
  /** Requests answered on data routes (any status); `/_stats` calls are not counted. */
  requests: number;
  /** The same, per URL path without the query string (e.g. `/users`, `/users/7`). */
  byPath: Record<string, number>;
}

export interface RestBackend {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
  stats(): RestBackendStats;
  resetStats(): void;
  setLatency(ms: number): void;
  /** While down, every data route answers 503 (after the configured latency). */
  setDown(down: boolean): void;
}

/** Query params with a meaning of their own; any other param filters on the item field it names. */
const RESERVED_PARAMS = new Set(['ids', 'limit', 'offset']);

export async function startRestBackend(options: RestBackendOptions): Promise<RestBackend> {
  let latencyMs = options.latencyMs ?? 0;
  let down = false;
  let stats: RestBackendStats = { requests: 0, byPath: {} };
  const collections = new Map(Object.entries(options.collections).map(([name, items]) => [name, indexCollection(items)]));

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (url.pathname === '/openapi.json' && options.openapi && req.method === 'GET') return sendJson(res, 200, options.openapi);
    if (url.pathname === '/_stats' || url.pathname === '/_stats/reset') {
      answerStats(req, res, url.pathname);
      return;
    }
    stats.requests += 1;
    stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
    if (latencyMs > 0) await delay(latencyMs);
    if (down) return sendError(res, 503, 'UNAVAILABLE', `Backend "${options.name}" is down`);
    const [collectionName, id, ...rest] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const collection = collectionName === undefined ? undefined : collections.get(collectionName);
    if (!collection || rest.length > 0) return sendError(res, 404, 'NOT_FOUND', `No route ${url.pathname}`);
    if (req.method !== 'GET') return answerWrite(req, res, collection, collectionName!, id);
    if (id !== undefined) {
      const item = collection.byId.get(id);
      if (!item) return sendError(res, 404, 'NOT_FOUND', `${collectionName} ${id} not found`);
      return sendJson(res, 200, item);
    }
    const result = queryCollection(collection, url.searchParams);
    if ('error' in result) return sendError(res, 400, 'BAD_REQUEST', result.error);
    sendJson(res, 200, result.items);
  };

  /** Idempotency-Key -> the answer first given for it, as payment APIs do: a repeated create creates nothing. */
  const idempotentAnswers = new Map<string, { status: number; body: unknown }>();

  async function answerWrite(req: http.IncomingMessage, res: http.ServerResponse, collection: IndexedCollection, collectionName: string, id: string | undefined): Promise<void> {
    const idempotencyKey = req.headers['idempotency-key'];
    const remembered = typeof idempotencyKey === 'string' ? idempotentAnswers.get(`${req.method} ${req.url} ${idempotencyKey}`) : undefined;
    if (remembered) return sendJson(res, remembered.status, remembered.body, { 'idempotent-replayed': 'true' });
    const outcome = await applyWrite(req, collection, collectionName, id);
    if (typeof idempotencyKey === 'string' && outcome.status < 300) idempotentAnswers.set(`${req.method} ${req.url} ${idempotencyKey}`, outcome);
    if (outcome.status === 204) {
      res.writeHead(204).end();
      return;
    }
    sendJson(res, outcome.status, outcome.body);
  }

  async function applyWrite(req: http.IncomingMessage, collection: IndexedCollection, collectionName: string, id: string | undefined): Promise<{ status: number; body: unknown }> {
    const failure = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
    let body: unknown;
    if (req.method !== 'DELETE') {
      try {
        body = await readJson(req, 1_000_000);
      } catch {
        return failure(400, 'BAD_REQUEST', 'The body is not JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return failure(400, 'BAD_REQUEST', 'The body must be a JSON object');
    }
    const fields = body as RestItem;
    if (req.method === 'POST' && id === undefined) {
      const newId = fields.id === undefined ? String(nextId(collection)) : String(fields.id);
      if (collection.byId.has(newId)) return failure(409, 'CONFLICT', `${collectionName} ${newId} already exists`);
      const item = { ...fields, id: newId };
      addItem(collection, item);
      return { status: 201, body: item };
    }
    if (id === undefined) return failure(405, 'METHOD_NOT_ALLOWED', `${req.method} needs /${collectionName}/:id`);
    const existing = collection.byId.get(id);
    if (!existing) return failure(404, 'NOT_FOUND', `${collectionName} ${id} not found`);
    switch (req.method) {
      case 'PUT':
      case 'PATCH': {
        const item = req.method === 'PUT' ? { ...fields, id } : { ...existing, ...fields, id };
        replaceItem(collection, existing, item);
        return { status: 200, body: item };
      }
      case 'DELETE':
        collection.items.splice(collection.items.indexOf(existing), 1);
        collection.byId.delete(id);
        return { status: 204, body: null };
      default:
        return failure(405, 'METHOD_NOT_ALLOWED', `${req.method} is not served`);
    }
  }

  function answerStats(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
    if (pathname === '/_stats' && req.method === 'GET') return sendJson(res, 200, stats);
    if (pathname === '/_stats/reset' && req.method === 'POST') {
      stats = { requests: 0, byPath: {} };
      return sendJson(res, 200, stats);
    }
    sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} ${pathname} is not served`);
  }

  const server = await listen(handler, { port: options.port, host: options.host });
  return {
    name: options.name,
    url: server.url,
    close: () => server.close(),
    // A copy, so a caller's snapshot does not change under it.
    stats: () => ({ requests: stats.requests, byPath: { ...stats.byPath } }),
    resetStats: () => {
      stats = { requests: 0, byPath: {} };
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setDown: (value) => {
      down = value;
    },
  };
}

interface IndexedCollection {
  items: RestItem[];
  byId: Map<string, RestItem>;
  /** Every field some item has: a filter on any other field is a client mistake (400). */
  fields: Set<string>;
}

function addItem(collection: IndexedCollection, item: RestItem): void {
  collection.items.push(item);
  collection.byId.set(String(item.id), item);
  for (const field of Object.keys(item)) collection.fields.add(field);
}

function replaceItem(collection: IndexedCollection, existing: RestItem, item: RestItem): void {
  collection.items[collection.items.indexOf(existing)] = item;
  collection.byId.set(String(item.id), item);
  for (const field of Object.keys(item)) collection.fields.add(field);
}

/** The next numeric id: one more than the largest numeric id so far. */
function nextId(collection: IndexedCollection): number {
  let max = 0;
  for (const key of collection.byId.keys()) if (/^\d+$/.test(key)) max = Math.max(max, Number(key));
  return max + 1;
}

function indexCollection(source: RestItem[]): IndexedCollection {
  // A copy: writes must not change the caller's (often shared, demo) array.
  const items = [...source];
  const byId = new Map<string, RestItem>();
  const fields = new Set<string>();
  for (const item of items) {
    if (item.id !== undefined && item.id !== null) byId.set(String(item.id), item);
    for (const field of Object.keys(item)) fields.add(field);
  }
  return { items, byId, fields };
}

/** `?ids=` (batch, in the order asked), `?<field>=a,b` (filter), then `?limit=&offset=` (page). */
function queryCollection(collection: IndexedCollection, params: URLSearchParams): { items: RestItem[] } | { error: string } {
  const limit = readCount(params, 'limit');
  if (typeof limit === 'string') return { error: limit };
  const offset = readCount(params, 'offset');
  if (typeof offset === 'string') return { error: offset };

  let items = collection.items;
  const ids = params.get('ids');
  if (ids !== null) {
    items = splitList(ids).flatMap<RestItem>((id) => collection.byId.get(id) ?? []);
  }
  for (const [param, value] of params) {
    if (RESERVED_PARAMS.has(param)) continue;
    if (!collection.fields.has(param)) return { error: `Unknown query parameter "${param}": not a field of this collection` };
    const wanted = new Set(splitList(value));
    items = items.filter((item) => item[param] !== undefined && item[param] !== null && wanted.has(String(item[param])));
  }
  const start = offset ?? 0;
  return { items: items.slice(start, limit === undefined ? undefined : start + limit) };
}

/** A non-negative integer param, undefined when absent, or an error message naming the param. */
function readCount(params: URLSearchParams, name: string): number | undefined | string {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) return `Query parameter "${name}" must be a non-negative integer, got "${raw}"`;
  return Number(raw);
}

function splitList(value: string): string[] {
  return value.split(',').filter((part) => part !== '');
}

function sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
