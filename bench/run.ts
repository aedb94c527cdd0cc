/**
 * `npm run bench`: the gateway throughput benchmark (DESIGN.md "Targets"), then the registry case.
 *
 * On 127.0.0.1, each in its own process: the four demo REST backends, the four demo REST subgraphs
 * (without the gateway-signature check, so every gateway can call them), and one gateway at a time:
 *   (a) plain @apollo/gateway + Apollo Server 5 (startStandaloneServer)
 *   (b) Charter, full pipeline: API key, 200-rule policy, rate limits, metrics; cache and dedupe off
 *   (b0) the same Charter process, a tenant without a policy (issue 6's ratio)
 *   (c) Charter on a cache hit (cache on, one request repeated)
 *   (d) the products subgraph called directly (its part of each query)
 *   (e) Hive Gateway on the same supergraph (subgraph-request deduplication off)
 * then, separately, with deduplication on and one identical request from every connection:
 * Apollo (no deduplication to turn on), Charter `dedupe: true`, Hive Gateway's default.
 * Every gateway runs at once (an idle one costs nothing) and the cases take turns: after a warm-up
 * each, `--rounds` rounds of one `--duration` window per case and query, so slow drifts in the
 * machine's load (it is shared) fall on every case alike; each round takes the cases in another order
 * (b0 always beside b, alternately before and after it), and every window starts only once the
 * processes are idle again and have collected their garbage (no leftovers billed to the next case).
 * CPU time is read inside each process.
 * The table is printed and appended to bench/RESULTS.md with the command, date and machine.
 *
 * First (issue 13) the gateway-bound graph (bench/gateway-bound/run.ts); `--quick` runs only that
 * (without its `--workers 2` row, b2),
 * `--no-gateway-bound` skips it, `--gb-rounds N` sets its rounds (default 3), `--gb-only a,b` its
 * rows, `--gb-queries heavy,...` its queries; then (not with `--quick`, nor `--no-extras`) the growth
 * table, cold paths and the leak check (`--leak-requests N`, default 200000; 0 skips it).
 *
 *   npm run build && node dist/bench/run.js [--quick] [--rounds 4] [--duration 3] [--warmup 2] [--connections 20]
 *       [--only a,b,b0,c,d,e,dedupe] [--queries multi,heavy] [--no-registry] [--no-record]
 *       [--compare OTHER_DIST_DIR]   (that build's Charter as case (b~), for before/after figures)
 *       [--profile apollo|charter|hive]   (writes .cpuprofile files of that gateway to ./bench-profiles)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeSubgraphs } from '../governance/check';
import { generateBenchPolicy } from './bench-policy';
import { BENCH_KEYS, type GatewayProcessOptions } from './gateway-process';
import { combineWindows, measureWindow, settle, warmUp, type LoadFigures, type LoadOptions, type LoadWindow } from './load';
import { BENCH_QUERIES, type BenchQuery } from './queries';
import { DEFAULT_GATEWAY_BOUND_ARGS, runGatewayBound } from './gateway-bound/run';
import { runRegistryPublishBench } from './registry-publish';
import type { StackRole } from './stack-process';
import { startChild, type Child } from './start-child';

interface Args {
  /** Only the gateway-bound rows (issue 13). */
  quick: boolean;
  /** Skip the gateway-bound rows (the REST-demo rows only). */
  gatewayBound: boolean;
  gatewayBoundRounds: number;
  rounds: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  only: Set<string> | null;
  registry: boolean;
  record: boolean;
  profile: string | null;
  queries: BenchQuery[];
  /** Another build's `dist` directory: its Charter runs as case (b~) beside this one, for before/after. */
  compare: string | null;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    quick: argv.includes('--quick'),
    gatewayBound: !argv.includes('--no-gateway-bound'),
    gatewayBoundRounds: Number(value('--gb-rounds') ?? 3),
    rounds: Number(value('--rounds') ?? 4),
    durationSec: Number(value('--duration') ?? 3),
    warmupSec: Number(value('--warmup') ?? 2),
    // 20, not more: every gateway here is saturated well below that, and deeper queues only add
    // waiting time and scatter to the CPU figures (at 50, p50 was 0.4-1.5 s for every gateway).
    connections: Number(value('--connections') ?? 20),
    only: value('--only') ? new Set(value('--only')!.split(',')) : null,
    registry: !argv.includes('--no-registry'),
    record: !argv.includes('--no-record'),
    profile: value('--profile') ?? null,
    compare: value('--compare') ?? null,
    queries: value('--queries') ? BENCH_QUERIES.filter((q) => value('--queries')!.split(',').includes(q.name)) : BENCH_QUERIES,
  };
}

/** A deterministic shuffle (Fisher-Yates over a small LCG seeded by `seed`); seed 0 keeps the order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  if (seed === 0) return out;
  let state = seed * 2654435761;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The round's order with each case that has a `pairedWith` placed right beside its partner (same
 * query): after it in even rounds, before it in odd ones. A ratio like b/b0 then compares windows
 * measured back to back, under the same machine load and after the same neighbour, instead of
 * windows the shuffle put after different cases (b's multi window followed a heavy Apollo or Hive
 * window in all four rounds of the default run, b0's in none).
 */
function pairedOrder<T extends { bench: BenchCase; query: BenchQuery }>(items: readonly T[], round: number): T[] {
  const partnerOf = (item: T) => items.find((other) => other.bench.id === item.bench.pairedWith && other.query === item.query);
  const paired = new Set(items.filter((item) => partnerOf(item)));
  const out: T[] = [];
  for (const item of shuffled(items.filter((i) => !paired.has(i)), round)) {
    const followers = items.filter((other) => paired.has(other) && partnerOf(other) === item);
    if (round % 2 === 0) out.push(item, ...followers);
    else out.push(...followers, item);
  }
  return out;
}

/** JSON with sorted keys, so answers from different gateways compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { data?: unknown; errors?: unknown[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

interface BenchCase {
  id: string;
  label: string;
  /** Which process serves it: a gateway-process key, or `products` (the subgraph). */
  process: string;
  headers?: Record<string, string>;
  /** Every request the same (cache hit, deduplication); otherwise variables vary per request. */
  identical?: boolean;
  /** The products subgraph's own part of each query. */
  direct?: boolean;
  note?: string;
  /** `--only` selects by this instead of the id. */
  group?: string;
  /** The id of the case this one is compared with: their windows are always measured back to back. */
  pairedWith?: string;
}

interface Row {
  case: string;
  query: string;
  figures: LoadFigures;
  note?: string;
}

function formatTable(rows: Row[]): string {
  const lines = ['case                                   query      RPS   p50 ms  p99 ms  CPU ms/req  failures  (subgraphs+backends CPU ms/req)'];
  for (const row of rows) {
    const f = row.figures;
    lines.push(
      `${row.case.padEnd(38)} ${row.query.padEnd(7)} ${f.rps.toFixed(0).padStart(7)}  ${f.p50Ms.toFixed(1).padStart(6)}  ${f.p99Ms.toFixed(1).padStart(6)}  ${f.cpuMsPerRequest.toFixed(3).padStart(10)}  ${String(f.failures).padStart(8)}  (${f.dataPlaneCpuMsPerRequest.toFixed(2)})${row.note ? `  ${row.note}` : ''}`,
    );
  }
  return lines.join('\n');
}

function ratioLines(rows: Row[], queries: BenchQuery[]): string[] {
  const find = (id: string, query: string) => rows.find((r) => r.case.startsWith(`(${id})`) && r.query === query)?.figures;
  const out: string[] = [];
  const fmt = (x: LoadFigures | undefined, y: LoadFigures | undefined) => (x && y ? `${(x.rps / y.rps).toFixed(2)}x (CPU ${(x.cpuMsPerRequest / y.cpuMsPerRequest).toFixed(2)}x)` : 'n/a');
  for (const q of queries) {
    const a = find('a', q.name);
    const b = find('b', q.name);
    const b0 = find('b0', q.name);
    const c = find('c', q.name);
    const e = find('e', q.name);
    const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' PASS' : ' FAIL');
    out.push(`${q.name}:`);
    out.push(`  b/a  (Charter full pipeline / plain Apollo Gateway) = ${fmt(b, a)}  target >= 1.0 and > e/a${verdict(a && b && e ? b.rps / a.rps >= 1 && b.rps / a.rps > e.rps / a.rps : undefined)}`);
    out.push(`  c/a  (Charter cache hit / plain Apollo Gateway)     = ${fmt(c, a)}  target >= 10${verdict(a && c ? c.rps / a.rps >= 10 : undefined)}`);
    out.push(`  e/a  (Hive Gateway / plain Apollo Gateway)          = ${fmt(e, a)}`);
    out.push(`  b/b0 (200-rule policy / no policy)                  = ${fmt(b, b0)}  target >= 0.9${verdict(b && b0 ? b.rps / b0.rps >= 0.9 : undefined)}`);
    const before = find('b~', q.name);
    if (before) out.push(`  b/b~ (this build / the --compare build)            = ${fmt(b, before)}`);
    const da = find('a=', q.name);
    const db = find('b=', q.name);
    const de = find('e=', q.name);
    if (da || db || de) out.push(`  dedupe on, identical requests: Charter/Apollo = ${fmt(db, da)}, Hive/Apollo = ${fmt(de, da)}`);
  }
  return out;
}

/** Appends a run to bench/RESULTS.md with the command that produced it. */
function record(title: string, text: string): void {
  const command = `node dist/bench/run.js ${process.argv.slice(2).join(' ')}`.trim();
  const resultsFile = path.resolve(__dirname, '../../bench/RESULTS.md');
  const file = fs.existsSync(path.dirname(resultsFile)) ? resultsFile : path.resolve('bench/RESULTS.md');
  fs.appendFileSync(file, `\n### ${title}\n\n\`\`\`\n$ npm run bench -- ${process.argv.slice(2).join(' ')}   # = ${command}\n${text}\n\`\`\`\n`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (args.gatewayBound) {
    const argv = process.argv.slice(2);
    const value = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
    const only = value('--gb-only');
    const queries = value('--gb-queries')?.split(',');
    const result = await runGatewayBound(
      {
        ...DEFAULT_GATEWAY_BOUND_ARGS,
        rounds: args.gatewayBoundRounds,
        profile: args.profile,
        extras: !args.quick && !argv.includes('--no-extras'),
        quick: args.quick,
        leakRequests: Number(value('--leak-requests') ?? 200_000),
        only: only ? new Set(only.split(',')) : null,
        queries: queries ? DEFAULT_GATEWAY_BOUND_ARGS.queries.filter((q) => queries.includes(q.name)) : DEFAULT_GATEWAY_BOUND_ARGS.queries,
      },
      log,
    );
    process.stdout.write(`${result.report}\n`);
    if (args.record) record('Gateway-bound graph', result.report);
    if (args.quick) return;
  }
  await runRestDemo(args);
}

async function runRestDemo(args: Args): Promise<void> {
  const wanted = (id: string) => !args.only || args.only.has(id);
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-bench-'));
  const children: Child[] = [];
  const rows: Row[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    // The data plane: backends, then each subgraph in its own process.
    const backends = await startChild('stack-process.js', { role: 'backends' } satisfies StackRole);
    children.push(backends);
    const urls = backends.ready.urls as Record<string, string>;
    const wiring: Array<{ name: string; backend: string }> = [
      { name: 'accounts', backend: 'users' },
      { name: 'products', backend: 'catalog' },
      { name: 'inventory', backend: 'inventory' },
      { name: 'reviews', backend: 'reviews' },
    ];
    const subgraphs = await Promise.all(wiring.map((w) => startChild('stack-process.js', { role: 'subgraph', name: w.name, baseUrl: urls[w.backend]! } satisfies StackRole)));
    children.push(...subgraphs);
    const composed = composeSubgraphs(subgraphs.map((s, i) => ({ name: wiring[i]!.name, url: s.ready.url, sdl: s.ready.typeDefs as string })));
    if (!composed.ok) throw new Error(`the demo subgraphs do not compose: ${composed.errors.map((e) => e.message).join('; ')}`);
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(supergraphFile, composed.supergraphSdl);
    const policy = generateBenchPolicy(composed.apiSchema());
    const policyFile = path.join(dir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ mode: policy.mode, fallback: policy.fallback, rules: policy.rules }));
    log(`setup ready: 4 backends, 4 subgraphs (own processes), policy of ${policy.ruleNodes} rule nodes over ${policy.coordinates} coordinates`);

    const dataPlane = children.map((c) => c.process);
    const load = { connections: args.connections, durationSec: args.durationSec, warmupSec: args.warmupSec };

    // Every gateway process the wanted cases need, started together.
    const processes: Record<string, GatewayProcessOptions> = {
      apollo: { kind: 'apollo', supergraphFile },
      charter: { kind: 'charter', supergraphFile, policyFile, cache: false, dedupe: false },
      'charter-cache': { kind: 'charter', supergraphFile, policyFile, cache: true, dedupe: false },
      hive: { kind: 'hive', supergraphFile, dedupe: false },
      'charter-dedupe': { kind: 'charter', supergraphFile, policyFile, cache: false, dedupe: true },
      'hive-default': { kind: 'hive', supergraphFile },
      'charter-compare': { kind: 'charter', supergraphFile, policyFile, cache: false, dedupe: false },
    };
    const policyKey = { 'x-api-key': BENCH_KEYS.policy };
    const cases: BenchCase[] = [
      { id: 'a', label: 'Apollo Gateway + Apollo Server', process: 'apollo' },
      { id: 'b', label: 'Charter, 200-rule policy, no cache', process: 'charter', headers: policyKey },
      ...(args.compare ? [{ id: 'b~', label: `Charter from ${path.basename(path.dirname(path.resolve(args.compare)))}, policy`, process: 'charter-compare', headers: policyKey, group: 'b' }] : []),
      { id: 'b0', label: 'Charter, no policy, no cache', process: 'charter', headers: { 'x-api-key': BENCH_KEYS.open }, pairedWith: 'b' },
      { id: 'c', label: 'Charter, cache hit (policy on)', process: 'charter-cache', headers: policyKey, identical: true },
      { id: 'd', label: 'products subgraph directly', process: 'products', direct: true, note: 'its own fields only' },
      { id: 'e', label: 'Hive Gateway (dedupe off)', process: 'hive' },
      { id: 'a=', label: 'Apollo Gateway, identical requests', process: 'apollo', identical: true, group: 'dedupe' },
      { id: 'b=', label: 'Charter dedupe on, identical reqs', process: 'charter-dedupe', headers: policyKey, identical: true, group: 'dedupe' },
      { id: 'e=', label: 'Hive default dedupe, identical reqs', process: 'hive-default', identical: true, group: 'dedupe' },
    ].filter((c: BenchCase) => wanted(c.group ?? c.id));
    const needed = [...new Set(cases.map((c) => c.process))].filter((p) => p in processes);
    const gateways = new Map<string, Child>();
    await Promise.all(
      needed.map(async (name) => {
        const execArgv = args.profile === name ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('bench-profiles')}`] : [];
        const script = name === 'charter-compare' ? path.resolve(args.compare!, 'bench/gateway-process.js') : 'gateway-process.js';
        const child = await startChild(script, processes[name], execArgv);
        children.push(child);
        gateways.set(name, child);
      }),
    );
    gateways.set('products', subgraphs[1]!);
    log(`gateways ready: ${needed.join(', ')}`);

    // Each (case, query): its load options, checked once against plain Apollo's answer.
    const references = new Map<string, string>();
    const pairs: Array<{ bench: BenchCase; query: BenchQuery; options: LoadOptions; server: Child; windows: LoadWindow[] }> = [];
    for (const bench of cases) {
      for (const q of args.queries) {
        const server = gateways.get(bench.process)!;
        const text = bench.direct ? q.direct.query : q.query;
        const vary = bench.direct ? q.direct.variables : q.variables;
        const body = (i: number) => JSON.stringify({ query: text, variables: vary(bench.identical ? 0 : i) });
        const check = await post(server.ready.url, body(0), bench.headers);
        if (check.status !== 200 || check.json.errors) throw new Error(`${bench.label} answered ${check.status} ${JSON.stringify(check.json).slice(0, 400)}`);
        if (!bench.direct) {
          const answer = canonical(check.json.data);
          const reference = references.get(q.name);
          if (reference === undefined) references.set(q.name, answer);
          else if (reference !== answer) throw new Error(`${bench.label} answered ${q.name} with other data than ${cases[0]!.label}`);
        }
        pairs.push({ bench, query: q, options: { url: server.ready.url, headers: bench.headers, body, ...load }, server, windows: [] });
      }
    }
    const everyone = [...new Set([...dataPlane, ...[...gateways.values()].map((g) => g.process)])];
    for (const pair of pairs) await warmUp(pair.options);
    for (let round = 0; round < args.rounds; round++) {
      log(`round ${round + 1}/${args.rounds}`);
      // A new order every round (a fixed shuffle per round), so no case always follows the same
      // neighbour; compared cases (b, b0) stay side by side, taking turns at going first.
      for (const pair of pairedOrder(pairs, round)) {
        await settle(everyone);
        const plane = dataPlane.filter((p) => p !== pair.server.process);
        pair.windows.push(await measureWindow(pair.options, pair.server.process, plane));
      }
    }
    for (const pair of pairs) rows.push({ case: `(${pair.bench.id}) ${pair.bench.label}`, query: pair.query.name, figures: combineWindows(pair.windows), note: pair.bench.note });
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end`;
  const header = `gateway throughput, ${new Date().toISOString()}, ${machine}; autocannon ${args.connections} connections, ${args.warmupSec} s warm-up, then ${args.rounds} rounds of ${args.durationSec} s per row, rows interleaved; subgraphs without signature verification (so Apollo and Hive can call them); rate limits in memory; Charter signs the principal on every subgraph call`;
  const table = formatTable(rows);
  const ratios = ratioLines(rows, args.queries).join('\n');
  let report = `${header}\n\n${table}\n\n${ratios}\n  (took ${((Date.now() - started) / 1000).toFixed(0)} s)`;
  process.stdout.write(`${report}\n`);

  let registryReport = '';
  if (args.registry) {
    const registry = await runRegistryPublishBench(3);
    registryReport = registry.report;
    process.stdout.write(`\n${registryReport}\n`);
  }
  report = `${report}`;
  if (args.record) {
    const command = `node dist/bench/run.js ${process.argv.slice(2).join(' ')}`.trim();
    const resultsFile = path.resolve(__dirname, '../../bench/RESULTS.md');
    const file = fs.existsSync(path.dirname(resultsFile)) ? resultsFile : path.resolve('bench/RESULTS.md');
    let text = `\n### Gateway throughput\n\n\`\`\`\n$ npm run bench   # = ${command}\n${report}\n\`\`\`\n`;
    if (registryReport) text += `\n### Registry publish (same run)\n\n\`\`\`\n${registryReport}\n\`\`\`\n`;
    fs.appendFileSync(file, text);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 2;
});
