import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import { startGateway } from '../../gateway/server';
import { fileSupergraphSource } from '../../gateway/supergraph/file-source';
import { registrySupergraphSource } from '../../gateway/supergraph/registry-source';
import { gatewayOptionsFromConfig } from '../gateway-from-config';
import { stopOnSignals } from '../lifecycle';

export function register(program: Command): void {
  program
    .command('gateway')
    .description('run the gateway, from the registry or from a static supergraph file')
    .option('-s, --supergraph <file>', 'serve this supergraph file (no registry)')
    .option('-r, --registry <url>', 'registry URL (default: from config)')
    .option('--variant <name>', 'registry variant to serve')
    .option('-p, --port <port>', 'port to listen on', (v) => Number(v))
    .option('--host <host>', 'address to bind')
    .action(async (opts: { supergraph?: string; registry?: string; variant?: string; port?: number; host?: string }) => {
      const config = loadConfig(program.opts().config);
      const logger = createLogger('gateway');
      const registryUrl = opts.registry ?? config.registry.url ?? `http://127.0.0.1:${config.gateway.port + 1}`;
      const source = opts.supergraph
        ? fileSupergraphSource(path.resolve(opts.supergraph))
        : registrySupergraphSource({ registryUrl, variant: opts.variant ?? config.gateway.variant, cacheFile: path.join(config.dataDir, 'last-supergraph.json'), logger });
      const { options } = gatewayOptionsFromConfig(config, source, logger);
      const running = await startGateway({ ...options, port: opts.port ?? config.gateway.port, host: opts.host ?? config.gateway.host });
      process.stdout.write(`Charter gateway listening on ${running.url}/graphql (${opts.supergraph ? `supergraph file ${opts.supergraph}` : `registry ${registryUrl}`})\n`);
      stopOnSignals([running]);
    });
}
