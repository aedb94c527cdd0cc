import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { createLogger } from '../../core/logger';
import { primaryBucketStore } from '../../gateway/traffic/rate-limit';
import { startGatewayFromConfig } from '../gateway-from-config';
import { runGatewayPrimary, serveAsWorker } from '../gateway-workers';
import { stopOnSignals } from '../lifecycle';

function workerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`--workers must be a whole number from 1 to 64, got "${value}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command('gateway')
    .description('run the gateway, from the registry or from a static supergraph file')
    .option('-s, --supergraph <file>', 'serve this supergraph file (no registry)')
    .option('-r, --registry <url>', 'registry URL (default: from config)')
    .option('--variant <name>', 'registry variant to serve')
    .option('-p, --port <port>', 'port to listen on', (v) => Number(v))
    .option('--host <host>', 'address to bind')
    .option('-w, --workers <n>', 'gateway processes sharing the port (node:cluster); SIGHUP reloads a supergraph file in each', workerCount)
    .action(async (opts: { supergraph?: string; registry?: string; variant?: string; port?: number; host?: string; workers?: number }) => {
      const config = loadConfig(program.opts().config);
      const workers = opts.workers ?? 1;
      const describe = () => (opts.supergraph ? `supergraph file ${opts.supergraph}` : `registry ${opts.registry ?? config.registry.url ?? 'from config'}`);
      if (workers > 1 && cluster.isPrimary) {
        runGatewayPrimary(workers, describe);
        return;
      }
      const inCluster = cluster.isWorker;
      const started = await startGatewayFromConfig(config, {
        supergraphFile: opts.supergraph,
        registryUrl: opts.registry,
        variant: opts.variant,
        port: opts.port,
        host: opts.host,
        logger: createLogger('gateway'),
        // Without Redis, limits are kept by the primary so they hold across workers.
        sharedBuckets: inCluster ? primaryBucketStore() : undefined,
      });
      if (inCluster) {
        serveAsWorker(started);
        return;
      }
      process.stdout.write(`Charter gateway listening on ${started.gateway.url}/graphql (${opts.supergraph ? `supergraph file ${opts.supergraph}` : `registry ${started.registryUrl}`})\n`);
      process.on('SIGHUP', () => {
        started.reloadSupergraph().then(
          (version) => process.stdout.write(`supergraph ${version ?? 'unknown'}\n`),
          (err: unknown) => process.stdout.write(`reload failed, still serving the previous supergraph: ${err instanceof Error ? err.message : String(err)}\n`),
        );
      });
      stopOnSignals([started]);
    });
}
