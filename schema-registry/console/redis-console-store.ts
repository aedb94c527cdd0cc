/**
 * The console's records in Redis, for registries that run as several replicas: one hash per kind
 * (`<prefix>console:<kind>`, field = id, value = `{rev, value}` JSON) written by a Lua script that
 * compares the revision first, so two replicas cannot both win; the audit log is a list appended
 * by a script that takes the next id from a counter in the same step.
 */
import Redis from 'ioredis';
import { assertRecordId, auditLimit, type AuditQuery, type ConsoleStore, type PutResult, type Revisioned } from './console-store';
import type { AuditDraft, AuditEntry, ConsoleKind, ConsoleRecords } from './records';

// KEYS: kind hash. ARGV: id, expected rev ('' = must not exist), value JSON. Returns {1, rev} or {0, current rev or ''}.
const PUT_SCRIPT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local rev = ''
if raw then rev = tostring(cjson.decode(raw).rev) end
if rev ~= ARGV[2] then return {0, rev} end
local nextRev = 1
if rev ~= '' then nextRev = tonumber(rev) + 1 end
redis.call('HSET', KEYS[1], ARGV[1], '{"rev":' .. nextRev .. ',"value":' .. ARGV[3] .. '}')
return {1, tostring(nextRev)}
`;

// KEYS: audit counter, audit list. ARGV: entry JSON without id and at, timestamp. Returns the stored entry JSON.
const AUDIT_SCRIPT = `
local id = redis.call('INCR', KEYS[1])
local entry = cjson.decode(ARGV[1])
entry.id = id
entry.at = ARGV[2]
local json = cjson.encode(entry)
redis.call('RPUSH', KEYS[2], json)
return json
`;

export interface RedisConsoleStoreOptions {
  /** Key prefix; default `charter:registry:`. Tests use a fresh one each. */
  prefix?: string;
}

type PutCommand = (hash: string, id: string, expected: string, value: string) => Promise<[number, string]>;
type AuditCommand = (counter: string, list: string, entry: string, at: string) => Promise<string>;

export class RedisConsoleStore implements ConsoleStore {
  private readonly redis: Redis & { charterConsolePut: PutCommand; charterConsoleAudit: AuditCommand };
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(redis: Redis | string, options: RedisConsoleStoreOptions = {}) {
    this.owned = typeof redis === 'string';
    const client = typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: 2 }) : redis;
    client.defineCommand('charterConsolePut', { numberOfKeys: 1, lua: PUT_SCRIPT });
    client.defineCommand('charterConsoleAudit', { numberOfKeys: 2, lua: AUDIT_SCRIPT });
    this.redis = client as typeof this.redis;
    this.prefix = options.prefix ?? 'charter:registry:';
  }

  async get<K extends ConsoleKind>(kind: K, id: string): Promise<Revisioned<ConsoleRecords[K]> | null> {
    const raw = await this.redis.hget(this.key(kind), id);
    return raw === null ? null : (JSON.parse(raw) as Revisioned<ConsoleRecords[K]>);
  }

  async list<K extends ConsoleKind>(kind: K): Promise<Array<Revisioned<ConsoleRecords[K]>>> {
    const all = await this.redis.hgetall(this.key(kind));
    return Object.keys(all)
      .sort()
      .map((id) => JSON.parse(all[id]!) as Revisioned<ConsoleRecords[K]>);
  }

  async put<K extends ConsoleKind>(kind: K, id: string, value: ConsoleRecords[K], expectedRev: number | null): Promise<PutResult> {
    assertRecordId(id);
    const [ok, rev] = await this.redis.charterConsolePut(this.key(kind), id, expectedRev === null ? '' : String(expectedRev), JSON.stringify(value));
    if (ok !== 1) return { ok: false, reason: 'CONFLICT', rev: rev === '' ? null : Number(rev) };
    return { ok: true, rev: Number(rev) };
  }

  async remove(kind: ConsoleKind, id: string): Promise<void> {
    await this.redis.hdel(this.key(kind), id);
  }

  async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    const json = await this.redis.charterConsoleAudit(this.key('audit:seq'), this.key('audit'), JSON.stringify(draft), new Date().toISOString());
    return JSON.parse(json) as AuditEntry;
  }

  async audit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = auditLimit(query);
    // Entry n sits at list index n-1 (ids come from the counter in the same script as the push).
    const length = await this.redis.llen(this.key('audit'));
    const end = query.beforeId === undefined ? length - 1 : Math.min(length, query.beforeId - 1) - 1;
    if (end < 0) return [];
    const start = Math.max(0, end - limit + 1);
    const raws = await this.redis.lrange(this.key('audit'), start, end);
    return raws.map((r) => JSON.parse(r) as AuditEntry).reverse();
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(what: string): string {
    return `${this.prefix}console:${what}`;
  }
}
