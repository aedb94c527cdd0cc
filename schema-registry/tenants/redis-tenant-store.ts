/**
 * Tenant versions in Redis, for registries that run as several replicas. Per variant: a head key,
 * a hash of version JSON by id, a hash of each tenant's current record, and a list of version ids
 * per tenant (newest first). An append is one Lua script that compares the head with the expected
 * id and writes all four together, so racing replicas cannot both win and nothing is half-written.
 */
import Redis from 'ioredis';
import { type StoredTenant, type TenantSet, type TenantVersion, type TenantVersionDraft } from '../../tenancy/tenant-records';
import { buildTenantVersion, type TenantAppendResult, type TenantStore } from './tenant-store';
import { VARIANT_NAME } from '../client/wire-types';

// KEYS: head, versions hash, current hash, tenant history list. ARGV: expected head ('' = none), new id, version JSON, tenant id, stored tenant JSON.
const APPEND_SCRIPT = `
local head = redis.call('GET', KEYS[1]) or ''
if head ~= ARGV[1] then return {0, head} end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('LPUSH', KEYS[4], ARGV[2])
redis.call('SET', KEYS[1], ARGV[2])
return {1, ARGV[2]}
`;

export interface RedisTenantStoreOptions {
  /** Key prefix; default `charter:registry:`. Tests use a fresh one each. */
  prefix?: string;
}

type AppendCommand = (head: string, versions: string, current: string, history: string, expected: string, id: string, version: string, tenant: string, stored: string) => Promise<[number, string]>;

export class RedisTenantStore implements TenantStore {
  private readonly redis: Redis & { charterAppendTenant: AppendCommand };
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(redis: Redis | string, options: RedisTenantStoreOptions = {}) {
    this.owned = typeof redis === 'string';
    const client = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2 }) : redis;
    client.defineCommand('charterAppendTenant', { numberOfKeys: 4, lua: APPEND_SCRIPT });
    this.redis = client as Redis & { charterAppendTenant: AppendCommand };
    this.prefix = options.prefix ?? 'charter:registry:';
  }

  async headId(variant: string): Promise<number | null> {
    const raw = await this.redis.get(this.key(variant, 'head'));
    return raw === null ? null : Number(raw);
  }

  async list(variant: string): Promise<TenantSet> {
    // One MULTI so the head id and the records it names are read together.
    const results = await this.redis.multi().get(this.key(variant, 'head')).hvals(this.key(variant, 'current')).exec();
    const head = results?.[0]?.[1] as string | null;
    const values = (results?.[1]?.[1] as string[] | undefined) ?? [];
    const tenants = values.map((v) => JSON.parse(v) as StoredTenant).sort((a, b) => a.id.localeCompare(b.id));
    return { variant, versionId: head === null || head === undefined ? null : Number(head), tenants };
  }

  async get(variant: string, tenant: string): Promise<StoredTenant | null> {
    const raw = await this.redis.hget(this.key(variant, 'current'), tenant);
    return raw === null ? null : (JSON.parse(raw) as StoredTenant);
  }

  async history(variant: string, tenant: string, limit = 50): Promise<TenantVersion[]> {
    const ids = await this.redis.lrange(this.key(variant, `history:${tenant}`), 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(this.key(variant, 'versions'), ...ids);
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as TenantVersion);
  }

  async append(variant: string, expectedHeadId: number | null, draft: TenantVersionDraft): Promise<TenantAppendResult> {
    if (!VARIANT_NAME.test(variant)) throw new Error(`invalid variant name "${variant}"`);
    // The id is fixed by the expected head: the script refuses the write unless that head is still current.
    const { version, stored } = buildTenantVersion(variant, expectedHeadId, draft);
    const [ok, head] = await this.redis.charterAppendTenant(
      this.key(variant, 'head'),
      this.key(variant, 'versions'),
      this.key(variant, 'current'),
      this.key(variant, `history:${draft.tenant}`),
      expectedHeadId === null ? '' : String(expectedHeadId),
      String(version.id),
      JSON.stringify(version),
      draft.tenant,
      JSON.stringify(stored),
    );
    if (ok !== 1) return { ok: false, reason: 'CONFLICT', headId: head === '' ? null : Number(head) };
    return { ok: true, version };
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(variant: string, what: string): string {
    return `${this.prefix}tenants:${variant}:${what}`;
  }
}
