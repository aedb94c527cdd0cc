/**
 * Checks every registry request must pass before its credential is even looked at. Together they
 * keep a web page open in the developer's browser from driving a registry on localhost:
 *
 * - `Host` must be a loopback name, an IP literal or a configured host. DNS rebinding points an
 *   attacker's name at 127.0.0.1, so the browser sends that name as `Host`; IP literals cannot be
 *   rebound, so they stay allowed (Kubernetes probes and direct IP access keep working).
 * - A present `Origin` must be the registry's own (same scheme-less host:port as `Host`) or a
 *   configured origin. Browsers send `Origin` on every cross-origin POST, PUT and DELETE.
 * - A body-carrying method needs `Content-Type: application/json` (or YAML where a route reads
 *   it). Those are not CORS-safelisted types, so a foreign page cannot send them without a
 *   preflight, which this registry never approves; `text/plain` and form posts are refused.
 */
import type http from 'node:http';
import { isIP } from 'node:net';
import { CharterError } from '../../core/errors';

export interface RequestGuardOptions {
  /** Extra host names (no port) accepted in `Host`, e.g. the registry's DNS name in a cluster. `*` accepts any (behind a proxy that checks it). */
  allowedHosts?: readonly string[];
  /** Extra origins (`https://console.example.com`) whose browsers may call the registry. */
  allowedOrigins?: readonly string[];
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const BODY_TYPES = new Set(['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml']);

export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The host name of a `Host` header value (`name:port`, `[::1]:port`), lower-cased, or null when malformed. */
export function hostnameOf(hostHeader: string): string | null {
  try {
    const url = new URL(`http://${hostHeader}`);
    // A Host with userinfo, a path or anything else than host[:port] is not one we serve.
    if (url.host.toLowerCase() !== hostHeader.toLowerCase() || url.username || url.pathname !== '/') return null;
    return url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

export function checkHost(req: http.IncomingMessage, options: RequestGuardOptions = {}): void {
  const host = req.headers.host;
  const hostname = host ? hostnameOf(host) : null;
  const allowed = options.allowedHosts ?? [];
  if (hostname !== null && (isLoopbackHostname(hostname) || isIP(hostname) !== 0 || allowed.includes('*') || allowed.some((h) => h.toLowerCase() === hostname))) return;
  throw new CharterError('UNTRUSTED_HOST', `Host ${JSON.stringify(host ?? '')} is not one this registry serves; add it to registry.allowedHosts if it is yours`);
}

export function checkOrigin(req: http.IncomingMessage, options: RequestGuardOptions = {}): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (options.allowedOrigins?.includes(origin)) return;
  let originHost: string | null = null;
  try {
    const url = new URL(origin);
    if (url.protocol === 'http:' || url.protocol === 'https:') originHost = url.host.toLowerCase();
  } catch {
    originHost = null; // "null" (sandboxed frames, file://) and garbage are foreign.
  }
  if (originHost !== null && originHost === (req.headers.host ?? '').toLowerCase()) return;
  throw new CharterError('UNTRUSTED_ORIGIN', `Origin ${JSON.stringify(origin)} may not call this registry; add it to registry.allowedOrigins if it is yours`);
}

export function checkBodyType(req: http.IncomingMessage): void {
  const method = req.method ?? 'GET';
  const raw = req.headers['content-type'];
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!BODY_METHODS.has(method) && !hasBody) return;
  const type = (raw ?? '').split(';')[0]!.trim().toLowerCase();
  if (BODY_TYPES.has(type)) return;
  throw new CharterError('UNSUPPORTED_MEDIA_TYPE', `${method} needs "Content-Type: application/json"${raw ? `, not ${JSON.stringify(raw)}` : ''}`);
}

/** All three checks, in the order that tells a caller the most useful reason first. */
export function guardRequest(req: http.IncomingMessage, options: RequestGuardOptions = {}): void {
  checkHost(req, options);
  checkOrigin(req, options);
  checkBodyType(req);
}
