/**
 * ConsoleService: what the console can do, each action checked against the caller's roles here on
 * the server and recorded in the audit log. Sign-in issues a fresh session (a new random id every
 * time, so a session id planted before sign-in is worthless) with its own CSRF token. An approved
 * access request becomes a new version of the tenant's policy through TenantService (the same
 * checks as any policy change: a coordinate the live API lacks is refused), so gateways follow it
 * within seconds; a revocation writes the rule back the same way.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { SerialQueues } from '../../core/async';
import { CharterError } from '../../core/errors';
import { COORDINATE_PATTERN } from '../../tenancy/policy';
import type { TenantRecord } from '../../tenancy/tenant-records';
import type { RegistryStore } from '../store/registry-store';
import type { TenantService } from '../tenants/tenant-service';
import type { UsageStore } from '../usage/usage-store';
import { buildCatalog, fieldOwners, tenantMayQuery, type Catalog } from './catalog';
import type { ConsoleStore, Revisioned } from './console-store';
import { hashPassword, verifyPassword } from './passwords';
import type { AccessRequest, AuditDraft, AuditEntry, ConsoleRole, ConsoleSession, ConsoleUser } from './records';
import { isPlatformAdmin, isTenantAdmin, isTenantMember, maySeeTenant, principalLabel, teamsOf, tenantsOf, type ConsolePrincipal } from './roles';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Failed sign-ins allowed per user name (known or not, so the limit says nothing about who exists) per window, per registry process. */
export const MAX_FAILED_SIGN_INS = 10;
const FAILED_SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const TENANT = /^[a-z0-9][a-z0-9-]*$/;

export interface ConsoleServiceOptions {
  store: ConsoleStore;
  tenants: TenantService;
  schemas: RegistryStore;
  usage?: UsageStore;
  /**
   * Tenants the gateway serves from its configuration file, as registry records (API keys as
   * hashes), so the first approval for such a tenant can write its first registry version.
   */
  baseTenant?: (variant: string, tenant: string) => TenantRecord | null | Promise<TenantRecord | null>;
  now?: () => number;
}

export interface SignedIn {
  /** The cookie value (only its SHA-256 is stored). */
  sessionToken: string;
  csrfToken: string;
  user: PublicUser;
}

export type PublicUser = Omit<ConsoleUser, 'passwordHash'>;

/** One schema version as the console's changelog shows it. */
export interface ChangelogEntry {
  id: number;
  action: string;
  subgraph: string | null;
  author: string | null;
  createdAt: string;
  forced: { reason: string; by: string } | null;
  changes: Array<{ criticality: string; type: string; coordinate: string; message: string }>;
}

const roleSchema: z.ZodType<ConsoleRole> = z.union([
  z.object({ role: z.literal('platform-admin') }).strict(),
  z.object({ role: z.literal('team-owner'), team: z.string().min(1).max(64) }).strict(),
  z.object({ role: z.literal('tenant-admin'), tenant: z.string().regex(TENANT) }).strict(),
  z.object({ role: z.literal('tenant-member'), tenant: z.string().regex(TENANT) }).strict(),
]);

export const userInputSchema = z
  .object({
    username: z.string().toLowerCase().pipe(z.string().regex(USERNAME, 'lower-case letters, digits, ".", "_", "@", "-"; at most 64')),
    password: z.string().min(12, 'at least 12 characters').max(200),
    displayName: z.string().max(100).optional(),
    roles: z.array(roleSchema).min(1).max(20),
  })
  .strict();

const requestInputSchema = z
  .object({
    tenant: z.string().regex(TENANT, 'a tenant id'),
    coordinates: z.array(z.string().regex(COORDINATE_PATTERN, 'must be "Type.field"').refine((c) => !c.endsWith('.*'), 'name one field')).min(1).max(50),
    reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(1000),
  })
  .strict();

const decisionSchema = z.object({ comment: z.string().trim().max(1000).optional() }).strict();

export class ConsoleService {
  private readonly store: ConsoleStore;
  private readonly now: () => number;
  /** Approvals and revocations of one variant one at a time: each reads the tenant's policy and writes the next. */
  private readonly policyLocks = new SerialQueues();
  /** Failed sign-ins per user name in the current window: password guessing slows to a crawl. */
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly options: ConsoleServiceOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
  }

  // ---- users and sessions -------------------------------------------------------------------

  /** Creates or replaces a user (the dev stack's demo users; the `users` route for admins). */
  async putUser(input: z.input<typeof userInputSchema>): Promise<PublicUser> {
    const parsed = userInputSchema.safeParse(input);
    if (!parsed.success) throw badRequest(parsed.error.issues);
    const { password, ...rest } = parsed.data;
    const current = await this.store.get('users', rest.username);
    const user: ConsoleUser = { ...rest, passwordHash: await hashPassword(password), createdAt: current?.value.createdAt ?? new Date(this.now()).toISOString() };
    const put = await this.store.put('users', user.username, user, current?.rev ?? null);
    if (!put.ok) throw new CharterError('CONFLICT', `User "${user.username}" changed meanwhile; retry`);
    return publicUser(user);
  }

  /** Creates a user: platform admins any user, tenant admins members of their own tenant. */
  async createUser(by: ConsolePrincipal, body: unknown, ip?: string): Promise<PublicUser> {
    const parsed = userInputSchema.safeParse(body);
    if (!parsed.success) throw badRequest(parsed.error.issues);
    const input = parsed.data;
    const allowed = isPlatformAdmin(by) || input.roles.every((r) => r.role === 'tenant-member' && isTenantAdmin(by, r.tenant));
    if (!allowed) throw forbidden('only a platform admin, or a tenant admin adding members of their own tenant, may create users');
    if (await this.store.get('users', input.username)) throw new CharterError('CONFLICT', `User "${input.username}" exists`);
    const user = await this.putUser(input);
    await this.audit({ actor: principalLabel(by), action: 'user.create', target: `user:${user.username}`, tenant: tenantOfRoles(input.roles), ip, details: { roles: user.roles } });
    return user;
  }

  async signIn(username: unknown, password: unknown, ip?: string): Promise<SignedIn> {
    const name = typeof username === 'string' ? username.trim().toLowerCase() : '';
    const pass = typeof password === 'string' ? password : '';
    const failed = this.failures.get(name);
    if (failed && failed.resetAt <= this.now()) this.failures.delete(name);
    if (failed && failed.resetAt > this.now() && failed.count >= MAX_FAILED_SIGN_INS) {
      await this.audit({ actor: 'anonymous', action: 'login-throttled', target: USERNAME.test(name) ? `user:${name}` : undefined, ip });
      throw new CharterError('RATE_LIMITED', 'too many failed sign-ins for this user name; try again later', { retryAfterSeconds: Math.ceil((failed.resetAt - this.now()) / 1000) });
    }
    const stored = USERNAME.test(name) ? await this.store.get('users', name) : null;
    // Same work and the same answer for an unknown user and a wrong password.
    const ok = await verifyPassword(pass, stored?.value.passwordHash ?? null);
    if (!ok || !stored) {
      const entry = this.failures.get(name) ?? { count: 0, resetAt: this.now() + FAILED_SIGN_IN_WINDOW_MS };
      entry.count++;
      if (this.failures.size < 100_000) this.failures.set(name, entry);
      await this.audit({ actor: 'anonymous', action: 'login-failed', target: USERNAME.test(name) ? `user:${name}` : undefined, ip });
      throw new CharterError('UNAUTHENTICATED', 'wrong username or password');
    }
    const sessionToken = crypto.randomBytes(32).toString('base64url');
    const session: ConsoleSession = {
      id: sessionIdOf(sessionToken),
      username: name,
      csrfToken: crypto.randomBytes(24).toString('base64url'),
      createdAt: new Date(this.now()).toISOString(),
      expiresAt: new Date(this.now() + SESSION_TTL_MS).toISOString(),
    };
    await this.store.put('sessions', session.id, session, null);
    this.failures.delete(name);
    await this.audit({ actor: `user:${name}`, action: 'login', target: `user:${name}`, ip });
    await this.pruneSessions().catch(() => undefined);
    return { sessionToken, csrfToken: session.csrfToken, user: publicUser(stored.value) };
  }

  /** The session and user of a cookie value, or null (unknown, expired, or the user is gone). */
  async sessionOf(sessionToken: string): Promise<{ session: ConsoleSession; user: ConsoleUser } | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionToken)) return null;
    const found = await this.store.get('sessions', sessionIdOf(sessionToken));
    if (!found || Date.parse(found.value.expiresAt) <= this.now()) return null;
    const user = await this.store.get('users', found.value.username);
    return user ? { session: found.value, user: user.value } : null;
  }

  async signOut(sessionToken: string, by: ConsolePrincipal, ip?: string): Promise<void> {
    await this.store.remove('sessions', sessionIdOf(sessionToken));
    await this.audit({ actor: principalLabel(by), action: 'logout', ip });
  }

  /** Removes expired sessions (at each sign-in: the store holds only live ones plus a day's worth at most). */
  private async pruneSessions(): Promise<void> {
    for (const s of await this.store.list('sessions')) if (Date.parse(s.value.expiresAt) <= this.now()) await this.store.remove('sessions', s.value.id);
  }

  // ---- catalog ------------------------------------------------------------------------------

  /** The catalog as `tenant` sees it (default: the caller's only tenant); members see only their own tenants. */
  async catalog(by: ConsolePrincipal, variant: string, params: { tenant?: string; q?: string }): Promise<Catalog> {
    const tenantId = params.tenant ?? (tenantsOf(by).length === 1 ? tenantsOf(by)[0] : undefined);
    if (tenantId !== undefined && !maySeeTenant(by, tenantId)) throw forbidden(`you are not a member of tenant "${tenantId}"`);
    const tenant = tenantId === undefined ? null : await this.tenantRecord(variant, tenantId);
    if (tenantId !== undefined && !tenant) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no tenant "${tenantId}"`);
    const pending = new Set(
      tenant ? (await this.requests(variant)).filter((r) => r.value.tenant === tenant.id && r.value.status === 'pending').flatMap((r) => r.value.coordinates) : [],
    );
    const usage = this.options.usage;
    return buildCatalog(variant, {
      head: await this.options.schemas.head(variant),
      history: await this.options.schemas.history(variant, 500),
      usage: (coordinates) => (usage ? usage.lookup(coordinates, 7) : Promise.resolve(new Map())),
      tenant,
      pending,
      showUrls: isPlatformAdmin(by),
      query: typeof params.q === 'string' ? params.q.slice(0, 200) : undefined,
    });
  }

  /** The variant's changelog, newest first: each version with its classified changes (any signed-in user). */
  async history(_by: ConsolePrincipal, variant: string, limit = 30): Promise<ChangelogEntry[]> {
    const summaries = await this.options.schemas.history(variant, Math.min(Math.max(limit, 1), 100));
    const out: ChangelogEntry[] = [];
    for (const s of summaries) {
      const version = await this.options.schemas.version(variant, s.id);
      out.push({
        id: s.id,
        action: s.action,
        subgraph: s.subgraph ?? null,
        author: s.author ?? null,
        createdAt: s.createdAt,
        forced: s.force ? { reason: s.force.reason, by: s.force.by } : null,
        changes: (version?.report?.changes ?? []).map((c) => ({ criticality: c.criticality, type: c.type, coordinate: c.coordinate, message: c.message })),
      });
    }
    return out;
  }

  // ---- access requests ----------------------------------------------------------------------

  async createRequest(by: ConsolePrincipal, variant: string, body: unknown, ip?: string): Promise<AccessRequest> {
    const parsed = requestInputSchema.safeParse(body);
    if (!parsed.success) throw badRequest(parsed.error.issues);
    const input = parsed.data;
    if (!(isTenantMember(by, input.tenant) || isPlatformAdmin(by))) throw forbidden(`only members of tenant "${input.tenant}" may ask access for it`);
    const tenant = await this.tenantRecord(variant, input.tenant);
    if (!tenant) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no tenant "${input.tenant}"`);
    const head = await this.options.schemas.head(variant);
    const owners = head ? fieldOwners(head) : new Map<string, string>();
    const unknown = input.coordinates.filter((c) => !owners.has(c));
    if (unknown.length) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no field ${unknown.join(', ')}`);
    const already = input.coordinates.filter((c) => tenantMayQuery(tenant, c));
    if (already.length === input.coordinates.length) throw new CharterError('CONFLICT', `Tenant "${input.tenant}" may already query ${already.join(', ')}`);
    const request: AccessRequest = {
      id: `req-${crypto.randomBytes(6).toString('hex')}`,
      variant,
      tenant: input.tenant,
      coordinates: [...new Set(input.coordinates.filter((c) => !already.includes(c)))],
      reason: input.reason,
      requestedBy: principalLabel(by),
      createdAt: new Date(this.now()).toISOString(),
      status: 'pending',
    };
    await this.store.put('requests', request.id, request, null);
    await this.audit({ actor: principalLabel(by), action: 'access-request.create', target: `access-request:${request.id}`, tenant: request.tenant, ip, details: { coordinates: request.coordinates, reason: request.reason } });
    return request;
  }

  /** Requests the caller may see: admins all; team owners those on their fields; tenant members their tenant's. */
  async listRequests(by: ConsolePrincipal, variant: string, params: { status?: string; tenant?: string } = {}): Promise<AccessRequest[]> {
    if (params.tenant !== undefined && !maySeeTenant(by, params.tenant) && teamsOf(by).length === 0) throw forbidden(`you are not a member of tenant "${params.tenant}"`);
    const all = (await this.requests(variant)).map((r) => r.value);
    const owners = await this.ownersOf(variant);
    return all
      .filter((r) => this.maySeeRequest(by, r, owners))
      .filter((r) => params.status === undefined || r.status === params.status)
      .filter((r) => params.tenant === undefined || r.tenant === params.tenant)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async getRequest(by: ConsolePrincipal, variant: string, id: string): Promise<AccessRequest> {
    const found = await this.store.get('requests', id);
    // Another tenant's request answers like one that does not exist.
    if (!found || found.value.variant !== variant || !this.maySeeRequest(by, found.value, await this.ownersOf(variant))) throw new CharterError('NOT_FOUND', `No access request "${id}"`);
    return found.value;
  }

  approve(by: ConsolePrincipal, variant: string, id: string, body: unknown, ip?: string): Promise<AccessRequest> {
    return this.decide(by, variant, id, 'approve', body, ip);
  }

  reject(by: ConsolePrincipal, variant: string, id: string, body: unknown, ip?: string): Promise<AccessRequest> {
    return this.decide(by, variant, id, 'reject', body, ip);
  }

  revoke(by: ConsolePrincipal, variant: string, id: string, body: unknown, ip?: string): Promise<AccessRequest> {
    return this.decide(by, variant, id, 'revoke', body, ip);
  }

  // ---- audit --------------------------------------------------------------------------------

  /** Platform admins read everything; tenant admins their tenant's entries; no one else. */
  async auditLog(by: ConsolePrincipal, params: { limit?: number; beforeId?: number; tenant?: string; action?: string }): Promise<AuditEntry[]> {
    let tenant = params.tenant;
    if (!isPlatformAdmin(by)) {
      const adminOf = tenantsOf(by).filter((t) => isTenantAdmin(by, t));
      if (tenant === undefined && adminOf.length === 1) tenant = adminOf[0];
      if (tenant === undefined || !isTenantAdmin(by, tenant)) throw forbidden('the audit log is for platform admins, and tenant admins for their own tenant');
    }
    const limit = Math.min(Math.max(params.limit ?? 100, 1), 1000);
    const out: AuditEntry[] = [];
    let beforeId = params.beforeId;
    // Filtering happens after reading; page through until enough entries match (bounded).
    for (let page = 0; page < 20 && out.length < limit; page++) {
      const entries = await this.store.audit({ limit: 500, beforeId });
      if (!entries.length) break;
      out.push(...entries.filter((e) => (tenant === undefined || e.tenant === tenant) && (params.action === undefined || e.action === params.action)));
      beforeId = entries[entries.length - 1]!.id;
    }
    return out.slice(0, limit);
  }

  audit(draft: AuditDraft): Promise<AuditEntry> {
    return this.store.appendAudit(draft);
  }

  // ---- internals ----------------------------------------------------------------------------

  private async decide(by: ConsolePrincipal, variant: string, id: string, decision: 'approve' | 'reject' | 'revoke', body: unknown, ip?: string): Promise<AccessRequest> {
    const parsed = decisionSchema.safeParse(body ?? {});
    if (!parsed.success) throw badRequest(parsed.error.issues);
    const comment = parsed.data.comment || undefined;
    return this.policyLocks.run(variant, async () => {
      const found = await this.store.get('requests', id);
      const owners = await this.ownersOf(variant);
      if (!found || found.value.variant !== variant || !this.maySeeRequest(by, found.value, owners)) throw new CharterError('NOT_FOUND', `No access request "${id}"`);
      const request = found.value;
      if (!this.mayDecide(by, request, owners)) throw forbidden('only a platform admin or the owner of every requested field may decide this request');
      const wanted = decision === 'revoke' ? 'approved' : 'pending';
      if (request.status !== wanted) throw new CharterError('CONFLICT', `Access request "${id}" is ${request.status}; only a ${wanted} request can be ${decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'revoked'}`);
      const at = new Date(this.now()).toISOString();
      let next: AccessRequest;
      if (decision === 'reject') next = { ...request, status: 'rejected', decidedBy: principalLabel(by), decidedAt: at, ...(comment ? { comment } : {}) };
      else {
        const written = await this.writePolicy(by, variant, request, decision);
        next =
          decision === 'approve'
            ? { ...request, status: 'approved', decidedBy: principalLabel(by), decidedAt: at, policyVersion: written.version, previousRules: written.previous, ...(comment ? { comment } : {}) }
            : { ...request, status: 'revoked', revokedBy: principalLabel(by), revokedAt: at, revokedPolicyVersion: written.version, ...(comment ? { comment } : {}) };
      }
      const put = await this.store.put('requests', id, next, found.rev);
      if (!put.ok) throw new CharterError('CONFLICT', `Access request "${id}" changed meanwhile; reload it`);
      await this.audit({
        actor: principalLabel(by),
        action: `access-request.${decision}`,
        target: `access-request:${id}`,
        tenant: request.tenant,
        ip,
        details: { coordinates: request.coordinates, ...(comment ? { comment } : {}), ...(next.policyVersion !== undefined && decision === 'approve' ? { policyVersion: next.policyVersion } : {}), ...(decision === 'revoke' ? { policyVersion: next.revokedPolicyVersion } : {}) },
      });
      return next;
    });
  }

  /** Writes the tenant's next policy version: allow the request's fields, or put their old rules back. */
  private async writePolicy(by: ConsolePrincipal, variant: string, request: AccessRequest, decision: 'approve' | 'revoke'): Promise<{ version: number; previous: Record<string, unknown> }> {
    const tenant = await this.tenantRecord(variant, request.tenant);
    if (!tenant) throw new CharterError('NOT_FOUND', `Variant "${variant}" has no tenant "${request.tenant}"`);
    const policy = tenant.policy ?? { mode: 'filter' as const, fallback: 'deny' as const, rules: {} };
    const rules: Record<string, unknown> = { ...policy.rules };
    const previous: Record<string, unknown> = {};
    for (const c of request.coordinates) {
      if (decision === 'approve') {
        previous[c] = Object.hasOwn(policy.rules, c) ? policy.rules[c] : null;
        rules[c] = 'allow';
      } else {
        const before = request.previousRules?.[c];
        // No rule before: the field fell to `Type.*` or the fallback, which denied it then; deny it by name now.
        rules[c] = before === null || before === undefined ? 'deny' : before;
      }
    }
    const outcome = await this.options.tenants.put(variant, tenant.id, {
      ...(tenant.description !== undefined ? { description: tenant.description } : {}),
      roles: tenant.roles,
      scopes: tenant.scopes,
      plan: tenant.plan,
      apiKeys: tenant.apiKeys.map((k) => ({ id: k.id, sha256: k.sha256 })),
      policy: { mode: policy.mode, fallback: policy.fallback, rules },
      author: `${principalLabel(by)} (access request ${request.id})`,
    });
    if (outcome.status === 'rejected') throw new CharterError(outcome.code === 'CHECKS_FAILED' ? 'CHECKS_FAILED' : 'CONFLICT', `The policy change was refused: ${outcome.message}`, { problems: outcome.problems });
    if (outcome.status === 'unchanged') return { version: outcome.tenant.version, previous };
    await this.audit({ actor: principalLabel(by), action: 'policy.version', target: `tenant:${tenant.id}`, tenant: tenant.id, details: { version: outcome.version.id, accessRequest: request.id } });
    return { version: outcome.version.id, previous };
  }

  private async tenantRecord(variant: string, tenantId: string): Promise<TenantRecord | null> {
    if (!TENANT.test(tenantId)) return null;
    const stored = await this.options.tenants.get(variant, tenantId);
    if (stored) return stored;
    return (await this.options.baseTenant?.(variant, tenantId)) ?? null;
  }

  private async requests(variant: string): Promise<Array<Revisioned<AccessRequest>>> {
    return (await this.store.list('requests')).filter((r) => r.value.variant === variant);
  }

  /** `Type.field` → owning team, for the variant's live schema. */
  private async ownersOf(variant: string): Promise<Map<string, string | null>> {
    const head = await this.options.schemas.head(variant);
    if (!head) return new Map();
    const teams = new Map(head.subgraphs.map((s) => [s.name, s.owner ?? null]));
    return new Map([...fieldOwners(head)].map(([c, sub]) => [c, teams.get(sub) ?? null]));
  }

  private ownsAll(by: ConsolePrincipal, request: AccessRequest, owners: Map<string, string | null>): boolean {
    const teams = teamsOf(by);
    return teams.length > 0 && request.coordinates.every((c) => {
      const team = owners.get(c);
      return team !== null && team !== undefined && teams.includes(team);
    });
  }

  private maySeeRequest(by: ConsolePrincipal, request: AccessRequest, owners: Map<string, string | null>): boolean {
    return maySeeTenant(by, request.tenant) || this.ownsAll(by, request, owners);
  }

  private mayDecide(by: ConsolePrincipal, request: AccessRequest, owners: Map<string, string | null>): boolean {
    return isPlatformAdmin(by) || this.ownsAll(by, request, owners);
  }
}

function tenantOfRoles(roles: readonly ConsoleRole[]): string | undefined {
  for (const r of roles) if (r.role === 'tenant-admin' || r.role === 'tenant-member') return r.tenant;
  return undefined;
}

export function sessionIdOf(sessionToken: string): string {
  return crypto.createHash('sha256').update(sessionToken).digest('hex');
}

export function publicUser(user: ConsoleUser): PublicUser {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

function forbidden(message: string): CharterError {
  return new CharterError('FORBIDDEN', message);
}

function badRequest(issues: z.ZodIssue[]): CharterError {
  return new CharterError('BAD_REQUEST', issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}
