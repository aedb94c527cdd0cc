import type { Command } from 'commander';
import { loadConfig } from '../config';
import { configuredSubgraphVerifier } from '../subgraph-verifier';
import { startDemoBackends } from '../../subgraphs/rest/demo/backends';
import { startSubgraphServer } from '../../subgraphs/serve';
import { buildConfiguredSubgraph, demoBackendsUsed } from '../configured-subgraphs';
import { stopOnSignals } from '../lifecycle';
import { PORT_OFFSETS } from './dev';

export function register(program: Command): void {
  program
    .command('subgraph <name>')
    .description('run one subgraph declared in the config (with its demo backend when it uses one)')
    .option('-p, --port <port>', 'port to listen on', (v) => Number(v))
    .option('--host <host>', 'address to bind')
    .action(async (name: string, opts: { port?: number; host?: string }) => {
      const config = loadConfig(program.opts().config);
      const index = config.subgraphs.findIndex((s) => s.name === name);
      if (index < 0) throw new Error(`no subgraph named "${name}" in the config (have: ${config.subgraphs.map((s) => s.name).join(', ') || 'none'})`);
      const sub = config.subgraphs[index]!;
      const host = opts.host ?? config.gateway.host;
      const needsDemo = demoBackendsUsed({ ...config, subgraphs: [sub] }).length > 0;
      const demo = needsDemo ? await startDemoBackends({ host }) : null;
      const built = await buildConfiguredSubgraph(config, sub, demo?.urls ?? {});
      const verifier = configuredSubgraphVerifier(config, name);
      const server = await startSubgraphServer({ name, schema: built.schema, port: opts.port ?? config.gateway.port + PORT_OFFSETS.firstSubgraph + index, host, verify: verifier.verify, cacheMaxAgeSec: sub.cacheMaxAgeSec });
      process.stdout.write(`Subgraph ${name} listening on ${server.url}/graphql\n`);
      stopOnSignals([server, verifier, ...(demo ? [demo] : [])]);
    });
}
