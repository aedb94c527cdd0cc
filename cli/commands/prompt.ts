/**
 * `charter prompt publish FILE.yaml...`, `charter prompt list`, `charter prompt delete NAME`:
 * prompt templates through the registry. A template is published as a change to subgraph `ai`
 * (schema-registry/prompts-api.ts), so it passes the same checks as any schema change.
 * Exit codes: 0 done, 1 refused (invalid template or failed checks), 2 could not run.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import { loadConfig } from '../../core/config';
import { cliRegistryToken } from '../registry-token';
import { RegistryClient, type RegistryResponse } from '../../schema-registry/client';

interface Common {
  registry?: string;
  variant?: string;
  json?: boolean;
}

function registryOf(program: Command, opts: Common): { client: RegistryClient; variant: string } {
  const config = loadConfig(program.opts().config);
  const url = opts.registry ?? process.env.CHARTER_REGISTRY_URL ?? config.registry.url ?? `http://127.0.0.1:${config.gateway.port + 1}`;
  const variant = opts.variant ?? config.gateway.variant;
  return { client: new RegistryClient(url.replace(/\/+$/, ''), cliRegistryToken(config.dataDir)), variant };
}

/** Prints a refusal and returns its exit code: 1 when the change itself was refused, 2 otherwise. */
function refused(what: string, { status, body }: RegistryResponse): number {
  process.stderr.write(`${what} refused (${body?.error?.code ?? status}): ${body?.error?.message ?? 'no message'}\n`);
  for (const p of body?.error?.problems ?? []) process.stderr.write(`  - ${p.coordinate ? `${p.coordinate}: ` : ''}${p.message}\n`);
  // 400: the template is invalid; 422: the checks failed. Anything else: the command could not do its job.
  return status === 400 || status === 422 ? 1 : 2;
}

async function guarded(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (err) {
    process.stderr.write(`charter prompt: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}

function readTemplateFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return YAML.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid YAML: ${(err as Error).message}`);
  }
}

export function register(program: Command): void {
  const prompt = program.command('prompt').description('prompt templates: typed GraphQL fields published through the registry');
  const withCommon = (cmd: Command): Command =>
    cmd
      .option('-r, --registry <url>', 'registry URL (default: CHARTER_REGISTRY_URL or the config)')
      .option('--variant <name>', 'variant (default: the config\'s gateway.variant)')
      .option('--json', 'print the registry answer as JSON');

  withCommon(prompt.command('publish <files...>').description('add or replace templates (YAML or JSON files), each through the registry\'s checks'))
    .option('-u, --url <url>', 'routing URL of the AI subgraph (needed only when the variant has none yet)')
    .option('--author <name>', 'who publishes', process.env.USER)
    .option('--commit <sha>', 'source commit', process.env.GITHUB_SHA)
    .action((files: string[], opts: Common & { url?: string; author?: string; commit?: string }) =>
      guarded(async () => {
        const { client, variant } = registryOf(program, opts);
        for (const file of files) {
          const template = readTemplateFile(file);
          const answer = await client.publishPrompt(variant, template, { url: opts.url, author: opts.author, commit: opts.commit });
          if (answer.status !== 200 && answer.status !== 201) return refused(`Template ${file}`, answer);
          const name = (template as { name?: string }).name;
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(answer.body, null, 2)}\n`
              : answer.body.status === 'unchanged'
                ? `Unchanged: template ${name} is already live in ${variant} (version ${answer.body.version.id})\n`
                : `Published: template ${name} -> variant ${variant} version ${answer.body.version.id} (field Query.${name})\n`,
          );
        }
        return 0;
      }),
    );

  withCommon(prompt.command('list').description('the templates live in a variant'))
    .action((opts: Common) =>
      guarded(async () => {
        const { client, variant } = registryOf(program, opts);
        const answer = await client.fetchPrompts(variant);
        const templates = (answer?.templates ?? []) as Array<{ name: string; description: string; variables?: Record<string, { type: string; required?: boolean }>; output: { kind: string; typeName?: string } }>;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
          return 0;
        }
        if (templates.length === 0) {
          process.stdout.write(`Variant ${variant} has no prompt templates\n`);
          return 0;
        }
        for (const t of templates) {
          const args = Object.entries(t.variables ?? {}).map(([name, v]) => `${name}: ${v.type}${v.required === false ? '' : '!'}`).join(', ');
          process.stdout.write(`${t.name}(${args}): ${t.output.kind === 'object' ? t.output.typeName : 'String'}!   ${t.description}\n`);
        }
        return 0;
      }),
    );

  withCommon(prompt.command('delete <name>').description('remove a template (its field leaves the schema, through the checks)'))
    .option('--author <name>', 'who removes it', process.env.USER)
    .action((name: string, opts: Common & { author?: string }) =>
      guarded(async () => {
        const { client, variant } = registryOf(program, opts);
        const answer = await client.deletePrompt(variant, name, { author: opts.author });
        if (answer.status !== 200 && answer.status !== 201) return refused(`Removing template ${name}`, answer);
        process.stdout.write(opts.json ? `${JSON.stringify(answer.body, null, 2)}\n` : `Removed: template ${name} from variant ${variant} (version ${answer.body.version.id})\n`);
        return 0;
      }),
    );
}
