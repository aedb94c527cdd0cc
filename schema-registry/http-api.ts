/**
 * The registry's HTTP API (JSON), the thin layer gateways and the CLI use; `/graphql` serves the
 * full API. Gateways read the supergraph with conditional, long-polled GETs: `If-None-Match`
 * answers 304 when nothing changed, and `waitMs` holds the request open until a new version lands,
 * so a gateway learns of a publish at once without Redis.
 *
 * Every route but `/health` goes through `auth/` first: Host, Origin and body type are checked
 * (421/403/415), then the credential (none or unknown → 401), then each route requires a scope
 * (403). Each refusal is a JSON error with a code and the reason.
 */
import type http from 'node:http';
import { z } from 'zod';
import { CharterError } from '../core/errors';
import { readJson, requestUrl, sendJson, type Handler } from '../core/http';
import { servePrompts } from './prompts-api';
import type { CallStore } from '../analytics/call-store';
import { serveCallRoutes } from './calls-api';
import { sendOutcome } from './outcome-response';
import { serveTenantRoutes } from './policies-api';
import type { SchemaPublisher } from './publisher';
import { actorLabel, requireScope, type Actor, type RegistryAuthenticator, type Scope } from './auth';
import type { TenantService } from './tenants/tenant-service';
import type { SchemaVersion } from './client/wire-types';
import { usageBatchSchema, type UsageStore } from './usage/usage-store';

const MAX_WAIT_MS = 30_000;
const forceSchema = z.object({ reason: z.string({ required_error: 'a reason is required' }).trim().min(3, 'give a reason (at least 3 characters)').max(500) }).strict();
const MAX_PUBLISH_BYTES = 10 * 1024 * 1024;
const MAX_USAGE_BYTES = 5 * 1024 * 1024;

export function etagOf(version: Pick<SchemaVersion, 'variant' | 'id'>): string {
  return `"${version.variant}:${version.id}"`;
}

export interface RegistryHandlerOptions {
  /** Who may call (required: there is no unauthenticated registry; tests use `insecureDev`). */
  auth: RegistryAuthenticator;
  usage?: UsageStore;
  /** Serves `/graphql` for an authenticated actor. */
  graphql?: (req: http.IncomingMessage, res: http.ServerResponse, actor: Actor) => Promise<void>;
  /** Tenants and their policies and keys (policies-api.ts); absent, the tenant routes answer 404. */
  tenants?: TenantService;
  /** The console under `/console` (schema-registry/console/console-api.ts): its own sign-in, guard and static app. */
  console?: Handler;
  /** insight: the call store (calls-api.ts); absent, the call-log routes answer 404. */
  calls?: CallStore;
}

function allow(actor: Actor, scope: Scope, subgraph?: string): void {
  requireScope(actor, scope, { subgraph });
}

export function createRegistryHandler(publisher: SchemaPublisher, options: RegistryHandlerOptions): Handler {
  const store = publisher.store;
  return async (req, res) => {
    const url = requestUrl(req);
    if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    // --- console hook (issue 11): /console has its own credentials (session cookie + CSRF, or an admin
    // token) and runs the same request guard itself; see schema-registry/console/console-api.ts.
    if (options.console && (url.pathname === '/console' || url.pathname.startsWith('/console/'))) return options.console(req, res);
    // Authenticated before routing, so an unknown path tells an anonymous caller nothing either.
    const actor = await options.auth.actorOf(req);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === 'graphql' && parts.length === 1 && options.graphql) return options.graphql(req, res, actor);
    if (parts[0] !== 'api') throw new CharterError('NOT_FOUND', `No route for ${req.method} ${url.pathname}`);

    if (await serveCallRoutes(options.calls, actor, req, res, url)) return; // insight: /api/calls, /api/stats
    if (parts[1] === 'usage' && parts.length === 2) {
      if (req.method === 'POST') {
        allow(actor, 'report-usage');
        return receiveUsage(options.usage, req, res);
      }
      if (req.method === 'GET') {
        allow(actor, 'read');
        return serveUsage(options.usage, publisher, res, url);
      }
    }
    if (parts[1] === 'variants' && parts.length === 2 && req.method === 'GET') {
      allow(actor, 'read');
      return sendJson(res, 200, { variants: await store.variants() });
    }
    if (parts[1] !== 'variants' || !parts[2]) throw new CharterError('NOT_FOUND', `No route for ${req.method} ${url.pathname}`);
    const variant = decodeURIComponent(parts[2]);
    const route = `${req.method} ${parts.slice(3).join('/')}`;

    if (route === 'POST subgraphs') {
      const { force, ...body } = await readObject(req, MAX_PUBLISH_BYTES, '{name, url, sdl, force?: {reason}}');
      allow(actor, 'publish', typeof body.name === 'string' ? body.name : undefined);
      if (force === undefined) return sendOutcome(res, await publisher.publish({ ...body, variant }));
      // Forcing past failed checks is an admin's decision, with a reason that stays in the version.
      allow(actor, 'admin');
      const parsed = forceSchema.safeParse(force);
      if (!parsed.success) throw new CharterError('BAD_REQUEST', `force: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'force'}: ${i.message}`).join('; ')}`);
      return sendOutcome(res, await publisher.publish({ ...body, variant }, { force: { reason: parsed.data.reason, by: actorLabel(actor) } }));
    }
    if (route === 'POST checks') {
      const body = await readObject(req, MAX_PUBLISH_BYTES, '{name, sdl}');
      allow(actor, 'read', typeof body.name === 'string' ? body.name : undefined);
      return sendOutcome(res, await publisher.check({ ...body, variant }));
    }
    if (route === 'POST rollback') {
      const body = await readObject(req, 64 * 1024, '{toVersion}');
      allow(actor, 'admin');
      return sendOutcome(res, await publisher.rollback({ ...body, variant }));
    }
    if (route === 'POST promote') {
      const body = await readObject(req, 64 * 1024, '{from}');
      allow(actor, 'admin');
      return sendOutcome(res, await publisher.promote({ ...body, to: variant }));
    }
    if (req.method === 'POST' && parts[3] === 'subgraphs' && parts[4] && parts[5] === 'lifecycle' && parts.length === 6) {
      const subgraph = decodeURIComponent(parts[4]);
      const body = await readObject(req, 64 * 1024, '{status}');
      allow(actor, 'publish', subgraph);
      return sendOutcome(res, await publisher.setLifecycle({ ...body, variant, subgraph }));
    }
    if (parts[3] === 'tenants') return serveTenantRoutes(options.tenants, { req, res, url, variant, rest: parts.slice(3), allow: (scope) => allow(actor, scope) });
    if (parts[3] === 'prompts') return servePrompts(publisher, variant, parts.slice(3), req, res, url, (scope, subgraph) => allow(actor, scope, subgraph));

    allow(actor, 'read');
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
    if (route === 'GET diff') {
      const from = integerParam(url, 'from');
      const to = integerParam(url, 'to');
      return sendOutcome(res, await publisher.diff(variant, from, to));
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

/** Sends a publisher outcome with its status: 201 published, 200 unchanged/checked, the code's status when refused. */

async function readObject(req: http.IncomingMessage, maxBytes: number, shape: string): Promise<Record<string, unknown>> {
  const body = await readJson(req, maxBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CharterError('BAD_REQUEST', `Body must be a JSON object ${shape}`);
  return body as Record<string, unknown>;
}

function integerParam(url: URL, name: string): number {
  const raw = url.searchParams.get(name);
  if (raw === null) throw new CharterError('BAD_REQUEST', `query parameter "${name}" is required`);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new CharterError('BAD_REQUEST', `query parameter "${name}" must be a positive integer version id`);
  return n;
}

async function receiveUsage(usage: UsageStore | undefined, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (!usage) throw new CharterError('NOT_FOUND', 'This registry keeps no usage');
  const parsed = usageBatchSchema.safeParse(await readJson(req, MAX_USAGE_BYTES));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ message: `${i.path.join('.') || 'body'}: ${i.message}` }));
    throw new CharterError('BAD_REQUEST', `Usage batch refused: ${problems.map((p) => p.message).join('; ')}`, { problems });
  }
  const { accepted } = await usage.record(parsed.data.reports);
  sendJson(res, 202, { accepted });
}

const usageQuerySchema = z.object({
  coordinates: z.string({ required_error: 'is required (comma-separated Type.field)' }).min(1),
  windowDays: z.coerce.number().int().min(1).max(90).optional(),
});

async function serveUsage(usage: UsageStore | undefined, publisher: SchemaPublisher, res: http.ServerResponse, url: URL): Promise<void> {
  if (!usage) throw new CharterError('NOT_FOUND', 'This registry keeps no usage');
  const parsed = usageQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new CharterError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const windowDays = parsed.data.windowDays ?? publisher.governance.usage.windowDays;
  const found = await usage.lookup(parsed.data.coordinates.split(','), windowDays, publisher.governance.usage.excludedClients);
  sendJson(res, 200, { windowDays, usage: Object.fromEntries(found) });
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
