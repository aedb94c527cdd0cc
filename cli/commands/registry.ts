import type { Command } from 'commander';
import { loadConfig } from '../../core/config';
import { startRegistry } from '../../schema-registry/server';
import { stopOnSignals } from '../lifecycle';

export function register(program: Command): void {
  program
    .command('registry')
    .description('run the schema registry')
    .option('-p, --port <port>', 'port to listen on', (v) => Number(v))
    .option('--host <host>', 'address to bind')
    .option('--insecure-dev', 'accept requests without a token as admin (refused unless bound to a loopback address)')
    .action(async (opts: { port?: number; host?: string; insecureDev?: boolean }) => {
      const config = loadConfig(program.opts().config);
      // Tokens come from CHARTER_REGISTRY_TOKENS; startRegistry refuses to start without them unless --insecure-dev on loopback.
      const running = await startRegistry({
        dataDir: config.dataDir,
        port: opts.port ?? config.registry.port ?? config.gateway.port + 1,
        host: opts.host ?? config.gateway.host,
        governance: config.governance,
        insecureDev: opts.insecureDev === true,
        allowedHosts: config.registry.allowedHosts,
        allowedOrigins: config.registry.allowedOrigins,
      });
      process.stdout.write(`Charter registry listening on ${running.url}\n`);
      stopOnSignals([running]);
    });
}
