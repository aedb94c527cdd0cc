/**
 * Who is calling the registry, once their credential has been verified, and what they may do.
 *
 * An `Actor` is derived once per request (authenticate.ts) and every route then asks
 * `requireScope(actor, scope)`. New credential kinds (e.g. a console user's session cookie with
 * roles) add a member to the `Actor` union and a case to `scopesOf`; the routes do not change.
 */
import { CharterError, unreachable } from '../../core/errors';

/**
 * What a credential may do. `admin` implies every other scope; `publish` implies `read`.
 * `report-usage` is separate so a gateway's token can report field usage without being able to
 * publish, and a publisher's token cannot skew the usage that decides breaking-change checks.
 */
export const SCOPES = ['read', 'report-usage', 'publish', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export type Actor =
  /** A machine: a bearer token from the registry's token list. */
  | { kind: 'token'; id: string; scopes: readonly Scope[]; /** For publish: only these subgraphs (absent: all). */ subgraphs?: readonly string[]; /** insight: a tenant-scoped token reads only these tenants' call log and analytics (absent: all). */ tenants?: readonly string[] }
  /** `charter registry --insecure-dev` on loopback, a request without a credential: may do everything. */
  | { kind: 'insecure-dev' };

/** The effective scopes of an actor, with the implied ones added. */
export function scopesOf(actor: Actor): ReadonlySet<Scope> {
  switch (actor.kind) {
    case 'token':
      return expandScopes(actor.scopes);
    case 'insecure-dev':
      return new Set(SCOPES);
    default: {
      return unreachable(actor);
    }
  }
}

export function expandScopes(scopes: readonly Scope[]): Set<Scope> {
  const out = new Set<Scope>(scopes);
  if (out.has('admin')) for (const s of SCOPES) out.add(s);
  if (out.has('publish')) out.add('read');
  return out;
}

/** A name for logs and audit records ("token:ci-books", "insecure-dev"). */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'token':
      return `token:${actor.id}`;
    case 'insecure-dev':
      return 'insecure-dev';
    default: {
      return unreachable(actor);
    }
  }
}

export type ScopeCheck = { ok: true } | { ok: false; reason: string };

/** Whether `actor` holds `scope` (and, for `publish`, may change `subgraph`). A value, not a throw. */
export function checkScope(actor: Actor, scope: Scope, target: { subgraph?: string } = {}): ScopeCheck {
  const scopes = scopesOf(actor);
  if (!scopes.has(scope)) return { ok: false, reason: `this action needs the "${scope}" scope; this credential has ${describe(scopes)}` };
  if (scope === 'publish' && target.subgraph !== undefined && actor.kind === 'token' && actor.subgraphs && !scopes.has('admin') && !actor.subgraphs.includes(target.subgraph)) {
    return { ok: false, reason: `this token may only change subgraphs ${actor.subgraphs.map((s) => `"${s}"`).join(', ')}, not "${target.subgraph}"` };
  }
  return { ok: true };
}

/** Throws a 403 FORBIDDEN CharterError unless `actor` holds `scope`. */
export function requireScope(actor: Actor, scope: Scope, target: { subgraph?: string } = {}): void {
  const result = checkScope(actor, scope, target);
  if (!result.ok) throw new CharterError('FORBIDDEN', result.reason);
}

function describe(scopes: ReadonlySet<Scope>): string {
  return scopes.size === 0 ? 'no scopes' : `scopes ${[...scopes].map((s) => `"${s}"`).join(', ')}`;
}
