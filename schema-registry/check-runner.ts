/**
 * Where the pipeline runs. Small graphs run in-process (a worker round trip would cost more than
 * it saves); a graph with more than `workerMinSubgraphs` subgraphs runs in a worker thread so a
 * long composition never blocks the registry's event loop (long-polls, health checks, usage
 * reports keep flowing). A job that overruns `timeoutMs` has its worker terminated and comes back
 * as a failed composition with code COMPOSITION_TIMEOUT.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { UsageLookup } from '../governance/usage';
import { runPipeline, type PipelineInput, type PipelineResult } from './check-pipeline';
import { unreachable } from '../core/errors';
import { SerialQueue } from '../core/async';

export interface CheckRunnerOptions {
  /** Graphs with more subgraphs than this compose in a worker thread. Default 20. */
  workerMinSubgraphs?: number;
  /** Longest a worker job may take. Default 60000. */
  timeoutMs?: number;
  /** Heap limit of the worker, in MB. Default 2048. */
  workerMaxHeapMb?: number;
}

type ToWorker = { type: 'run'; job: number; input: PipelineInput; withUsage: boolean } | { type: 'usage'; job: number; request: number; entries?: Array<[string, unknown]>; error?: string };
type FromWorker =
  | { type: 'done'; job: number; result: PipelineResult }
  | { type: 'failed'; job: number; message: string }
  | { type: 'usage'; job: number; request: number; coordinates: string[] };

// Runs the worker entry; under ts-jest-less test runs (a .ts entry) it compiles TypeScript with swc first.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) {
  const fs = require('node:fs');
  const swc = require(require.resolve('@swc/core', { paths: [workerData.entry] }));
  require.extensions['.ts'] = (module, filename) => {
    const out = swc.transformSync(fs.readFileSync(filename, 'utf8'), { filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } });
    module._compile(out.code, filename);
  };
}
require(workerData.entry);
`;

export class CheckRunner {
  private worker: Worker | null = null;
  private jobs = 0;
  private readonly queue = new SerialQueue();
  /** Workers being terminated after a timeout; `close` waits for them. */
  private readonly stopping = new Set<Promise<number>>();
  readonly workerMinSubgraphs: number;
  readonly timeoutMs: number;

  constructor(private readonly options: CheckRunnerOptions = {}) {
    this.workerMinSubgraphs = options.workerMinSubgraphs ?? 20;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  run(input: PipelineInput, usage: UsageLookup | undefined): Promise<PipelineResult> {
    const active = input.subgraphs.filter((s) => s.status !== 'retired').length;
    if (active <= this.workerMinSubgraphs) return runPipeline(input, usage);
    // One job at a time per worker: composition is CPU-bound, and the timeout must measure the job, not its wait.
    return this.queue.run(() => this.runInWorker(input, usage));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await Promise.all([worker?.terminate(), ...this.stopping]);
  }

  private workerOf(): Worker {
    if (this.worker) return this.worker;
    const entry = path.join(__dirname, `check-worker${path.extname(__filename)}`);
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry }, resourceLimits: { maxOldGenerationSizeMb: this.options.workerMaxHeapMb ?? 2048 } });
    // An idle worker must not keep the process alive.
    worker.unref();
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private runInWorker(input: PipelineInput, usage: UsageLookup | undefined): Promise<PipelineResult> {
    const worker = this.workerOf();
    const job = ++this.jobs;
    return new Promise<PipelineResult>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (msg: FromWorker): void => {
        if (msg.job !== job) return;
        switch (msg.type) {
          case 'done':
            finish();
            resolve(msg.result);
            return;
          case 'failed':
            finish();
            reject(new Error(msg.message));
            return;
          case 'usage':
            answerUsage(worker, msg, usage);
            return;
          default: {
            return unreachable(msg);
          }
        }
      };
      const onError = (err: Error): void => {
        finish();
        reject(err);
      };
      const onExit = (code: number): void => {
        finish();
        reject(new Error(`the composition worker exited (code ${code})`));
      };
      const timer = setTimeout(() => {
        finish();
        // Composition cannot be interrupted from outside but the thread can: it is replaced on the next job.
        if (this.worker === worker) this.worker = null;
        const stopping = worker.terminate();
        this.stopping.add(stopping);
        void stopping.finally(() => this.stopping.delete(stopping));
        resolve(timedOut(input, this.timeoutMs));
      }, this.timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.ref();
      worker.postMessage({ type: 'run', job, input, withUsage: usage !== undefined } satisfies ToWorker);
    }).finally(() => this.worker?.unref());
  }
}

function answerUsage(worker: Worker, msg: Extract<FromWorker, { type: 'usage' }>, usage: UsageLookup | undefined): void {
  const reply = (payload: Partial<Extract<ToWorker, { type: 'usage' }>>): void => worker.postMessage({ type: 'usage', job: msg.job, request: msg.request, ...payload });
  if (!usage) return reply({ entries: [] });
  usage(msg.coordinates).then(
    (found) => reply({ entries: [...found.entries()] }),
    (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
  );
}

function timedOut(input: PipelineInput, timeoutMs: number): PipelineResult {
  const count = input.subgraphs.filter((s) => s.status !== 'retired').length;
  const message = `Composition of ${count} subgraphs did not finish within ${timeoutMs} ms`;
  return {
    report: {
      verdict: 'fail',
      subgraph: input.changed[0]?.name ?? '',
      changes: [],
      composition: { errors: [{ message, code: 'COMPOSITION_TIMEOUT' }], hints: [] },
      lint: [],
      federation: [],
      failures: [{ kind: 'composition', rule: 'COMPOSITION_TIMEOUT', message }],
      notes: ['Composition timed out, so nothing else was checked.'],
    },
  };
}
