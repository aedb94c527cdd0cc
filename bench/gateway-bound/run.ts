/**
 * The gateway-bound benchmark (issue 13): four in-memory Federation 2 subgraphs, each its own
 * process, and the load generator (this process, autocannon) pinned with `taskset` to one core; the
 * gateway under test alone on the other core. Every gateway runs at once (an idle one costs
 * nothing) and the rows take turns: a warm-up each, then `rounds` rounds of one window per row and
 * query, in a new order each round, so the machine's drifting load (it is shared) falls on every row
 * alike. Ratios are computed within the run, per round too, and their spread is printed.
 *
 * Rows: (a) plain Apollo Gateway + Apollo Server; (a') the same with undici's fetch as its fetcher;
 * (b) Charter, full pipeline (API key, 200-rule policy, rate limits, metrics, signing), cache and
 * dedup off; (b0) Charter with every optional layer off; (e) Hive Gateway, dedup off; (d) the
 * products subgraph directly (the single-subgraph query only: the ceiling); (m) one non-federated
 * server of the same data.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeSubgraphs } from '../../governance/check';
import { generateBenchPolicy } from '../bench-policy';
import { usageOf } from '../child-ipc';
import { BENCH_KEYS, type GatewayProcessOptions } from '../gateway-process';
import { collectGarbage, measureWindow, warmUp, type LoadOptions, type LoadWindow } from '../load';
import { startChild, type Child } from '../start-child';
import { runExtras } from './extras';
import { SUBGRAPH_FIXTURES } from './fixtures';
import { GATEWAY_BOUND_QUERIES, HEAVY, SINGLE, TOP_PRODUCTS, type GatewayBoundQuery } from './queries';

export interface GatewayBoundArgs {
  rounds: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  /** Row ids to run (all when null). */
  only: Set<string> | null;
  queries: GatewayBoundQuery[];
  /** Writes .cpuprofile files of that gateway process (apollo, charter, …) to ./bench-profiles. */
  profile: string | null;
  /** Growth table, cold paths and (when > 0) the leak check with this many requests (extras.ts). */
  extras: boolean;
  leakRequests: number;
  /** `--quick`: only the rows issue 13 lists (not the `--workers 2` row), to stay within its time. */
  quick?: boolean;
}

export const DEFAULT_GATEWAY_BOUND_ARGS: GatewayBoundArgs = { rounds: 3, durationSec: 3, warmupSec: 1, connections: 50, only: null, queries: GATEWAY_BOUND_QUERIES, profile: null, extras: false, leakRequests: 200_000 };

interface Row {
  id: string;
  label: string;
  process: string;
  headers?: Record<string, string>;
  /** Runs only these queries (the direct subgraph can answer only its own). */
  queries?: string[];
  /** Not pinned: several worker processes spread over both CPUs (sharing one with the load). */
  unpinned?: boolean;
  /** Left out of `--quick` unless named in `--gb-only`. */
  fullRunOnly?: boolean;
}

const ROWS: Row[] = [
  { id: 'a', label: 'plain Apollo Gateway + Apollo Server', process: 'apollo' },
  { id: "a'", label: 'Apollo Gateway, undici fetcher', process: 'apollo-undici' },
  { id: 'b', label: 'Charter full pipeline, cache off', process: 'charter', headers: { 'x-api-key': BENCH_KEYS.policy } },
  { id: 'b2', label: 'Charter full, --workers 2 (both CPUs)', process: 'charter-2w', headers: { 'x-api-key': BENCH_KEYS.policy }, queries: [TOP_PRODUCTS.name, HEAVY.name], unpinned: true, fullRunOnly: true },
  { id: 'b0', label: 'Charter, every optional layer off', process: 'charter-bare' },
  { id: 'e', label: 'Hive Gateway, dedup off', process: 'hive' },
  { id: 'd', label: 'products subgraph directly', process: 'products', queries: [SINGLE.name] },
  { id: 'm', label: 'monolith (one plain server)', process: 'monolith' },
];

/** Pins a process to one CPU; false when `taskset` is missing or refuses (then nothing is pinned). */
function pin(pid: number, cpu: number | string): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** JSON with sorted keys, so answers from different servers compare by content. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  rssMb: number;
  failures: number;
}

function figures(windows: ReadonlyArray<LoadWindow & { rss: number }>): Figures {
  const requests = windows.reduce((n, w) => n + w.requests, 0);
  const seconds = windows.reduce((n, w) => n + w.durationSec, 0);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return {
    rps: seconds ? requests / seconds : 0,
    p50: median(windows.map((w) => w.p50Ms)),
    p99: median(windows.map((w) => w.p99Ms)),
    cpuMsPerRequest: requests ? windows.reduce((n, w) => n + w.cpuMicros, 0) / 1000 / requests : Number.NaN,
    rssMb: Math.max(...windows.map((w) => w.rss)) / 1024 / 1024,
    failures: windows.reduce((n, w) => n + w.failures, 0),
  };
}

export interface GatewayBoundResult {
  report: string;
  /** One line per query: `gateway-bound <query>: b/a 2.13x (CPU 0.47x), e/a 0.61x`. */
  summary: string[];
}

export async function runGatewayBound(args: GatewayBoundArgs, log: (line: string) => void): Promise<GatewayBoundResult> {
  const started = Date.now();
  const cpus = os.cpus().length;
  const gatewayCpu = 0;
  const otherCpu = cpus > 1 ? 1 : 0;
  const pinned = cpus > 1 && pin(process.pid, otherCpu);
  if (!pinned) log('taskset unavailable or one CPU only: processes are not pinned, figures mix gateway and load');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-gateway-bound-'));
  const children: Child[] = [];
  const rows = ROWS.filter((r) => (args.only ? args.only.has(r.id) : !(args.quick && r.fullRunOnly)));
  try {
    const subgraphs = await Promise.all(SUBGRAPH_FIXTURES.map((f) => startChild(path.join(__dirname, 'subgraph-process.js'), { name: f.name })));
    const monolith = await startChild(path.join(__dirname, 'subgraph-process.js'), { name: 'monolith' });
    children.push(...subgraphs, monolith);
    if (pinned) for (const c of children) pin(c.process.pid!, otherCpu);
    const composed = composeSubgraphs(subgraphs.map((s, i) => ({ name: SUBGRAPH_FIXTURES[i]!.name, url: s.ready.url, sdl: s.ready.typeDefs as string })));
    if (!composed.ok) throw new Error(`the in-memory subgraphs do not compose: ${composed.errors.map((e) => e.message).join('; ')}`);
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(supergraphFile, composed.supergraphSdl);
    const policy = generateBenchPolicy(composed.apiSchema());
    const policyFile = path.join(dir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ mode: policy.mode, fallback: policy.fallback, rules: policy.rules }));

    const processes: Record<string, GatewayProcessOptions> = {
      apollo: { kind: 'apollo', supergraphFile },
      'apollo-undici': { kind: 'apollo-undici', supergraphFile },
      charter: { kind: 'charter', supergraphFile, policyFile, cache: false, dedupe: false },
      'charter-bare': { kind: 'charter-bare', supergraphFile },
      'charter-2w': { kind: 'charter', supergraphFile, policyFile, cache: false, dedupe: false, workers: 2 },
      hive: { kind: 'hive', supergraphFile, dedupe: false },
    };
    const servers = new Map<string, Child>();
    servers.set('products', subgraphs[SUBGRAPH_FIXTURES.findIndex((f) => f.name === 'products')]!);
    servers.set('monolith', monolith);
    for (const row of rows) {
      const options = processes[row.process];
      if (!options || servers.has(row.process)) continue;
      const execArgv = args.profile === row.process ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('bench-profiles')}`] : [];
      const child = await startChild(path.join(__dirname, '..', 'gateway-process.js'), options, execArgv);
      children.push(child);
      servers.set(row.process, child);
      if (pinned && row.unpinned) for (const pid of [child.process.pid!, ...((child.ready.pids as number[] | undefined) ?? [])]) pin(pid, `0-${cpus - 1}`);
      else if (pinned) pin(child.process.pid!, gatewayCpu);
    }
    log(`gateway-bound: 4 in-memory subgraphs + monolith + load on cpu ${otherCpu}, gateways on cpu ${gatewayCpu}; rows ${rows.map((r) => r.id).join(', ')}`);

    // Every (row, query), checked once: the same data as plain Apollo Gateway's answer.
    type Pair = { row: Row; query: GatewayBoundQuery; options: LoadOptions; server: Child; windows: Array<LoadWindow & { rss: number }> };
    const pairs: Pair[] = [];
    const reference = new Map<string, string>();
    for (const query of args.queries) {
      for (const row of rows) {
        if (row.queries && !row.queries.includes(query.name)) continue;
        const server = servers.get(row.process)!;
        const body = (i: number) => JSON.stringify({ query: query.query, variables: query.variables(i) });
        const response = await fetch(server.ready.url, { method: 'POST', headers: { 'content-type': 'application/json', ...row.headers }, body: body(0) });
        const json = (await response.json()) as { data?: unknown; errors?: unknown };
        if (response.status !== 200 || json.errors) throw new Error(`${row.label} answered ${query.name} with ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
        const answer = canonical(json.data);
        const expected = reference.get(query.name);
        if (expected === undefined) reference.set(query.name, answer);
        else if (expected !== answer) throw new Error(`${row.label} answered ${query.name} with other data than ${rows[0]!.label}`);
        pairs.push({ row, query, server, windows: [], options: { url: server.ready.url, headers: row.headers, body, connections: query.connections ?? args.connections, durationSec: args.durationSec, warmupSec: args.warmupSec } });
      }
    }
    const sizes = args.queries.map((q) => `${q.name} ${(reference.get(q.name)!.length / 1024).toFixed(1)} KB`).join(', ');
    log(`gateway-bound: answers agree; sizes ${sizes}`);
    const everyone = children.map((c) => c.process);
    for (const pair of pairs) await warmUp(pair.options);
    for (let round = 0; round < args.rounds; round++) {
      log(`gateway-bound round ${round + 1}/${args.rounds}`);
      // Rotate the order each round: no row always follows the same neighbour.
      const order = pairs.map((_, i) => pairs[(i * 7 + round * 5) % pairs.length]!);
      const seen = new Set<Pair>();
      for (const pair of [...order, ...pairs]) {
        if (seen.has(pair)) continue;
        seen.add(pair);
        await collectGarbage(everyone);
        const window = await measureWindow(pair.options, pair.server.process);
        const { rss } = await usageOf(pair.server.process);
        pair.windows.push({ ...window, rss });
      }
    }

    const lines: string[] = [];
    const header = `gateway-bound graph, ${new Date().toISOString()}, ${cpus} cores (${os.cpus()[0]?.model ?? 'cpu'}), node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}; ${pinned ? `gateway alone on cpu ${gatewayCpu}, subgraphs + autocannon on cpu ${otherCpu}` : 'NOT pinned'}; autocannon ${args.connections} connections (${args.queries.filter((q) => q.connections).map((q) => `${q.name} ${q.connections}`).join(', ') || 'every query'}), ${args.rounds} interleaved rounds of ${args.durationSec} s; answer sizes: ${sizes}`;
    lines.push(header, '', 'row                                        query               RPS    p50 ms   p99 ms  CPU ms/req  RSS MB  failures  RPS/a');
    const byKey = new Map(pairs.map((p) => [`${p.row.id} ${p.query.name}`, p]));
    for (const query of args.queries) {
      const a = byKey.get(`a ${query.name}`);
      const aFig = a ? figures(a.windows) : undefined;
      for (const row of rows) {
        const pair = byKey.get(`${row.id} ${query.name}`);
        if (!pair) continue;
        const f = figures(pair.windows);
        const ratio = aFig ? `${(f.rps / aFig.rps).toFixed(2)}x` : '';
        lines.push(`(${row.id}) ${row.label.padEnd(38)} ${query.name.padEnd(18)} ${f.rps.toFixed(0).padStart(6)}  ${f.p50.toFixed(1).padStart(7)}  ${f.p99.toFixed(1).padStart(7)}  ${f.cpuMsPerRequest.toFixed(3).padStart(10)}  ${f.rssMb.toFixed(0).padStart(6)}  ${String(f.failures).padStart(8)}  ${ratio.padStart(6)}`);
      }
    }
    lines.push('');
    const summary: string[] = [];
    const perRound = (x: Pair | undefined, y: Pair | undefined) => {
      if (!x || !y) return '';
      // A round where the second row finished no request (a slow gateway on a busy machine) has no ratio.
      const counted = x.windows.map((w, i) => [w, y.windows[i]!] as const).filter(([, v]) => v.requests > 0);
      const ratios = counted.map(([w, v]) => w.requests / w.durationSec / (v.requests / v.durationSec));
      const skipped = x.windows.length - counted.length;
      const note = skipped ? ` (${skipped} round${skipped > 1 ? 's' : ''} without a finished request of the second row)` : '';
      return ratios.length ? `per round ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x${note}` : `per round n/a${note}`;
    };
    for (const query of args.queries) {
      const get = (id: string) => byKey.get(`${id} ${query.name}`);
      const fig = (id: string) => (get(id) ? figures(get(id)!.windows) : undefined);
      const [a, a2, b, b0, e] = ['a', "a'", 'b', 'b0', 'e'].map(fig);
      const ratio = (x?: Figures, y?: Figures) => (x && y ? `${(x.rps / y.rps).toFixed(2)}x (CPU ${(x.cpuMsPerRequest / y.cpuMsPerRequest).toFixed(2)}x)` : 'n/a');
      const targeted = query.name === 'top-products' || query.name === 'heavy';
      const verdict = (ok: boolean | undefined) => (!targeted || ok === undefined ? '' : ok ? ' PASS' : ' FAIL');
      lines.push(`${query.name}:`);
      lines.push(`  b/a   Charter full / plain Apollo      = ${ratio(b, a)}  ${perRound(get('b'), get('a'))}${targeted ? '  target >= 4x, CPU <= 0.25x' : ''}${verdict(a && b ? b.rps / a.rps >= 4 && b.cpuMsPerRequest / a.cpuMsPerRequest <= 0.25 : undefined)}`);
      lines.push(`  b/a'  Charter full / Apollo undici     = ${ratio(b, a2)}  ${perRound(get('b'), get("a'"))}${targeted ? '  target >= 3x' : ''}${verdict(a2 && b ? b.rps / a2.rps >= 3 : undefined)}`);
      lines.push(`  b0/a  Charter bare / plain Apollo      = ${ratio(b0, a)}`);
      lines.push(`  e/a   Hive / plain Apollo              = ${ratio(e, a)}`);
      const b2 = fig('b2');
      if (b2 && b) lines.push(`  b2/b  Charter 2 workers / 1 worker     = ${ratio(b2, b)}  (no target: the second CPU also runs the subgraphs and the load)`);
      if (b && a) summary.push(`gateway-bound ${query.name}: b/a ${(b.rps / a.rps).toFixed(2)}x (CPU ${(b.cpuMsPerRequest / a.cpuMsPerRequest).toFixed(2)}x), e/a ${e ? `${(e.rps / a.rps).toFixed(2)}x` : 'n/a'}`);
    }
    if (args.extras && servers.has('apollo') && servers.has('charter')) {
      const charterRow = rows.find((r) => r.id === 'b')!;
      const extras = await runExtras({
        apollo: { child: servers.get('apollo')! },
        charter: { child: servers.get('charter')!, headers: charterRow.headers },
        processes: { apollo: processes.apollo!, charter: processes.charter! },
        pinGateway: (pid) => void (pinned && pin(pid, gatewayCpu)),
        leakRequests: args.leakRequests,
        log,
      });
      lines.push('', extras);
    }
    lines.push(`  (took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    // Last, so the block (and `--quick`'s output) ends with the lines scripts read.
    lines.push('', ...summary);
    return { report: lines.join('\n'), summary };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
    // The REST-demo rows after this run unpinned, as before.
    if (pinned) pin(process.pid, `0-${cpus - 1}`);
  }
}
