/**
 * Alerts on the call log: a rule watches one tenant's (or every tenant's) error rate or p95 latency
 * over a trailing window; when it crosses its threshold it fires once (and again only after it has
 * cleared), delivered to a webhook as JSON or in Slack's `{text}` shape. Delivery retries with
 * backoff on network errors and non-2xx answers, runs detached (never awaited by evaluation, a
 * request or a publish) and every attempt lands in the delivery log.
 */
import { aggregateCalls } from './aggregate';
import type { CallStore } from './call-store';

export interface AlertRule {
  id: string;
  metric: 'errorRate' | 'p95Ms';
  /** Fires when the value is above this (errorRate as a fraction: 0.1 = 10%). */
  threshold: number;
  windowMs: number;
  /** Absent: every tenant together. */
  tenant?: string;
  /** Fewer requests in the window never fire (a single failed call is not a 100% error rate). Default 10. */
  minRequests?: number;
  webhook: { url: string; format: 'json' | 'slack' };
}

export interface AlertEvent {
  ruleId: string;
  metric: AlertRule['metric'];
  value: number;
  threshold: number;
  requests: number;
  tenant: string | null;
  from: string;
  to: string;
}

export interface DeliveryAttempt {
  ruleId: string;
  url: string;
  attempt: number;
  at: string;
  /** HTTP status, or null when the request failed (`error` says why). */
  status: number | null;
  ok: boolean;
  error?: string;
}

export interface AlertEngineOptions {
  store: CallStore;
  rules: readonly AlertRule[];
  /** Attempts per delivery; default 4. */
  maxAttempts?: number;
  /** First retry delay, doubled each time; default 500. */
  retryBaseMs?: number;
  /** Per attempt; default 5000. */
  timeoutMs?: number;
  /** Every attempt (keep it in a delivery log). */
  onAttempt?(attempt: DeliveryAttempt): void;
}

export interface AlertEngine {
  /** Evaluates every rule now; returns the events fired (their deliveries run detached). */
  evaluate(now?: number): Promise<AlertEvent[]>;
  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const firing = new Set<string>();
  const deliveries = new Set<Promise<void>>();
  const maxAttempts = options.maxAttempts ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 5000;

  const deliver = async (rule: AlertRule, event: AlertEvent): Promise<void> => {
    const body = rule.webhook.format === 'slack' ? { text: slackText(event) } : { alert: event };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const record: DeliveryAttempt = { ruleId: rule.id, url: rule.webhook.url, attempt, at: new Date().toISOString(), status: null, ok: false };
      try {
        const res = await fetch(rule.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer().catch(() => undefined);
        record.status = res.status;
        record.ok = res.ok;
      } catch (err) {
        record.error = (err as Error).message;
      }
      options.onAttempt?.(record);
      if (record.ok) return;
      // A 4xx other than 408/429 will not get better by retrying.
      if (record.status !== null && record.status >= 400 && record.status < 500 && record.status !== 408 && record.status !== 429) return;
      if (attempt < maxAttempts) await new Promise((r) => setTimeout(r, retryBaseMs * 2 ** (attempt - 1)));
    }
  };

  return {
    async evaluate(now = Date.now()) {
      const fired: AlertEvent[] = [];
      for (const rule of options.rules) {
        const from = now - rule.windowMs;
        const rows = await aggregateCalls(options.store.samples({ ...(rule.tenant !== undefined ? { tenant: rule.tenant } : {}), from, to: now }), { bucket: 'day' });
        // One window may straddle two day buckets: merge by requests (errors add; p95 takes the worse).
        const requests = rows.reduce((n, r) => n + r.requests, 0);
        const errors = rows.reduce((n, r) => n + r.errors, 0);
        const value = rule.metric === 'errorRate' ? (requests ? errors / requests : 0) : Math.max(0, ...rows.map((r) => r.p95Ms));
        const breached = requests >= (rule.minRequests ?? 10) && value > rule.threshold;
        if (!breached) {
          firing.delete(rule.id);
          continue;
        }
        if (firing.has(rule.id)) continue;
        firing.add(rule.id);
        const event: AlertEvent = { ruleId: rule.id, metric: rule.metric, value, threshold: rule.threshold, requests, tenant: rule.tenant ?? null, from: new Date(from).toISOString(), to: new Date(now).toISOString() };
        fired.push(event);
        const delivery = deliver(rule, event).finally(() => deliveries.delete(delivery));
        deliveries.add(delivery);
      }
      return fired;
    },
    async idle() {
      while (deliveries.size) await Promise.all([...deliveries]);
    },
  };
}

function slackText(e: AlertEvent): string {
  const value = e.metric === 'errorRate' ? `${(e.value * 100).toFixed(1)}% errors (threshold ${(e.threshold * 100).toFixed(1)}%)` : `p95 ${e.value.toFixed(0)} ms (threshold ${e.threshold} ms)`;
  return `:rotating_light: Charter alert ${e.ruleId}${e.tenant ? ` for tenant ${e.tenant}` : ''}: ${value} over ${e.requests} requests, ${e.from} – ${e.to}`;
}
