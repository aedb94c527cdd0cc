/**
 * A benchmark gateway of several worker processes (node:cluster), seen by the benchmark as one
 * child: the primary forks the workers, keeps the rate-limit buckets for all of them (as
 * `charter gateway --workers N` does without Redis), and relays the parent's `cpu`, `gc` and `stop`
 * to every worker, answering with the sums, so CPU per request covers all workers.
 */
import cluster, { type Worker } from 'node:cluster';
import { servePrimaryBuckets } from '../gateway/traffic/rate-limit';
import { reportReady, type CpuMessage } from './child-ipc';

function ask<T extends { type: string }>(worker: Worker, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: T) => {
      if (message?.type !== type) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.send({ type });
  });
}

export async function runClusterPrimary(workers: number): Promise<void> {
  const buckets = servePrimaryBuckets();
  const forked = Array.from({ length: workers }, () => cluster.fork());
  forked.forEach((w) => buckets.attach(w));
  const urls = await Promise.all(
    forked.map(
      (worker) =>
        new Promise<string>((resolve, reject) => {
          worker.on('message', (message: { type?: string; url?: string; message?: string }) => {
            if (message?.type === 'ready') resolve(message.url!);
            else if (message?.type === 'failed') reject(new Error(message.message));
          });
          worker.once('exit', (code) => reject(new Error(`a worker exited with ${code} before it was ready`)));
        }),
    ),
  );
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'cpu') {
      void Promise.all(forked.map((w) => ask<CpuMessage>(w, 'cpu'))).then((each) => {
        const own = process.cpuUsage();
        const micros = each.reduce((n, m) => n + m.micros, own.user + own.system);
        const rss = each.reduce((n, m) => n + m.rss, process.memoryUsage.rss());
        process.send!({ type: 'cpu', micros, rss } satisfies CpuMessage);
      });
    } else if (message?.type === 'gc') {
      void Promise.all(forked.map((w) => ask(w, 'gc'))).then(() => process.send!({ type: 'gc', collected: true }));
    } else if (message?.type === 'stop') {
      let left = forked.length;
      for (const worker of forked) {
        worker.once('exit', () => {
          if (--left === 0) process.exit(0);
        });
        worker.send({ type: 'stop' });
      }
    }
  });
  process.on('disconnect', () => process.exit(0));
  reportReady({ url: urls[0]!, pids: forked.map((w) => w.process.pid) });
}
