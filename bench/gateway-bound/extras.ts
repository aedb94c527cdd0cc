/**
 * What the full `npm run bench` prints after the gateway-bound rows (issue 13, items 4 and 5):
 *  - growth: CPU per request against answer size (1, 10, 100, 1000 list items, one fetch) and
 *    against fetch count (1, 4, 16 at ten items), Charter full pipeline beside plain Apollo Gateway;
 *  - a leak check: Charter's RSS after N requests within 10 % of its RSS after N/10;
 *  - cold paths: time from process start to the first answer, and the cost of a query-plan cache
 *    miss (distinct operations) against a hit (one operation repeated), Charter against Apollo.
 * Every figure is read inside the gateway's process (CPU time, RSS), as in the main rows.
 */
import path from 'node:path';
import autocannon from 'autocannon';
import { usageOf } from '../child-ipc';
import type { GatewayProcessOptions } from '../gateway-process';
import { collectGarbage, measureWindow, warmUp } from '../load';
import { startChild, type Child } from '../start-child';
import { HEAVY, SINGLE, TOP_PRODUCTS, type GatewayBoundQuery } from './queries';

export interface ExtrasInput {
  /** The running plain Apollo Gateway and Charter (full pipeline) processes, with their request headers. */
  apollo: { child: Child; headers?: Record<string, string> };
  charter: { child: Child; headers?: Record<string, string> };
  /** How to start fresh ones (cold start). */
  processes: { apollo: GatewayProcessOptions; charter: GatewayProcessOptions };
  /** Pins a fresh process to the gateway's CPU. */
  pinGateway(pid: number): void;
  leakRequests: number;
  log(line: string): void;
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  await response.arrayBuffer();
  return response.status;
}

// Not `name`: the fixtures' product p997 has none (a null-propagation fixture), and 1000 items
// always include it, which would shrink that answer to `data: null`.
const SIZE_QUERY = 'query Size($first: Int!, $offset: Int!) { topProducts(first: $first, offset: $offset) { upc price weight } }';

interface GrowthItem {
  label: string;
  body(i: number): string;
}

function growthItems(): GrowthItem[] {
  const sized = [1, 10, 100, 1000].map((n) => ({
    label: `answer size ${n} items (1 fetch)`,
    body: (i: number) => JSON.stringify({ query: SIZE_QUERY, variables: { first: n, offset: n >= 1000 ? 0 : (i * 7) % (1000 - n) } }),
  }));
  const tenItems = (q: GatewayBoundQuery): GrowthItem => ({
    label: `${q.fetches} fetch${q.fetches > 1 ? 'es' : ''} (${q.name}, 10 items)`,
    body: (i: number) => JSON.stringify({ query: q.query, variables: { ...q.variables(i), first: 10, ...(q === HEAVY ? { users: 10 } : {}) } }),
  });
  return [...sized, tenItems(SINGLE), tenItems(TOP_PRODUCTS), tenItems(HEAVY)];
}

async function growth(input: ExtrasInput): Promise<string> {
  const lines = ['growth: gateway CPU ms per request (10 connections, 3 s per cell)', `${'what'.padEnd(40)} ${'Apollo'.padStart(9)} ${'Charter'.padStart(9)}  Charter/Apollo`];
  const everyone = [input.apollo.child.process, input.charter.child.process];
  for (const item of growthItems()) {
    const cpu: number[] = [];
    let failures = 0;
    for (const side of [input.apollo, input.charter]) {
      const options = { url: side.child.ready.url, headers: side.headers, body: item.body, connections: 10, durationSec: 3, warmupSec: 1 };
      const status = await post(options.url, item.body(0), side.headers);
      if (status !== 200) throw new Error(`growth: ${item.label} answered ${status}`);
      await warmUp(options);
      await collectGarbage(everyone);
      const window = await measureWindow(options, side.child.process);
      failures += window.failures;
      cpu.push(window.requests ? window.cpuMicros / 1000 / window.requests : Number.NaN);
    }
    lines.push(`${item.label.padEnd(40)} ${cpu[0]!.toFixed(3).padStart(9)} ${cpu[1]!.toFixed(3).padStart(9)}  ${(cpu[1]! / cpu[0]!).toFixed(2)}x${failures ? `  (${failures} failed requests)` : ''}`);
    input.log(`growth: ${item.label}`);
  }
  return lines.join('\n');
}

/** Exactly `amount` requests through autocannon. */
function send(url: string, headers: Record<string, string> | undefined, body: (i: number) => string, amount: number): Promise<unknown> {
  let counter = 0;
  return autocannon({
    url,
    connections: 20,
    amount,
    timeout: 30,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json', ...(headers ?? {}) }, setupRequest: (request) => ({ ...request, body: body(counter++) }) }],
  });
}

async function leakCheck(input: ExtrasInput): Promise<string> {
  const { child, headers } = input.charter;
  const body = (i: number) => JSON.stringify({ query: SINGLE.query, variables: SINGLE.variables(i) });
  const first = Math.round(input.leakRequests / 10);
  const started = Date.now();
  await send(child.ready.url, headers, body, first);
  await collectGarbage([child.process]);
  const early = (await usageOf(child.process)).rss;
  input.log(`leak check: ${first} requests done, RSS ${(early / 1048576).toFixed(0)} MB; ${input.leakRequests - first} more`);
  await send(child.ready.url, headers, body, input.leakRequests - first);
  await collectGarbage([child.process]);
  const late = (await usageOf(child.process)).rss;
  const growthPct = ((late - early) / early) * 100;
  return `leak check (Charter full pipeline, ${SINGLE.name} query, ${((Date.now() - started) / 1000).toFixed(0)} s): RSS after ${first} requests ${(early / 1048576).toFixed(1)} MB, after ${input.leakRequests} ${(late / 1048576).toFixed(1)} MB: ${growthPct >= 0 ? '+' : ''}${growthPct.toFixed(1)} % (target within 10 %) ${Math.abs(growthPct) <= 10 ? 'PASS' : 'FAIL'}`;
}

async function coldStart(options: GatewayProcessOptions, headers: Record<string, string> | undefined, pinGateway: (pid: number) => void): Promise<{ readyMs: number; firstAnswerMs: number }> {
  const started = performance.now();
  const child = await startChild(path.join(__dirname, '..', 'gateway-process.js'), options);
  pinGateway(child.process.pid!);
  const readyMs = performance.now() - started;
  try {
    const body = JSON.stringify({ query: TOP_PRODUCTS.query, variables: TOP_PRODUCTS.variables(0) });
    for (let attempt = 0; attempt < 300; attempt++) {
      if ((await post(child.ready.url, body, headers).catch(() => 0)) === 200) return { readyMs, firstAnswerMs: performance.now() - started };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${options.kind} never answered after a cold start`);
  } finally {
    await child.stop();
  }
}

/** Sequential requests: mean latency and CPU per request. */
async function sequential(side: ExtrasInput['apollo'], bodies: string[]): Promise<{ ms: number; cpuMs: number }> {
  const before = await usageOf(side.child.process);
  const started = performance.now();
  for (const body of bodies) {
    const status = await post(side.child.ready.url, body, side.headers);
    if (status !== 200) throw new Error(`plan-cache probe answered ${status}`);
  }
  const ms = (performance.now() - started) / bodies.length;
  const after = await usageOf(side.child.process);
  return { ms, cpuMs: (after.micros - before.micros) / 1000 / bodies.length };
}

async function coldPaths(input: ExtrasInput): Promise<string> {
  const lines = ['cold paths'];
  for (const [name, options, headers] of [
    ['Apollo', input.processes.apollo, input.apollo.headers],
    ['Charter', input.processes.charter, input.charter.headers],
  ] as const) {
    const cold = await coldStart(options, headers, input.pinGateway);
    lines.push(`  ${name.padEnd(8)} process start to ready ${cold.readyMs.toFixed(0)} ms, to first top-products answer ${cold.firstAnswerMs.toFixed(0)} ms`);
  }
  // A run-unique prefix, so no operation below was ever planned before in these processes.
  const run = Date.now().toString(36);
  const distinct = Array.from({ length: 100 }, (_, i) => JSON.stringify({ query: `query Miss_${run}_${i} { topProducts(first: 5, offset: ${i}) { upc name inStock } }` }));
  const same = Array.from({ length: 100 }, () => JSON.stringify({ query: `query Hit_${run} { topProducts(first: 5, offset: 3) { upc name inStock } }` }));
  for (const [name, side] of [
    ['Apollo', input.apollo],
    ['Charter', input.charter],
  ] as const) {
    await sequential(side, same.slice(0, 5)); // plan it once
    const hit = await sequential(side, same);
    const miss = await sequential(side, distinct);
    lines.push(`  ${name.padEnd(8)} plan-cache miss: ${miss.ms.toFixed(2)} ms, CPU ${miss.cpuMs.toFixed(2)} ms per request; hit: ${hit.ms.toFixed(2)} ms, CPU ${hit.cpuMs.toFixed(2)} ms; a miss costs ${(miss.cpuMs - hit.cpuMs).toFixed(2)} ms CPU more`);
  }
  return lines.join('\n');
}

export async function runExtras(input: ExtrasInput): Promise<string> {
  const parts = [await growth(input), await coldPaths(input)];
  if (input.leakRequests > 0) parts.push(await leakCheck(input));
  return parts.join('\n\n');
}
