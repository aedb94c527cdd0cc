/**
 * The registry's tenant and policy routes, under `/api/variants/:variant/tenants`:
 *
 *   GET    tenants                        the variant's tenant set (ETag; `waitMs` long-poll)   read
 *   GET    tenants/:id                    one tenant's current record                          read
 *   GET    tenants/:id/history            its versions, newest first (`limit`)                 read
 *   PUT    tenants/:id                    create or replace (policy checked against the API)   admin
 *   POST   tenants/:id/api-keys           generate a key: returned once, stored as a hash      admin
 *   DELETE tenants/:id/api-keys/:keyId    revoke a key                                         admin
 *
 * Gateways read the set with conditional, long-polled GETs like the supergraph: `If-None-Match`
 * answers 304 when nothing changed, and `waitMs` holds the request until a tenant version lands.
 * Key hashes are served to readers (a gateway needs them); keys never are.
 */
import type http from 'node:http';
import { CharterError } from '../core/errors';
import { readBody, readJson, sendJson } from '../core/http';
import type { Scope } from './auth';
import type { ApiKeyOutcome, TenantOutcome, TenantService } from './tenants/tenant-service';
import type { TenantSet } from './tenants/types';

const MAX_WAIT_MS = 30_000;
const MAX_TENANT_BYTES = 1024 * 1024;

export interface TenantRouteContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  variant: string;
  /** The path after the variant: `['tenants', id?, ...]`. */
  rest: string[];
  /** Throws a 403 CharterError unless the caller may do `action`. */
  allow: (action: Scope) => void;
}

export function tenantSetEtag(set: Pick<TenantSet, 'variant' | 'versionId'>): string {
  return `"tenants:${set.variant}:${set.versionId ?? 0}"`;
}

export async function serveTenantRoutes(service: TenantService | undefined, ctx: TenantRouteContext): Promise<void> {
  const { req, res, url, variant, rest } = ctx;
  if (!service) throw new CharterError('NOT_FOUND', 'This registry keeps no tenants');
  const [, rawId, sub, rawKeyId, ...extra] = rest;
  const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
  const method = req.method ?? 'GET';
  const noRoute = (): never => {
    throw new CharterError('NOT_FOUND', `No route for ${method} ${url.pathname}`);
  };
  if (extra.length > 0) noRoute();

  if (id === undefined) {
    if (method !== 'GET') noRoute();
    ctx.allow('read');
    return serveTenantSet(service, variant, req, res, url);
  }
  if (sub === undefined) {
    if (method === 'GET') {
      ctx.allow('read');
      const tenant = await service.get(variant, id);
      if (!tenant) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no tenant "${id}"`);
      return sendJson(res, 200, tenant);
    }
    if (method === 'PUT') {
      ctx.allow('admin');
      return sendTenantOutcome(res, await service.put(variant, id, await readJson(req, MAX_TENANT_BYTES)));
    }
    return noRoute();
  }
  if (sub === 'history' && rawKeyId === undefined && method === 'GET') {
    ctx.allow('read');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1) throw new CharterError('BAD_REQUEST', 'limit must be a positive integer');
    if (!(await service.get(variant, id))) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no tenant "${id}"`);
    return sendJson(res, 200, { variant, tenant: id, versions: await service.history(variant, id, limit) });
  }
  if (sub === 'api-keys' && rawKeyId === undefined && method === 'POST') {
    ctx.allow('admin');
    // The body is optional (`{id?, author?}`): an empty one means a generated key id.
    const raw = await readBody(req, 64 * 1024);
    const body = raw.length === 0 ? {} : await readJson(req, 64 * 1024);
    return sendTenantOutcome(res, await service.createApiKey(variant, id, body));
  }
  if (sub === 'api-keys' && rawKeyId !== undefined && method === 'DELETE') {
    ctx.allow('admin');
    return sendTenantOutcome(res, await service.deleteApiKey(variant, id, decodeURIComponent(rawKeyId), url.searchParams.get('author') ?? undefined));
  }
  return noRoute();
}

/** 201 when a tenant or key was created, 200 for other changes and no-ops, the code's status when refused. */
function sendTenantOutcome(res: http.ServerResponse, outcome: TenantOutcome | ApiKeyOutcome): void {
  switch (outcome.status) {
    case 'saved':
      return sendJson(res, outcome.created ? 201 : 200, outcome);
    case 'created':
      // The only answer that ever holds the key: tell caches not to keep it.
      return sendJson(res, 201, outcome, { 'cache-control': 'no-store' });
    case 'unchanged':
    case 'deleted':
      return sendJson(res, 200, outcome);
    case 'rejected': {
      const status = new CharterError(outcome.code, outcome.message).status;
      return sendJson(res, status, { status: 'rejected', error: { code: outcome.code, message: outcome.message, problems: outcome.problems } });
    }
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
    }
  }
}

async function serveTenantSet(service: TenantService, variant: string, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const waitMs = Math.min(Number(url.searchParams.get('waitMs') ?? 0) || 0, MAX_WAIT_MS);
  const known = req.headers['if-none-match'];
  let set = await service.list(variant);
  if (known === tenantSetEtag(set) && waitMs > 0) set = await waitForTenantChange(service, variant, waitMs, req);
  const etag = tenantSetEtag(set);
  if (known === etag) {
    res.writeHead(304, { etag });
    res.end();
    return;
  }
  sendJson(res, 200, set, { etag });
}

/** Resolves with the tenant set once a newer version lands, or the current one after `waitMs`. */
function waitForTenantChange(service: TenantService, variant: string, waitMs: number, req: http.IncomingMessage): Promise<TenantSet> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      service.off('changed', onChanged);
      req.off('close', done);
      resolve(service.list(variant));
    };
    const onChanged = (changed: string): void => {
      if (changed === variant) done();
    };
    const timer = setTimeout(done, waitMs);
    service.on('changed', onChanged);
    req.on('close', done);
  });
}
