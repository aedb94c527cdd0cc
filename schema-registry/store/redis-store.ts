/**
 * Versions in Redis, for registries that run as several replicas. Per variant: a hash of version
 * JSON by id, a hash of summaries (history without reading whole supergraphs) and a head key.
 * An append is one Lua script: compare the head with the expected id, then write the version, its
 * summary and the new head together, so two replicas racing on a variant cannot both win and a
 * version is never half-written.
 */
import Redis from 'ioredis';
import { summarize, type SchemaVersion, type VersionDraft, type VersionSummary } from '../client/wire-types';
import type { AppendResult, RegistryStore } from './registry-store';
import { VARIANT_NAME } from '../client/wire-types';


// KEYS: head, versions hash, summaries hash, variants set. ARGV: expected head ('' = none), new id, version JSON, summary JSON, variant.
const APPEND_SCRIPT = `
local head = redis.call('GET', KEYS[1]) or ''
if head ~= ARGV[1] then return {0, head} end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[5])
return {1, ARGV[2]}
`;

export interface RedisRegistryStoreOptions {
  /** Key prefix; default `charter:registry:`. Tests use a fresh one each. */
  prefix?: string;
}

type AppendCommand = (head: string, versions: string, summaries: string, variants: string, expected: string, id: string, version: string, summary: string, variant: string) => Promise<[number, string]>;

export class RedisRegistryStore implements RegistryStore {
  private readonly redis: Redis & { charterAppendVersion: AppendCommand };
  private readonly owned: boolean;
  private readonly prefix: string;
  /** Versions are immutable, so a parsed one can be kept. */
  private readonly cache = new Map<string, SchemaVersion>();

  constructor(redis: Redis | string, options: RedisRegistryStoreOptions = {}) {
    this.owned = typeof redis === 'string';
    const client = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2 }) : redis;
    client.defineCommand('charterAppendVersion', { numberOfKeys: 4, lua: APPEND_SCRIPT });
    this.redis = client as Redis & { charterAppendVersion: AppendCommand };
    this.prefix = options.prefix ?? 'charter:registry:';
  }

  async headId(variant: string): Promise<number | null> {
    const raw = await this.redis.get(this.key(variant, 'head'));
    return raw === null ? null : Number(raw);
  }

  async head(variant: string): Promise<SchemaVersion | null> {
    const id = await this.headId(variant);
    return id === null ? null : this.version(variant, id);
  }

  async version(variant: string, id: number): Promise<SchemaVersion | null> {
    const cacheKey = `${variant}/${id}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    if (!Number.isInteger(id) || id < 1) return null;
    const raw = await this.redis.hget(this.key(variant, 'versions'), String(id));
    if (raw === null) return null;
    const version = JSON.parse(raw) as SchemaVersion;
    this.cache.set(cacheKey, version);
    return version;
  }

  async history(variant: string, limit = 50): Promise<VersionSummary[]> {
    const headId = await this.headId(variant);
    if (headId === null) return [];
    const ids: string[] = [];
    for (let id = headId; id >= 1 && ids.length < limit; id--) ids.push(String(id));
    const raws = await this.redis.hmget(this.key(variant, 'summaries'), ...ids);
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as VersionSummary);
  }

  async variants(): Promise<string[]> {
    return (await this.redis.smembers(`${this.prefix}variants`)).sort();
  }

  async append(variant: string, expectedHeadId: number | null, draft: VersionDraft): Promise<AppendResult> {
    if (!VARIANT_NAME.test(variant)) throw new Error(`invalid variant name "${variant}"`);
    // The id is fixed by the expected head: the script refuses the write unless that head is still current.
    const version: SchemaVersion = { ...draft, id: (expectedHeadId ?? 0) + 1, parentId: expectedHeadId, variant, createdAt: new Date().toISOString() };
    const [ok, head] = await this.redis.charterAppendVersion(
      this.key(variant, 'head'),
      this.key(variant, 'versions'),
      this.key(variant, 'summaries'),
      `${this.prefix}variants`,
      expectedHeadId === null ? '' : String(expectedHeadId),
      String(version.id),
      JSON.stringify(version),
      JSON.stringify(summarize(version)),
      variant,
    );
    if (ok !== 1) return { ok: false, reason: 'CONFLICT', headId: head === '' ? null : Number(head) };
    this.cache.set(`${variant}/${version.id}`, version);
    return { ok: true, version };
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(variant: string, what: string): string {
    return `${this.prefix}variant:${variant}:${what}`;
  }
}
