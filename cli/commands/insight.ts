/**
 * insight: `charter calls` and `charter stats` read the registry's call log (`/api/calls`,
 * `/api/stats`) with the token in CHARTER_REGISTRY_TOKEN (else the `charter dev` admin token).
 * `charter calls --json` prints one JSON object per call (`time` as ISO, `tenant`, `operationName`,
 * `status`, `latencyMs`, and the rest of the record). Exit codes: 0 done, 2 could not run.
 */
import type { Command } from 'commander';
import { CallLogClient } from '../../schema-registry/client/call-log-client';
import type { CallRecord } from '../../analytics/call-record';
import { loadConfig } from '../config';
import { cliRegistryToken } from '../registry-token';

function clientOf(program: Command, opts: { registry?: string }): CallLogClient {
  const config = loadConfig(program.opts().config);
  const url = opts.registry ?? process.env.CHARTER_REGISTRY_URL ?? config.registry.url ?? `http://127.0.0.1:${config.gateway.port + 1}`;
  return new CallLogClient(url.replace(/\/+$/, ''), cliRegistryToken(config.dataDir));
}

/** `--since 1h` / `30m` / `7d`, or an ISO time / epoch ms: epoch ms. */
export function parseTime(value: string | undefined, now = Date.now()): string | undefined {
  if (value === undefined) return undefined;
  const ago = /^(\d+)([smhd])$/.exec(value);
  if (ago) return String(now - Number(ago[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 's' | 'm' | 'h' | 'd']);
  if (/^\d+$/.test(value)) return value;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new Error(`not a time: "${value}" (use 30m, 2h, 7d, an ISO time or epoch ms)`);
  return String(parsed);
}

async function run(action: () => Promise<{ status: number; body: any } | void>): Promise<void> {
  try {
    const answer = await action();
    if (answer && answer.status >= 300) {
      process.stderr.write(`Refused (${answer.body?.error?.code ?? answer.status}): ${answer.body?.error?.message ?? 'no message'}\n`);
      process.exitCode = 2;
    }
  } catch (err) {
    process.stderr.write(`charter: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}

interface CallsOptions {
  registry?: string;
  tenant?: string;
  operation?: string;
  status?: string;
  since?: string;
  until?: string;
  limit: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('calls')
    .description("the call log: one line per request, newest first (a tenant-scoped token sees only its tenant's calls)")
    .option('-r, --registry <url>', 'registry URL (default: CHARTER_REGISTRY_URL or the config)')
    .option('--tenant <name>', 'only this tenant')
    .option('--operation <name>', 'only this operation name')
    .option('--status <code|error>', 'an HTTP status, or "error" for every status >= 400')
    .option('--since <time>', 'from: 30m, 2h, 7d, an ISO time or epoch ms')
    .option('--until <time>', 'to (exclusive), same forms')
    .option('--limit <n>', 'at most this many calls', '100')
    .option('--json', 'one JSON object per call per line')
    .action((opts: CallsOptions) =>
      run(async () => {
        const answer = await clientOf(program, opts).read('calls', { tenant: opts.tenant, operation: opts.operation, status: opts.status, from: parseTime(opts.since), to: parseTime(opts.until), limit: opts.limit });
        if (answer.status >= 300) return answer;
        const calls = answer.body.calls as CallRecord[];
        for (const c of calls) {
          if (opts.json) process.stdout.write(`${JSON.stringify({ ...c, time: new Date(c.time).toISOString(), operationName: c.operationName ?? null })}\n`);
          else process.stdout.write(`${new Date(c.time).toISOString()}  ${c.tenant.padEnd(12)} ${String(c.status).padStart(3)} ${c.latencyMs.toFixed(1).padStart(8)} ms  ${c.operationName ?? '(anonymous)'}${c.errorCodes.length ? `  ${c.errorCodes.join(',')}` : ''}\n`);
        }
        if (!opts.json) process.stdout.write(`${calls.length} call(s)\n`);
        return answer;
      }),
    );

  program
    .command('stats')
    .description('requests, error rate, p50/p95/p99 latency and AI spend per time bucket')
    .option('-r, --registry <url>', 'registry URL (default: CHARTER_REGISTRY_URL or the config)')
    .option('--tenant <name>', 'only this tenant')
    .option('--since <time>', 'from (default 24h): 30m, 2h, 7d, an ISO time or epoch ms', '24h')
    .option('--until <time>', 'to (exclusive), same forms')
    .option('--bucket <minute|hour|day>', 'time bucket', 'hour')
    .option('--by <list>', 'group by: operation,tenant,client', 'operation')
    .option('--json', 'the rows as JSON')
    .action((opts: { registry?: string; tenant?: string; since?: string; until?: string; bucket: string; by: string; json?: boolean }) =>
      run(async () => {
        const answer = await clientOf(program, opts).read('stats', { tenant: opts.tenant, from: parseTime(opts.since), to: parseTime(opts.until), bucket: opts.bucket, groupBy: opts.by });
        if (answer.status >= 300) return answer;
        const rows = answer.body.rows as Array<Record<string, any>>;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return answer;
        }
        process.stdout.write(`${'bucket'.padEnd(24)} ${'group'.padEnd(30)} ${'requests'.padStart(8)} ${'errors'.padStart(7)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'AI $'.padStart(9)}\n`);
        for (const r of rows) {
          const group = [r.tenant, r.operationName, r.clientName].filter((v) => v !== undefined).map((v) => v ?? '-').join(' / ') || '(all)';
          process.stdout.write(
            `${new Date(r.bucket).toISOString().padEnd(24)} ${group.slice(0, 30).padEnd(30)} ${String(r.requests).padStart(8)} ${`${(r.errorRate * 100).toFixed(1)}%`.padStart(7)} ${r.p50Ms.toFixed(1).padStart(8)} ${r.p95Ms.toFixed(1).padStart(8)} ${r.p99Ms.toFixed(1).padStart(8)} ${r.aiCostUsd.toFixed(4).padStart(9)}\n`,
          );
        }
        return answer;
      }),
    );
}
