import type { Command } from 'commander';
import { loadConfig } from '../config';
import { createLogger } from '../../core/logger';
import { startGatewayFromConfig } from '../gateway-from-config';
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
      const started = await startGatewayFromConfig(config, { supergraphFile: opts.supergraph, registryUrl: opts.registry, variant: opts.variant, port: opts.port, host: opts.host, logger: createLogger('gateway') });
      process.stdout.write(`Charter gateway listening on ${started.gateway.url}/graphql (${opts.supergraph ? `supergraph file ${opts.supergraph}` : `registry ${started.registryUrl}`})\n`);
      stopOnSignals([started]);
    });
}
