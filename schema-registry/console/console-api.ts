/**
 * The console's HTTP entrance, served by the registry under `/console`:
 *
 * - `/console/api/*`: a small JSON API for the single-page app and the CLI. A browser signs in
 *   with a password and gets an HttpOnly, SameSite=Lax session cookie (path `/console`) plus a
 *   CSRF token it must send back as `x-csrf-token` on every state change; the CLI sends a registry
 *   token with the admin scope instead (`Authorization: Bearer …`) and acts as a platform admin.
 *   The registry's request guard (Host, Origin, JSON body) runs first, as for every registry route.
 * - everything else under `/console`: the built single-page app (`dist/console`), with a strict
 *   Content-Security-Policy, `X-Frame-Options: DENY` and `nosniff`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { CharterError } from '../../core/errors';
import { readJson, requestUrl, sendJson } from '../../core/http';
import { checkHost, guardRequest, scopesOf, type RegistryAuthenticator, type RequestGuardOptions } from '../auth';
import type { ConsoleService } from './console-service';
import type { ConsolePrincipal } from './roles';

export const SESSION_COOKIE = 'charter_console';
const MAX_BODY_BYTES = 64 * 1024;

export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export interface ConsoleHandlerOptions {
  service: ConsoleService;
  auth: RegistryAuthenticator;
  guard: RequestGuardOptions;
  /** The built SPA; default: the first of `dist/console` (from source) or `../../console` (from dist) holding index.html. */
  staticDir?: string;
}

export function isConsolePath(pathname: string): boolean {
  return pathname === '/console' || pathname.startsWith('/console/');
}

type Caller = { principal: ConsolePrincipal; sessionToken: string | null; csrfToken: string | null };

export function createConsoleHandler(options: ConsoleHandlerOptions): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const { service } = options;
  const staticDir = options.staticDir ?? findStaticDir();

  const callerOf = async (req: http.IncomingMessage): Promise<Caller> => {
    if (req.headers.authorization !== undefined) {
      const actor = await options.auth.actorOf(req);
      if (!scopesOf(actor).has('admin')) throw new CharterError('FORBIDDEN', 'the console API takes registry tokens with the "admin" scope only; people sign in with a password');
      return { principal: { kind: 'token', id: actor.kind === 'token' ? actor.id : 'insecure-dev' }, sessionToken: null, csrfToken: null };
    }
    const token = cookieOf(req, SESSION_COOKIE);
    const found = token ? await service.sessionOf(token) : null;
    if (!found) throw new CharterError('UNAUTHENTICATED', 'sign in to the console first');
    return { principal: { kind: 'user', username: found.user.username, roles: found.user.roles }, sessionToken: token, csrfToken: found.session.csrfToken };
  };

  /** A session's state change must carry its CSRF token (a bearer token is not sent by browsers on their own). */
  const requireCsrf = (req: http.IncomingMessage, caller: Caller): void => {
    if (caller.csrfToken === null) return;
    const sent = req.headers['x-csrf-token'];
    const a = crypto.createHash('sha256').update(typeof sent === 'string' ? sent : '').digest();
    const b = crypto.createHash('sha256').update(caller.csrfToken).digest();
    if (typeof sent !== 'string' || !crypto.timingSafeEqual(a, b)) throw new CharterError('FORBIDDEN', 'missing or wrong CSRF token: send the x-csrf-token the session answered with', { reason: 'CSRF' });
  };

  return async (req, res) => {
    const url = requestUrl(req);
    const ip = req.socket.remoteAddress;
    if (!url.pathname.startsWith('/console/api/') && url.pathname !== '/console/api') {
      checkHost(req, options.guard);
      return serveStatic(staticDir, url.pathname, req, res);
    }
    guardRequest(req, options.guard);
    const parts = url.pathname.split('/').filter(Boolean).slice(2).map(decodeURIComponent);
    const route = `${req.method} ${parts.join('/')}`;

    if (route === 'POST session') {
      const body = (await readJson(req, MAX_BODY_BYTES)) as { username?: unknown; password?: unknown } | null;
      // Any session the browser brought is ended: sign-in always makes a new id (no fixation).
      const old = cookieOf(req, SESSION_COOKIE);
      const signed = await service.signIn(body?.username, body?.password, ip);
      if (old) await service.signOut(old, { kind: 'user', username: signed.user.username, roles: signed.user.roles }).catch(() => undefined);
      return sendJson(res, 200, { user: signed.user, csrfToken: signed.csrfToken }, { 'set-cookie': sessionCookie(signed.sessionToken, req), 'cache-control': 'no-store' });
    }

    const caller = await callerOf(req);
    const { principal } = caller;
    if (req.method !== 'GET' && req.method !== 'HEAD') requireCsrf(req, caller);

    if (route === 'GET session') {
      const user = principal.kind === 'user' ? { username: principal.username, roles: principal.roles } : { username: `token:${principal.id}`, roles: [{ role: 'platform-admin' }] };
      return sendJson(res, 200, { user, csrfToken: caller.csrfToken }, { 'cache-control': 'no-store' });
    }
    if (route === 'DELETE session') {
      if (caller.sessionToken) await service.signOut(caller.sessionToken, principal, ip);
      return sendJson(res, 200, { signedOut: true }, { 'set-cookie': `${SESSION_COOKIE}=; Path=/console; HttpOnly; SameSite=Lax; Max-Age=0` });
    }
    if (route === 'POST users') return sendJson(res, 201, { user: await service.createUser(principal, await readJson(req, MAX_BODY_BYTES), ip) });
    if (route === 'GET audit') {
      const limit = optionalInt(url, 'limit');
      const beforeId = optionalInt(url, 'beforeId');
      const entries = await service.auditLog(principal, { limit, beforeId, tenant: url.searchParams.get('tenant') ?? undefined, action: url.searchParams.get('action') ?? undefined });
      if (url.searchParams.get('format') === 'jsonl') {
        res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
        res.end(entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
        return;
      }
      return sendJson(res, 200, { entries });
    }
    if (parts[0] === 'variants' && parts[1]) {
      const variant = parts[1];
      const rest = `${req.method} ${parts.slice(2).join('/')}`;
      if (rest === 'GET catalog') return sendJson(res, 200, await service.catalog(principal, variant, { tenant: url.searchParams.get('tenant') ?? undefined, q: url.searchParams.get('q') ?? undefined }));
      if (rest === 'GET versions') return sendJson(res, 200, { versions: await service.history(principal, variant, optionalInt(url, 'limit')) });
      if (rest === 'GET requests') return sendJson(res, 200, { requests: await service.listRequests(principal, variant, { status: url.searchParams.get('status') ?? undefined, tenant: url.searchParams.get('tenant') ?? undefined }) });
      if (rest === 'POST requests') return sendJson(res, 201, { request: await service.createRequest(principal, variant, await readJson(req, MAX_BODY_BYTES), ip) });
      if (parts[2] === 'requests' && parts[3] && parts.length === 4 && req.method === 'GET') return sendJson(res, 200, { request: await service.getRequest(principal, variant, parts[3]) });
      if (parts[2] === 'requests' && parts[3] && parts.length === 5 && req.method === 'POST') {
        const body = await readJson(req, MAX_BODY_BYTES);
        if (parts[4] === 'approve') return sendJson(res, 200, { request: await service.approve(principal, variant, parts[3], body, ip) });
        if (parts[4] === 'reject') return sendJson(res, 200, { request: await service.reject(principal, variant, parts[3], body, ip) });
        if (parts[4] === 'revoke') return sendJson(res, 200, { request: await service.revoke(principal, variant, parts[3], body, ip) });
      }
    }
    throw new CharterError('NOT_FOUND', `No console route for ${req.method} ${url.pathname}`);
  };
}

function sessionCookie(token: string, req: http.IncomingMessage): string {
  // Secure when the registry sits behind TLS (a proxy says so); plain http on localhost must still work.
  const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; Path=/console; HttpOnly; SameSite=Lax; Max-Age=${12 * 3600}${secure}`;
}

export function cookieOf(req: http.IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function optionalInt(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new CharterError('BAD_REQUEST', `${name} must be a positive integer`);
  return n;
}

// ---- the single-page app ------------------------------------------------------------------------

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

function findStaticDir(): string {
  const candidates = [path.resolve(__dirname, '../../dist/console'), path.resolve(__dirname, '../../console')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

async function serveStatic(dir: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new CharterError('NOT_FOUND', `No route for ${req.method} ${pathname}`);
  const relative = pathname.replace(/^\/console\/?/, '');
  // Assets by exact name inside the folder; any other path is a client-side route: the app's index.html.
  let file = path.join(dir, 'index.html');
  if (relative.startsWith('assets/') && /^[A-Za-z0-9/_.-]+$/.test(relative) && !relative.includes('..')) file = path.join(dir, relative);
  let body: Buffer;
  try {
    body = await fs.promises.readFile(file);
  } catch {
    if (file.endsWith('index.html')) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...CONSOLE_SECURITY_HEADERS });
      res.end('The console is not built: run `npm run build` (it runs the Vite build of console/).\n');
      return;
    }
    throw new CharterError('NOT_FOUND', `No console file ${pathname}`);
  }
  const hashed = relative.startsWith('assets/');
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...CONSOLE_SECURITY_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
