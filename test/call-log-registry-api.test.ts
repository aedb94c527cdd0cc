/**
 * The registry's call-log API over real HTTP: gateways' batches land in the SQLite store, reads and
 * stats come back exact, a tenant-scoped token sees only its tenant, and unauthenticated or
 * under-scoped callers and bad batches are refused with their codes.
 */
import { CallLogClient } from '../schema-registry/client/call-log-client';
import type { CallRecord } from '../analytics/call-record';
import { loadSqlite } from '../analytics/sqlite-call-store';
import { createLogger } from '../core/logger';
import { sha256Hex } from '../schema-registry/auth';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { tempDir } from './support/charter-process';

const sqlite = loadSqlite();
if (!sqlite.ok) console.warn(`Skipping the call-log registry API: ${sqlite.reason}`);
const maybe = sqlite.ok ? describe : describe.skip;

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const call = (over: Partial<CallRecord>): CallRecord => ({ time: T0, tenant: 'acme', entrance: 'graphql', status: 200, errorCodes: [], latencyMs: 12, operationName: 'Books', ...over });

maybe('call-log API', () => {
  let registry: RunningRegistry;
  const gatewayClient = (r: RunningRegistry) => new CallLogClient(r.url, 'gw-token');
  beforeAll(async () => {
    registry = await startRegistry({
      dataDir: tempDir('calls-api'),
      logger: createLogger('test', 'silent'),
      tokens: [
        { id: 'gateway', tokenSha256: sha256Hex('gw-token'), scopes: ['read', 'report-usage'] },
        { id: 'acme-reader', tokenSha256: sha256Hex('acme-token'), scopes: ['read'], tenants: ['acme'] },
      ],
    });
    const batch = [
      ...Array.from({ length: 8 }, (_, i) => call({ time: T0 + i * 1000 })),
      call({ time: T0 + 9000, status: 500, errorCodes: ['UPSTREAM_ERROR'] }),
      call({ time: T0 + 9500, tenant: 'globex', operationName: 'Secret', status: 403, errorCodes: ['FORBIDDEN'] }),
    ];
    expect(await gatewayClient(registry).sendCalls(batch)).toEqual({ status: 202 });
  });
  afterAll(async () => {
    await registry?.close();
  });

  test('calls come back newest first, filtered as asked', async () => {
    const { status, body } = await gatewayClient(registry).read('calls', { status: 'error' });
    expect(status).toBe(200);
    expect(body.calls.map((c: CallRecord) => [c.tenant, c.status, c.errorCodes])).toEqual([
      ['globex', 403, ['FORBIDDEN']],
      ['acme', 500, ['UPSTREAM_ERROR']],
    ]);
  });

  test('stats per operation: exact counts and error rate', async () => {
    const { body } = await gatewayClient(registry).read('stats', { from: String(T0), to: String(T0 + 60_000), bucket: 'minute', groupBy: 'tenant,operation' });
    expect(body.rows.map((r: any) => [r.tenant, r.operationName, r.requests, r.errors])).toEqual([
      ['acme', 'Books', 9, 1],
      ['globex', 'Secret', 1, 1],
    ]);
    expect(body.rows[0].p95Ms).toBeCloseTo(12, 0);
  });

  test("a tenant-scoped token sees only its tenant's calls and stats, and is refused another's", async () => {
    const acme = new CallLogClient(registry.url, 'acme-token');
    const own = await acme.read('calls', {});
    expect(own.status).toBe(200);
    expect(new Set(own.body.calls.map((c: CallRecord) => c.tenant))).toEqual(new Set(['acme']));
    const stats = await acme.read('stats', { from: String(T0), to: String(T0 + 60_000), groupBy: 'tenant' });
    expect(stats.body.rows.map((r: any) => r.tenant)).toEqual(['acme']);
    const other = await acme.read('calls', { tenant: 'globex' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
  });

  test('a read-only token cannot write calls; no token is 401', async () => {
    expect(await new CallLogClient(registry.url, 'acme-token').sendCalls([call({})])).toEqual({ status: 403 });
    const anonymous = await new CallLogClient(registry.url).read('calls', {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
  });

  test('hostile batches and queries are 400 with a code, never stored', async () => {
    const res = await fetch(`${registry.url}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gw-token' }, body: JSON.stringify({ calls: [{ ...call({}), variables: { password: 'x' } }] }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('BAD_REQUEST');
    const bad = await gatewayClient(registry).read('calls', { status: "500' OR 1=1" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    expect(await registry.calls!.count()).toBe(10);
  });
});
