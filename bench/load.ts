/**
 * Load through autocannon on 127.0.0.1, with the gateway's CPU time read inside its process
 * before and after: RPS, p50/p99 latency and CPU milliseconds per request.
 */
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import type { CpuMessage, GcMessage } from './child-ipc';

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Body of the i-th request (0-based across all connections). */
  body(i: number): string;
  connections: number;
  durationSec: number;
  warmupSec: number;
}

export interface LoadFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  /** CPU of the subgraphs and REST backends behind it, per request (where the rest of the machine went). */
  dataPlaneCpuMsPerRequest: number;
  requests: number;
  /** Non-2xx answers, socket errors and timeouts during the measured window. */
  failures: number;
}

/** process.cpuUsage() of a child serving `serveParent`, in microseconds. */
export function childCpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child did not report its CPU time')), 5000);
    const onMessage = (message: CpuMessage | { type: string }) => {
      if (message.type !== 'cpu') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve((message as CpuMessage).micros);
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu' });
  });
}

function run(options: LoadOptions, durationSec: number): ReturnType<typeof autocannon> {
  let counter = 0;
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: durationSec,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
        // Rebuilt for every request: each connection's next request takes the next body.
        setupRequest: (request) => ({ ...request, body: options.body(counter++) }),
      },
    ],
  });
}

/**
 * Runs a full garbage collection in each child (started with `--expose-gc`) and waits for all of
 * them; a child that does not answer within 3 s (another build's, via `--compare`) is not waited for.
 */
export function collectGarbage(children: readonly ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.off('message', onMessage);
            resolve();
          }, 3000);
          const onMessage = (message: GcMessage | { type: string }) => {
            if (message.type !== 'gc') return;
            clearTimeout(timer);
            child.off('message', onMessage);
            resolve();
          };
          child.on('message', onMessage);
          child.send({ type: 'gc' });
        }),
    ),
  ).then(() => undefined);
}

async function totalCpuMicros(children: readonly ChildProcess[]): Promise<number> {
  const each = await Promise.all(children.map(childCpuMicros));
  return each.reduce((a, b) => a + b, 0);
}

/** One measured window. */
export interface LoadWindow {
  requests: number;
  durationSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicros: number;
  dataPlaneCpuMicros: number;
  failures: number;
}

/** Load without measuring: JIT, plan caches, keep-alive pools and the response cache warm up. */
export async function warmUp(options: LoadOptions): Promise<void> {
  if (options.warmupSec > 0) await run(options, options.warmupSec);
}

/** Load for `durationSec`, with the server's (and the data plane's) CPU time read before and after. */
export async function measureWindow(options: LoadOptions, cpuOf: ChildProcess, dataPlane: readonly ChildProcess[] = []): Promise<LoadWindow> {
  const [before, planeBefore] = await Promise.all([childCpuMicros(cpuOf), totalCpuMicros(dataPlane)]);
  const result = await run(options, options.durationSec);
  const [after, planeAfter] = await Promise.all([childCpuMicros(cpuOf), totalCpuMicros(dataPlane)]);
  return {
    requests: result.requests.total,
    durationSec: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicros: after - before,
    dataPlaneCpuMicros: planeAfter - planeBefore,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Waits until the processes are idle again (less than 5% of a core over 250 ms), at most
 * `maxMs`, then collects garbage in every one of them: requests still in flight when a window
 * ends, and the garbage that window left in the gateway's heap and the shared subgraphs' heaps,
 * must not be billed to the next window. (Without the collection, a light case measured right
 * after a heavy one paid for its major GCs: b/b0 read 0.83x on the multi query for that alone.)
 */
export async function settle(processes: readonly ChildProcess[], maxMs = 5000): Promise<void> {
  await waitForIdle(processes, maxMs);
  await collectGarbage(processes);
  await waitForIdle(processes, maxMs);
}

async function waitForIdle(processes: readonly ChildProcess[], maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = await totalCpuMicros(processes);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await totalCpuMicros(processes);
    const busy = now - last;
    last = now;
    if (busy < 0.05 * 250_000) return;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Windows of one case, interleaved with other cases' windows, as one figure: totals for RPS and CPU, medians for latency. */
export function combineWindows(windows: readonly LoadWindow[]): LoadFigures {
  const requests = windows.reduce((n, w) => n + w.requests, 0);
  const seconds = windows.reduce((n, w) => n + w.durationSec, 0);
  return {
    rps: seconds > 0 ? requests / seconds : 0,
    p50Ms: median(windows.map((w) => w.p50Ms)),
    p99Ms: median(windows.map((w) => w.p99Ms)),
    cpuMsPerRequest: requests > 0 ? windows.reduce((n, w) => n + w.cpuMicros, 0) / 1000 / requests : Number.NaN,
    dataPlaneCpuMsPerRequest: requests > 0 ? windows.reduce((n, w) => n + w.dataPlaneCpuMicros, 0) / 1000 / requests : Number.NaN,
    requests,
    failures: windows.reduce((n, w) => n + w.failures, 0),
  };
}
