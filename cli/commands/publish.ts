import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config';
import { cliRegistryToken } from '../registry-token';
import { RegistryClient } from '../../schema-registry/client';

export function register(program: Command): void {
  program
    .command('publish')
    .description('publish a subgraph schema to the registry (composed and checked before it goes live)')
    .requiredOption('-n, --name <name>', 'subgraph name')
    .requiredOption('-u, --url <url>', 'URL the gateway calls the subgraph at')
    .requiredOption('-s, --schema <file>', 'the subgraph SDL file')
    .option('-r, --registry <url>', 'registry URL (default: from config)')
    .option('--variant <name>', 'variant to publish to', 'prod')
    .option('--owner <team>', 'owning team')
    .option('--author <name>', 'who publishes', process.env.USER)
    .option('--commit <sha>', 'source commit', process.env.GITHUB_SHA)
    .action(async (opts: { name: string; url: string; schema: string; registry?: string; variant: string; owner?: string; author?: string; commit?: string }) => {
      const config = loadConfig(program.opts().config);
      let sdl: string;
      try {
        sdl = fs.readFileSync(opts.schema, 'utf8');
      } catch (err) {
        process.stderr.write(`charter publish: cannot read schema file ${opts.schema}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const client = new RegistryClient(opts.registry ?? config.registry.url ?? `http://127.0.0.1:${config.gateway.port + 1}`, cliRegistryToken(config.dataDir));
      const { status, body } = await client.publish(opts.variant, { name: opts.name, url: opts.url, sdl, owner: opts.owner, author: opts.author, commit: opts.commit });
      if (status === 201 || status === 200) {
        process.stdout.write(`${body.status === 'unchanged' ? 'Unchanged' : 'Published'}: ${opts.name} -> variant ${opts.variant} version ${body.version.id}\n`);
        return;
      }
      process.stderr.write(`Publish refused (${body.error?.code ?? status}): ${body.error?.message ?? 'unknown error'}\n`);
      for (const p of body.error?.problems ?? []) process.stderr.write(`  - ${p.message}\n`);
      process.exitCode = status >= 500 ? 2 : 1;
    });
}
