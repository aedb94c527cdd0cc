/**
 * `charter rest import <openapi.yaml|json|loopback URL> --name NAME [--out DIR]`: write a REST
 * subgraph's SDL (`NAME.graphql`) and mapping (`NAME.rest.yaml`) from an OpenAPI document, for the
 * user to edit, `charter check` and publish. The output is built once here (as the subgraph would
 * be), so a document the mapping cannot serve fails now rather than at start.
 * Exit codes: 0 written, 1 the document cannot be imported, 2 could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { importOpenApi } from '../../subgraphs/rest/openapi/import-openapi';
import { buildRestSubgraph } from '../../subgraphs/rest/wrap/build';

interface ImportOptions {
  name: string;
  out: string;
  force?: boolean;
}

export async function runRestImport(source: string, opts: ImportOptions, write: (line: string) => void = (line) => process.stdout.write(line)): Promise<number> {
  if (!/^[_A-Za-z][-_0-9A-Za-z]*$/.test(opts.name)) {
    process.stderr.write(`charter rest import: --name must be a subgraph name (letters, digits, - and _), got "${opts.name}"\n`);
    return 2;
  }
  const schemaFile = path.join(opts.out, `${opts.name}.graphql`);
  const mappingFile = path.join(opts.out, `${opts.name}.rest.yaml`);
  for (const file of [schemaFile, mappingFile]) {
    if (!opts.force && fs.existsSync(file)) {
      process.stderr.write(`charter rest import: ${file} exists; edit it, or pass --force to overwrite\n`);
      return 2;
    }
  }
  let result;
  try {
    result = await importOpenApi(source, { name: opts.name });
    // Proves the pair is consistent; the base URL is not used until a request.
    buildRestSubgraph({ name: opts.name, typeDefs: result.sdl, mapping: result.mapping, mappingSource: mappingFile, baseUrl: 'http://127.0.0.1' });
  } catch (err) {
    process.stderr.write(`charter rest import: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(schemaFile, result.sdl);
  fs.writeFileSync(mappingFile, result.mappingYaml);
  write(`wrote ${schemaFile} and ${mappingFile}\n`);
  for (const todo of result.todos) write(`TODO: ${todo}\n`);
  return 0;
}

export function register(program: Command): void {
  const rest = program.command('rest').description('REST APIs wrapped as subgraphs');
  rest
    .command('import <document>')
    .description('write NAME.graphql and NAME.rest.yaml from an OpenAPI 3.0/3.1 file or loopback URL (exit 0 written, 1 cannot import, 2 could not run)')
    .requiredOption('--name <name>', 'the subgraph name')
    .option('--out <dir>', 'where to write the two files', '.')
    .option('--force', 'overwrite existing files')
    .action(async (document: string, opts: ImportOptions) => {
      process.exitCode = await runRestImport(document, opts);
    });
}
