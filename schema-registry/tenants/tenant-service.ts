/**
 * TenantService: the one path by which tenants, their policies and their API keys change in the
 * registry. A change is validated (a policy must parse, and may only name coordinates the variant's
 * current API has), appended as a new immutable tenant version (compare-and-set on the variant's
 * tenant head, re-planned when another replica won), then announced so long-polling gateways
 * reload at once. API keys are generated here, returned once, and stored only as SHA-256 hashes.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { generateApiKey, hashApiKey } from '../../tenancy/api-key-hash';
import { planSchema } from '../../tenancy/plan';
import { checkPolicyCoordinates } from '../../tenancy/policy-coordinates';
import { parsePolicy, type Policy } from '../../tenancy/policy';
import { apiSchemaOfSupergraph } from '../check-pipeline';
import type { Problem, RejectionCode } from '../publisher';
import type { RegistryStore } from '../store/registry-store';
import type { TenantPolicyRef } from './policy-coordinates-check';
import type { StoredApiKey, StoredTenant, TenantRecord, TenantSet, TenantVersion, TenantVersionDraft } from '../../tenancy/tenant-records';
import type { TenantStore } from './tenant-store';
import { SerialQueues } from '../../core/async';

export const TENANT_ID = /^[a-z0-9][a-z0-9-]*$/;
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_CAS_ATTEMPTS = 5;

/** The body of `PUT /api/variants/:v/tenants/:id`. `apiKeys` (hashes only) replace the stored ones when given; absent, the stored keys stay. */
export const tenantInputSchema = z
  .object({
    description: z.string().max(1000).optional(),
    roles: z.array(z.string().min(1)).default([]),
    scopes: z.array(z.string().min(1)).default([]),
    plan: planSchema.default({}),
    apiKeys: z.array(z.object({ id: z.string().regex(KEY_ID, 'letters, digits, ".", "_" and "-", at most 64'), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters') }).strict()).optional(),
    policy: z.unknown().optional(),
    author: z.string().optional(),
  })
  .strict();

export type TenantRejection = { status: 'rejected'; code: RejectionCode; message: string; problems: Problem[] };

/** What a tenant version looks like in an answer: the change, without the whole record. */
export type TenantVersionSummary = Omit<TenantVersion, 'record'>;

export type TenantOutcome =
  | { status: 'saved'; /** True when the tenant did not exist before. */ created: boolean; tenant: StoredTenant; version: TenantVersionSummary; notes: string[] }
  | { status: 'unchanged'; tenant: StoredTenant }
  | TenantRejection;

export type ApiKeyOutcome =
  | { status: 'created'; tenant: string; keyId: string; /** Shown once: only its hash is stored. */ apiKey: string; version: TenantVersionSummary }
  | { status: 'deleted'; tenant: string; keyId: string; version: TenantVersionSummary }
  | TenantRejection;

export interface TenantServiceEvents {
  /** A variant's tenant set has a new version. */
  changed: [variant: string, versionId: number];
}

type Plan<T> = { kind: 'rejected'; outcome: TenantRejection } | { kind: 'unchanged'; outcome: T } | { kind: 'append'; draft: TenantVersionDraft; done: (version: TenantVersion) => T };

export class TenantService extends EventEmitter<TenantServiceEvents> {
  /** One change at a time per variant in this process, so CAS conflicts only come from other replicas. */
  private readonly locks = new SerialQueues();

  constructor(
    readonly store: TenantStore,
    /** The schema versions, for checking policy coordinates against the live API. */
    private readonly schemas: RegistryStore,
  ) {
    super();
  }

  list(variant: string): Promise<TenantSet> {
    return this.store.list(variant);
  }

  get(variant: string, tenant: string): Promise<StoredTenant | null> {
    return this.store.get(variant, tenant);
  }

  history(variant: string, tenant: string, limit?: number): Promise<TenantVersion[]> {
    return this.store.history(variant, tenant, limit);
  }

  /** Every tenant policy of a variant, for the schema checks. */
  async policiesOf(variant: string): Promise<TenantPolicyRef[]> {
    const { tenants } = await this.store.list(variant);
    return tenants.filter((t) => t.policy !== undefined).map((t) => ({ tenant: t.id, policy: t.policy! }));
  }

  /** Creates or replaces a tenant; its policy must parse and name only coordinates of the live API. */
  async put(variant: string, tenantId: string, body: unknown): Promise<TenantOutcome> {
    if (!TENANT_ID.test(tenantId)) return reject('BAD_REQUEST', `Tenant id "${tenantId}" must hold only lower-case letters, digits and dashes`, []);
    const parsed = tenantInputSchema.safeParse(body);
    if (!parsed.success) return reject('BAD_REQUEST', describe(parsed.error.issues), parsed.error.issues.map((i) => ({ message: `${i.path.join('.') || 'body'}: ${i.message}` })));
    const input = parsed.data;
    let policy: Policy | undefined;
    if (input.policy !== undefined) {
      const result = parsePolicy(input.policy);
      if (result.status === 'invalid') return reject('BAD_REQUEST', `The policy of tenant "${tenantId}" is invalid: ${result.errors.join('; ')}`, result.errors.map((message) => ({ message: `policy.${message}` })));
      // The gateway derives the version from the tenant version; an author's own label would hide changes.
      const { version: _ignored, ...rest } = result.policy;
      policy = rest;
    }
    const notes: string[] = [];
    if (policy) {
      const head = await this.schemas.head(variant);
      if (!head) notes.push(`Variant "${variant}" has no supergraph yet: the policy's coordinates were not checked.`);
      else {
        const errors = checkPolicyCoordinates(policy, apiSchemaOfSupergraph(head.supergraphSdl));
        if (errors.length > 0) {
          return reject(
            'CHECKS_FAILED',
            `The policy of tenant "${tenantId}" names ${errors.length === 1 ? 'a coordinate' : 'coordinates'} that variant "${variant}" (version ${head.id}) lacks: ${errors.map((e) => e.coordinate).join(', ')}`,
            errors.map((e) => ({ message: e.message, coordinate: e.coordinate, code: 'POLICY_COORDINATE_UNKNOWN' })),
          );
        }
      }
    }
    return this.commit<TenantOutcome>(variant, tenantId, (current) => {
      const record: TenantRecord = {
        id: tenantId,
        ...(input.description !== undefined ? { description: input.description } : {}),
        roles: input.roles,
        scopes: input.scopes,
        plan: input.plan,
        apiKeys: input.apiKeys ?? current?.apiKeys ?? [],
        ...(policy ? { policy } : {}),
      };
      if (current && sameRecord(current, record)) return { kind: 'unchanged', outcome: { status: 'unchanged', tenant: current } };
      return {
        kind: 'append',
        draft: { tenant: tenantId, action: 'put', author: input.author, record },
        done: (version) => ({ status: 'saved', created: !current, tenant: storedOf(version), version: summaryOf(version), notes }),
      };
    });
  }

  /** Generates an API key for a tenant; the answer holds the key, the store only its hash. */
  async createApiKey(variant: string, tenantId: string, body: unknown): Promise<ApiKeyOutcome> {
    const parsed = z.object({ id: z.string().regex(KEY_ID, 'letters, digits, ".", "_" and "-", at most 64').optional(), author: z.string().optional() }).strict().safeParse(body ?? {});
    if (!parsed.success) return reject('BAD_REQUEST', describe(parsed.error.issues), []);
    const apiKey = generateApiKey(tenantId);
    return this.commit<ApiKeyOutcome>(variant, tenantId, (current) => {
      if (!current) return { kind: 'rejected', outcome: reject('NOT_FOUND', `Variant "${variant}" has no tenant "${tenantId}"`, []) };
      const keyId = parsed.data.id ?? `key-${crypto.randomBytes(4).toString('hex')}`;
      if (current.apiKeys.some((k) => k.id === keyId)) return { kind: 'rejected', outcome: reject('CONFLICT', `Tenant "${tenantId}" already has a key "${keyId}"`, []) };
      const key: StoredApiKey = { id: keyId, sha256: hashApiKey(apiKey), createdAt: new Date().toISOString() };
      return {
        kind: 'append',
        draft: { tenant: tenantId, action: 'create-key', keyId, author: parsed.data.author, record: { ...recordOf(current), apiKeys: [...current.apiKeys, key] } },
        done: (version) => ({ status: 'created', tenant: tenantId, keyId, apiKey, version: summaryOf(version) }),
      };
    });
  }

  /** Removes a key: gateways stop accepting it as soon as they see the new version. */
  async deleteApiKey(variant: string, tenantId: string, keyId: string, author?: string): Promise<ApiKeyOutcome> {
    return this.commit<ApiKeyOutcome>(variant, tenantId, (current) => {
      if (!current) return { kind: 'rejected', outcome: reject('NOT_FOUND', `Variant "${variant}" has no tenant "${tenantId}"`, []) };
      if (!current.apiKeys.some((k) => k.id === keyId)) return { kind: 'rejected', outcome: reject('NOT_FOUND', `Tenant "${tenantId}" has no key "${keyId}"`, []) };
      return {
        kind: 'append',
        draft: { tenant: tenantId, action: 'delete-key', keyId, author, record: { ...recordOf(current), apiKeys: current.apiKeys.filter((k) => k.id !== keyId) } },
        done: (version) => ({ status: 'deleted', tenant: tenantId, keyId, version: summaryOf(version) }),
      };
    });
  }

  async close(): Promise<void> {
    await this.locks.drain();
  }

  /** Plans on the tenant's current record and appends; re-plans when another replica moved the head. */
  private commit<T extends { status: string }>(variant: string, tenantId: string, plan: (current: StoredTenant | null) => Plan<T>): Promise<T | TenantRejection> {
    const run = async (): Promise<T | TenantRejection> => {
      for (let attempt = 1; ; attempt++) {
        const headId = await this.store.headId(variant);
        const planned = plan(await this.store.get(variant, tenantId));
        if (planned.kind !== 'append') return planned.outcome;
        const result = await this.store.append(variant, headId, planned.draft);
        if (result.ok) {
          this.emit('changed', variant, result.version.id);
          return planned.done(result.version);
        }
        if (attempt >= MAX_CAS_ATTEMPTS) return reject('CONFLICT', `The tenants of variant "${variant}" changed under this change ${attempt} times; retry it`, []);
      }
    };
    return this.locks.run(variant, run);
  }
}

function recordOf(stored: StoredTenant): TenantRecord {
  const { version: _version, updatedAt: _updatedAt, author: _author, ...record } = stored;
  return record;
}

function storedOf(version: TenantVersion): StoredTenant {
  return { ...version.record, version: version.id, updatedAt: version.createdAt, ...(version.author ? { author: version.author } : {}) };
}

function summaryOf(version: TenantVersion): TenantVersionSummary {
  const { record: _record, ...summary } = version;
  return summary;
}

function sameRecord(stored: StoredTenant, record: TenantRecord): boolean {
  return canonical(recordOf(stored)) === canonical(record);
}

/** JSON with sorted keys, so equal records compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v));
}

function describe(issues: z.ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

function reject(code: RejectionCode, message: string, problems: Problem[]): TenantRejection {
  return { status: 'rejected', code, message, problems };
}
