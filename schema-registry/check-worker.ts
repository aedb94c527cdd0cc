/** The worker side of CheckRunner: runs the pipeline, asking the parent for usage when it needs it. */
import { parentPort } from 'node:worker_threads';
import type { CoordinateUsage } from '../governance/usage';
import { runPipeline, type PipelineInput } from './check-pipeline';

const port = parentPort;
if (!port) throw new Error('check-worker must run in a worker thread');
let requests = 0;
const pending = new Map<number, { resolve: (m: Map<string, CoordinateUsage>) => void; reject: (e: Error) => void }>();

port.on('message', (msg: { type: 'run'; job: number; input: PipelineInput; withUsage: boolean } | { type: 'usage'; job: number; request: number; entries?: Array<[string, CoordinateUsage]>; error?: string }) => {
  if (msg.type === 'usage') {
    const waiting = pending.get(msg.request);
    pending.delete(msg.request);
    if (msg.error !== undefined) waiting?.reject(new Error(msg.error));
    else waiting?.resolve(new Map(msg.entries ?? []));
    return;
  }
  const job = msg.job;
  const usage = (coordinates: string[]): Promise<Map<string, CoordinateUsage>> =>
    new Promise((resolve, reject) => {
      const request = ++requests;
      pending.set(request, { resolve, reject });
      port.postMessage({ type: 'usage', job, request, coordinates });
    });
  // Without a usage store the parent has no traffic to tell: no lookup, so nothing is made safe by usage.
  runPipeline(msg.input, msg.withUsage ? usage : undefined).then(
    (result) => port.postMessage({ type: 'done', job, result }),
    (err: unknown) => port.postMessage({ type: 'failed', job, message: err instanceof Error ? err.message : String(err) }),
  );
});
