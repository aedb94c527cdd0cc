import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config';
import { createLogger } from '../../core/logger';
import { ApiKeyDirectory, ensureDemoKeys } from '../../gateway/auth/api-keys';
import { startGateway } from '../../gateway/server';
import { TenantDirectory } from '../../gateway/tenants/tenant-directory';
import { loadSubgraphSecret } from '../../core/principal-signature';
import { fileSupergraphSource } from '../../gateway/supergraph/file-source';
import { registrySupergraphSource } from '../../gateway/supergraph/registry-source';
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
      const demoKeys = ensureDemoKeysIfAny(config);
      const running = await startGateway({
        source,
        keys: new ApiKeyDirectory(config.tenants, demoKeys),
        tenants: new TenantDirectory(config.tenants),
        subgraphSecret: loadSubgraphSecret(config.dataDir),
        port: opts.port ?? config.gateway.port,
        host: opts.host ?? config.gateway.host,
        maxBodyBytes: config.gateway.maxBodyBytes,
        introspection: config.gateway.introspection,
        logger,
      });
      process.stdout.write(`Charter gateway listening on ${running.url}/graphql (${opts.supergraph ? `supergraph file ${opts.supergraph}` : `registry ${registryUrl}`})\n`);
      stopOnSignals([running]);
    });
}

function ensureDemoKeysIfAny(config: ReturnType<typeof loadConfig>) {
  const hasDemo = config.tenants.some((t) => t.apiKeys.some((k) => 'demo' in k));
  return hasDemo ? ensureDemoKeys(config.dataDir, config.tenants) : [];
}
