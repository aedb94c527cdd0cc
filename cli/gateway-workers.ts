/**
 * `charter gateway --workers N`: N gateway processes (node:cluster) on one port, so the gateway
 * uses more than one core. Workers share nothing but Redis when it is configured; without Redis
 * the rate-limit buckets live in the primary (gateway/traffic/rate-limit/primary-bucket-store.ts),
 * so limits hold globally either way.
 *
 * The primary serves no requests. Signals to the primary:
 *  - SIGHUP: every worker re-reads the supergraph file (a registry source follows the registry in
 *    every worker by itself); each worker's outcome is printed;
 *  - SIGTERM / SIGINT: every worker closes (finishing requests in flight), then the primary exits 0.
 * A worker that dies unexpectedly is replaced.
 */
import cluster, { type Worker } from 'node:cluster';
import { servePrimaryBuckets } from '../gateway/traffic/rate-limit';
import type { StartedGateway } from './gateway-from-config';

type WorkerMessage = { type: 'charter:ready'; url: string } | { type: 'charter:reloaded'; version: string | null } | { type: 'charter:reload-failed'; message: string };

const STOP_GRACE_MS = 10_000;

export function runGatewayPrimary(workers: number, describe: (url: string) => string, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  const buckets = servePrimaryBuckets();
  let stopping = false;
  let announced = false;
  const ready = new Set<number>();

  const spawn = (): Worker => {
    const worker = cluster.fork();
    buckets.attach(worker);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'charter:ready') {
        ready.add(worker.id);
        if (!announced && ready.size === workers) {
          announced = true;
          out(`Charter gateway listening on ${message.url} (${describe(message.url)}, ${workers} workers)`);
        }
      } else if (message.type === 'charter:reloaded') {
        out(`worker ${worker.id}: supergraph ${message.version ?? 'unknown'}`);
      } else if (message.type === 'charter:reload-failed') {
        out(`worker ${worker.id}: reload failed, still serving the previous supergraph: ${message.message}`);
      }
    });
    worker.on('exit', (code, signal) => {
      ready.delete(worker.id);
      if (stopping) return;
      out(`worker ${worker.id} exited (${signal ?? code}); starting another`);
      spawn();
    });
    return worker;
  };
  for (let i = 0; i < workers; i++) spawn();

  process.on('SIGHUP', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send({ type: 'charter:reload' });
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (alive.length === 0) process.exit(0);
    let left = alive.length;
    for (const worker of alive) {
      worker.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      worker.send({ type: 'charter:stop' });
    }
    setTimeout(() => {
      for (const worker of alive) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_GRACE_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Inside a worker: report readiness, reload on the primary's word, close on its word. */
export function serveAsWorker(started: StartedGateway): void {
  const send = (message: WorkerMessage) => process.send?.(message);
  send({ type: 'charter:ready', url: `${started.gateway.url}/graphql` });
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'charter:reload') {
      started.reloadSupergraph().then(
        (version) => send({ type: 'charter:reloaded', version }),
        (err: unknown) => send({ type: 'charter:reload-failed', message: err instanceof Error ? err.message : String(err) }),
      );
    } else if (message?.type === 'charter:stop') {
      void started
        .close()
        .catch(() => undefined)
        .finally(() => process.exit(0));
    }
  });
  // The primary decides when workers stop; a signal to the whole process group must not kill a
  // worker mid-request before the primary's stop arrives.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  process.on('disconnect', () => process.exit(0));
}
