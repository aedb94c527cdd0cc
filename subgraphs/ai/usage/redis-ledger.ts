/**
 * A usage ledger in Redis, shared by every replica:
 * - `{prefix}spend:{tenant}:d:{YYYY-MM-DD}` / `:m:{YYYY-MM}`: USD spent plus estimates held (INCRBYFLOAT);
 * - `{prefix}tokens:{tenant}:{minute}`: tokens used plus held in that minute;
 * - `{prefix}stats:{tenant}:d:{day}` / `:m:{month}`: hashes of requests, inputTokens, outputTokens, costUsd;
 * - `{prefix}records`: a stream of every usage record.
 * The budget check and hold run in one Lua script, so replicas cannot both pass a budget only one fits.
 */
import type Redis from 'ioredis';
import type { BudgetName, BudgetReservation, ReserveOutcome, ReserveRequest, UsageLedger, UsageQuery, UsageRecord } from './ledger';
import { windowsOf } from './ledger';
import { describeRefusal } from './budget';

export interface RedisUsageLedgerOptions {
  redis: Redis;
  /** Key prefix, e.g. `charter:ai:`; give each test its own. */
  prefix?: string;
}

/**
 * KEYS: day spend, month spend, minute tokens.
 * ARGV: estimateUsd, estimateTokens, dailyUsd|'', monthlyUsd|'', tokensPerMinute|'', dayTtl, monthTtl, minuteTtl.
 * Same decision as findBrokenBudget() in budget.ts.
 */
const RESERVE_SCRIPT = `
local day = tonumber(redis.call('GET', KEYS[1]) or '0')
local month = tonumber(redis.call('GET', KEYS[2]) or '0')
local minute = tonumber(redis.call('GET', KEYS[3]) or '0')
local usd = tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
if ARGV[3] ~= '' and day + usd > tonumber(ARGV[3]) then return {'daily', tostring(day)} end
if ARGV[4] ~= '' and month + usd > tonumber(ARGV[4]) then return {'monthly', tostring(month)} end
if ARGV[5] ~= '' and minute + tokens > tonumber(ARGV[5]) then return {'tokensPerMinute', tostring(minute)} end
redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('INCRBYFLOAT', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[7])
redis.call('INCRBY', KEYS[3], tokens)
redis.call('EXPIRE', KEYS[3], ARGV[8])
return {'ok', ''}
`;

const DAY_TTL_S = 3 * 86_400;
const MONTH_TTL_S = 62 * 86_400;
const MINUTE_TTL_S = 120;
/** Stream ids carry the Redis server's clock; allow this much skew against the records' own times. */
const CLOCK_SKEW_MS = 5 * 60_000;

type ReserveReply = [string, string];

function limitArg(limit: number | undefined): string {
  return limit === undefined ? '' : String(limit);
}

export class RedisUsageLedger implements UsageLedger {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisUsageLedgerOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'charter:ai:';
  }

  private keys(tenant: string, windows: { day: string; month: string; minute: number }): [string, string, string] {
    return [`${this.prefix}spend:${tenant}:d:${windows.day}`, `${this.prefix}spend:${tenant}:m:${windows.month}`, `${this.prefix}tokens:${tenant}:${windows.minute}`];
  }

  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    const windows = windowsOf(request.at);
    const { budget } = request;
    const [verdict, used] = (await this.redis.eval(
      RESERVE_SCRIPT,
      3,
      ...this.keys(request.tenant, windows),
      String(request.estimateUsd),
      String(request.estimateTokens),
      limitArg(budget.dailyUsd),
      limitArg(budget.monthlyUsd),
      limitArg(budget.tokensPerMinute),
      DAY_TTL_S,
      MONTH_TTL_S,
      MINUTE_TTL_S,
    )) as ReserveReply;
    if (verdict === 'ok') {
      const reservation: BudgetReservation = { tenant: request.tenant, estimateUsd: request.estimateUsd, estimateTokens: request.estimateTokens, ...windows };
      return { status: 'reserved', reservation };
    }
    const name = verdict as BudgetName;
    const limit = name === 'daily' ? budget.dailyUsd! : name === 'monthly' ? budget.monthlyUsd! : budget.tokensPerMinute!;
    const estimate = name === 'tokensPerMinute' ? request.estimateTokens : request.estimateUsd;
    return { status: 'refused', budget: name, message: describeRefusal(request.tenant, { budget: name, limit, used: Number(used), estimate }) };
  }

  async settle(reservation: BudgetReservation, actual: { costUsd: number; tokens: number }): Promise<void> {
    const [dayKey, monthKey, minuteKey] = this.keys(reservation.tenant, reservation);
    const deltaUsd = String(actual.costUsd - reservation.estimateUsd);
    await this.redis
      .multi()
      .incrbyfloat(dayKey, deltaUsd)
      .incrbyfloat(monthKey, deltaUsd)
      .incrby(minuteKey, actual.tokens - reservation.estimateTokens)
      .exec();
  }

  async record(record: UsageRecord): Promise<void> {
    const windows = windowsOf(new Date(record.at));
    const dayStats = `${this.prefix}stats:${record.tenant}:d:${windows.day}`;
    const monthStats = `${this.prefix}stats:${record.tenant}:m:${windows.month}`;
    const multi = this.redis.multi();
    for (const key of [dayStats, monthStats]) {
      multi
        .hincrby(key, 'requests', 1)
        .hincrby(key, 'inputTokens', record.inputTokens)
        .hincrby(key, 'outputTokens', record.outputTokens)
        .hincrbyfloat(key, 'costUsd', record.costUsd);
    }
    multi.expire(dayStats, 400 * 86_400).expire(monthStats, 800 * 86_400);
    multi.xadd(`${this.prefix}records`, '*', 'r', JSON.stringify(record));
    await multi.exec();
  }

  /** Per-tenant counters of one UTC day (`YYYY-MM-DD`) or month (`YYYY-MM`). */
  async readStats(tenant: string, window: string): Promise<{ requests: number; inputTokens: number; outputTokens: number; costUsd: number; spentUsd: number }> {
    const kind = window.length === 7 ? 'm' : 'd';
    const [stats, spent] = await Promise.all([this.redis.hgetall(`${this.prefix}stats:${tenant}:${kind}:${window}`), this.redis.get(`${this.prefix}spend:${tenant}:${kind}:${window}`)]);
    return {
      requests: Number(stats.requests ?? 0),
      inputTokens: Number(stats.inputTokens ?? 0),
      outputTokens: Number(stats.outputTokens ?? 0),
      costUsd: Number(stats.costUsd ?? 0),
      spentUsd: Number(spent ?? 0),
    };
  }

  async list(query: UsageQuery): Promise<UsageRecord[]> {
    const from = query.from.getTime();
    const to = query.to.getTime();
    const records: UsageRecord[] = [];
    let start = String(Math.max(0, from - CLOCK_SKEW_MS));
    const end = String(to + CLOCK_SKEW_MS);
    // Page through the stream so a long range does not come back as one huge reply.
    for (;;) {
      const page = await this.redis.xrange(`${this.prefix}records`, start, end, 'COUNT', 1000);
      for (const [, fields] of page) {
        const record = JSON.parse(fields[1]!) as UsageRecord;
        const at = Date.parse(record.at);
        if (at >= from && at < to && (query.tenant === undefined || record.tenant === query.tenant)) records.push(record);
      }
      if (page.length < 1000) break;
      start = `(${page[page.length - 1]![0]}`;
    }
    return records.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /** The Redis client belongs to the caller; closing the ledger leaves it open. */
  async close(): Promise<void> {}
}
