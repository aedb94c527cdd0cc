/**
 * An injected error spike fires its alert once to a loopback webhook, which answers 500 first: the
 * delivery is retried and logged; a healthy window or a repeat evaluation sends nothing more.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallRecord } from './call-record';
import { createAlertEngine, type DeliveryAttempt } from './alerts';
import { loadSqlite, SqliteCallStore } from './sqlite-call-store';

const sqlite = loadSqlite();
if (!sqlite.ok) console.warn(`Skipping alerts: ${sqlite.reason}`);
const maybe = sqlite.ok ? describe : describe.skip;

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const call = (over: Partial<CallRecord>): CallRecord => ({ time: NOW - 30_000, tenant: 'acme', entrance: 'graphql', status: 200, errorCodes: [], latencyMs: 10, ...over });

maybe('alerts', () => {
  let receiver: http.Server;
  let url: string;
  const received: Array<{ body: any }> = [];
  let failNext = 0;
  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        received.push({ body: JSON.parse(text) });
        res.writeHead(failNext-- > 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
  beforeEach(() => {
    received.length = 0;
  });

  test('an error spike alerts once, retried after a 500, every attempt logged', async () => {
    const store = SqliteCallStore.open(':memory:');
    const log: DeliveryAttempt[] = [];
    const engine = createAlertEngine({ store, rules: [{ id: 'acme-errors', metric: 'errorRate', threshold: 0.2, windowMs: 300_000, tenant: 'acme', webhook: { url, format: 'json' } }], retryBaseMs: 10, onAttempt: (a) => log.push(a) });
    await store.insert(Array.from({ length: 20 }, () => call({})));
    expect(await engine.evaluate(NOW)).toEqual([]);

    // The spike: 10 failures among 30 calls, and another tenant's failures that must not count.
    await store.insert([...Array.from({ length: 10 }, () => call({ status: 502, errorCodes: ['UPSTREAM_ERROR'] })), ...Array.from({ length: 50 }, () => call({ tenant: 'globex', status: 500 }))]);
    failNext = 1;
    const fired = await engine.evaluate(NOW);
    expect(fired).toHaveLength(1);
    await engine.idle();
    expect(received).toHaveLength(2);
    expect(received[1]!.body.alert).toMatchObject({ ruleId: 'acme-errors', metric: 'errorRate', requests: 30, tenant: 'acme' });
    expect(received[1]!.body.alert.value).toBeCloseTo(1 / 3);
    expect(log.map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);

    // Still breached: no second alert.
    expect(await engine.evaluate(NOW + 1000)).toEqual([]);
    await engine.idle();
    expect(received).toHaveLength(2);
    await store.close();
  });

  test('Slack-compatible webhooks get {text}; an unreachable webhook never throws out of evaluate', async () => {
    const store = SqliteCallStore.open(':memory:');
    await store.insert(Array.from({ length: 12 }, () => call({ latencyMs: 900 })));
    const log: DeliveryAttempt[] = [];
    const engine = createAlertEngine({
      store,
      rules: [
        { id: 'slow', metric: 'p95Ms', threshold: 500, windowMs: 300_000, webhook: { url, format: 'slack' } },
        { id: 'nowhere', metric: 'p95Ms', threshold: 500, windowMs: 300_000, webhook: { url: 'http://127.0.0.1:1/hook', format: 'json' } },
      ],
      retryBaseMs: 5,
      maxAttempts: 2,
      onAttempt: (a) => log.push(a),
    });
    expect((await engine.evaluate(NOW)).map((e) => e.ruleId)).toEqual(['slow', 'nowhere']);
    await engine.idle();
    expect(received).toHaveLength(1);
    expect(received[0]!.body.text).toMatch(/Charter alert slow: p95 9\d\d ms \(threshold 500 ms\) over 12 requests/);
    expect(log.filter((a) => a.ruleId === 'nowhere').map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, null, false],
      [2, null, false],
    ]);
    await store.close();
  });
});
