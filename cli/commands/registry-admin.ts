/**
 * Registry administration from the command line: `charter history`, `charter version-diff`,
 * `charter rollback`, `charter promote`, `charter lifecycle`, `charter report-usage`.
 * Each talks to a running registry (`--registry`, default from config) with the token in
 * CHARTER_REGISTRY_TOKEN (else the `charter dev` admin token in the data directory). Exit codes: 0 done, 1 refused by the registry's checks, 2 could not run.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config';
import { RegistryClient, type RegistryResponse } from '../../schema-registry/client';
import { cliRegistryToken } from '../registry-token';

interface Common {
  registry?: string;
  variant: string;
  json?: boolean;
}

function clientOf(program: Command, opts: { registry?: string }): RegistryClient {
  const config = loadConfig(program.opts().config);
  const url = opts.registry ?? process.env.CHARTER_REGISTRY_URL ?? config.registry.url ?? `http://127.0.0.1:${config.gateway.port + 1}`;
  return new RegistryClient(url.replace(/\/+$/, ''), cliRegistryToken(config.dataDir));
}

/** Prints an answer: JSON with --json, else `human(body)`; sets the exit code from the status. */
function finish(response: RegistryResponse, json: boolean | undefined, human: (body: any) => string): void {
  const { status, body } = response;
  if (status >= 200 && status < 300) {
    process.stdout.write(json ? `${JSON.stringify(body, null, 2)}\n` : `${human(body)}\n`);
    return;
  }
  process.stderr.write(`Refused (${body?.error?.code ?? status}): ${body?.error?.message ?? 'no message'}\n`);
  for (const p of body?.error?.problems ?? []) process.stderr.write(`  - ${p.coordinate ? `${p.coordinate}: ` : ''}${p.message}\n`);
  // 422 is a verdict of the checks; anything else means the command could not do its job.
  process.exitCode = status === 422 ? 1 : 2;
}

async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    process.stderr.write(`charter: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}

const published = (body: any): string => (body.status === 'unchanged' ? `Unchanged: variant ${body.version.variant} stays at version ${body.version.id}` : `Done: variant ${body.version.variant} is now at version ${body.version.id} (${body.version.action})`);

export function register(program: Command): void {
  const withCommon = (cmd: Command): Command =>
    cmd.option('-r, --registry <url>', 'registry URL (default: CHARTER_REGISTRY_URL or the config)').option('--variant <name>', 'variant', 'prod').option('--json', 'print the registry answer as JSON');

  withCommon(program.command('history').description('list a variant\'s versions, newest first'))
    .option('-n, --limit <n>', 'how many', (v) => Number(v), 20)
    .action((opts: Common & { limit: number }) =>
      guarded(async () =>
        finish(await clientOf(program, opts).history(opts.variant, opts.limit), opts.json, (body) =>
          body.versions.length === 0
            ? `Variant ${opts.variant} has no versions`
            : body.versions.map((v: any) => `${String(v.id).padStart(5)}  ${v.createdAt}  ${v.action.padEnd(9)} ${v.subgraph ?? (v.source ? `from ${v.source.variant}@${v.source.id}` : '')}${v.author ? `  by ${v.author}` : ''}${v.commit ? `  (${v.commit})` : ''}`).join('\n'),
        ),
      ),
    );

  withCommon(program.command('version-diff').description('classified API changes between two versions of a variant'))
    .requiredOption('--from <id>', 'older version', (v) => Number(v))
    .requiredOption('--to <id>', 'newer version', (v) => Number(v))
    .action((opts: Common & { from: number; to: number }) =>
      guarded(async () =>
        finish(await clientOf(program, opts).diff(opts.variant, opts.from, opts.to), opts.json, (body) =>
          body.changes.length === 0 ? 'No API changes' : body.changes.map((c: any) => `${c.criticality.padEnd(9)} ${c.coordinate}: ${c.message}`).join('\n'),
        ),
      ),
    );

  withCommon(program.command('rollback').description('re-publish an old version of a variant (through the checks)'))
    .requiredOption('--to <id>', 'version to roll back to', (v) => Number(v))
    .option('--author <name>', 'who rolls back', process.env.USER)
    .action((opts: Common & { to: number; author?: string }) => guarded(async () => finish(await clientOf(program, opts).rollback(opts.variant, opts.to, opts.author), opts.json, published)));

  program
    .command('promote')
    .description('publish the head of one variant to another (through the target\'s checks)')
    .requiredOption('--from <variant>', 'source variant, e.g. staging')
    .requiredOption('--to <variant>', 'target variant, e.g. prod')
    .option('-r, --registry <url>', 'registry URL')
    .option('--author <name>', 'who promotes', process.env.USER)
    .option('--json', 'print the registry answer as JSON')
    .action((opts: { from: string; to: string; registry?: string; author?: string; json?: boolean }) => guarded(async () => finish(await clientOf(program, opts).promote(opts.from, opts.to, opts.author), opts.json, published)));

  withCommon(program.command('lifecycle').description('move a subgraph to active, deprecated or retired (retired leaves the supergraph once unused)'))
    .requiredOption('--subgraph <name>', 'subgraph')
    .requiredOption('--status <status>', 'active | deprecated | retired')
    .option('--author <name>', 'who changes it', process.env.USER)
    .action((opts: Common & { subgraph: string; status: 'active' | 'deprecated' | 'retired'; author?: string }) =>
      guarded(async () => finish(await clientOf(program, opts).setLifecycle(opts.variant, opts.subgraph, opts.status, opts.author), opts.json, published)),
    );

  program
    .command('report-usage')
    .description('send a usage batch file ({"reports": [{coordinate, client?, tenant?, count, at?}]}) to the registry')
    .requiredOption('--file <path>', 'JSON batch')
    .option('-r, --registry <url>', 'registry URL')
    .action((opts: { file: string; registry?: string }) =>
      guarded(async () => {
        const batch = JSON.parse(fs.readFileSync(opts.file, 'utf8')) as { reports: never[] };
        finish(await clientOf(program, opts).reportUsage(batch.reports), false, (body) => `Accepted ${body.accepted} usage reports`);
      }),
    );
}
