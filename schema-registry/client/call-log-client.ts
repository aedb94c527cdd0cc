/** insight: the call-log routes of the registry, for gateways (send batches) and the CLI (read). */
import type { CallSink } from '../../analytics/call-log-writer';
import type { CallRecord } from '../../analytics/call-record';

export class CallLogClient implements CallSink {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    /** A batch send never waits longer than this (the writer counts it as dropped). */
    private readonly timeoutMs = 10_000,
  ) {}

  async sendCalls(calls: CallRecord[]): Promise<{ status: number }> {
    const res = await fetch(`${this.baseUrl}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json', ...this.auth() }, body: JSON.stringify({ calls }), signal: AbortSignal.timeout(this.timeoutMs) });
    await res.arrayBuffer();
    return { status: res.status };
  }

  /** GET /api/calls or /api/stats with the given query; the status and parsed body. */
  async read(route: 'calls' | 'stats', query: Record<string, string | undefined>): Promise<{ status: number; body: any }> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    const res = await fetch(`${this.baseUrl}/api/${route}?${params}`, { headers: this.auth() });
    return { status: res.status, body: await res.json().catch(() => ({ error: { message: `registry answered ${res.status}` } })) };
  }

  private auth(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}
