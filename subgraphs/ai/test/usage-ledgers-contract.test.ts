/** Every AI usage ledger (memory, file, Redis) keeps the one ledger contract: budgets, settling, listing. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/redis';
import { FileUsageLedger } from '../usage/file-ledger';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { RedisUsageLedger } from '../usage/redis-ledger';
import { runUsageLedgerContract } from '../usage/usage-ledger.contract';

describe('MemoryUsageLedger', () => {
  runUsageLedgerContract(async () => new MemoryUsageLedger());
});

describe('FileUsageLedger', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-ledger-contract-'));
  let n = 0;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  runUsageLedgerContract(() => FileUsageLedger.open({ path: path.join(dir, `usage-${++n}.jsonl`) }));
});

describeWithRedis('RedisUsageLedger', () => {
  let server: TestRedis;
  let redis: Redis;
  let n = 0;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });
  // The ledger does not own the shared client: `close` leaves it open for the next test.
  runUsageLedgerContract(async () => new RedisUsageLedger({ redis, prefix: `contract:${process.pid}:${++n}:` }));
});
