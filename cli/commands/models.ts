/**
 * `charter models`: the models the configured providers serve, with their prices (from the model
 * catalog, `subgraphs/ai/catalog.ts`, and the config's `models` and `overrides`).
 * `charter models --catalog`: every model the catalog prices, whatever is configured.
 * `--json` prints a JSON array of `{ id, provider, inputPerMTok, outputPerMTok, contextWindow }`.
 */
import type { Command } from 'commander';
import { fullCatalog } from '../../subgraphs/ai/catalog';
import { parseAiConfig } from '../../subgraphs/ai/models';
import { loadConfig } from '../config';

interface Row {
  id: string;
  provider: string;
  inputPerMTok: number;
  outputPerMTok: number;
  contextWindow: number;
}

export function register(program: Command): void {
  program
    .command('models')
    .description('list the models the configured providers serve, with prices per million tokens')
    .option('--catalog', 'every model the catalog prices, not only the configured providers')
    .option('--json', 'a JSON array')
    .action((opts: { catalog?: boolean; json?: boolean }) => {
      const source = opts.catalog ? fullCatalog() : parseAiConfig(loadConfig(program.opts().config).ai).models;
      const rows: Row[] = source.map((m) => ({ id: m.id, provider: m.provider, inputPerMTok: m.inputPricePerMTok, outputPerMTok: m.outputPricePerMTok, contextWindow: m.contextWindow }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(5, ...rows.map((r) => r.id.length));
      process.stdout.write(`${'model'.padEnd(width)}  ${'in $/Mtok'.padStart(10)}  ${'out $/Mtok'.padStart(10)}  ${'context'.padStart(9)}\n`);
      for (const r of rows) process.stdout.write(`${r.id.padEnd(width)}  ${r.inputPerMTok.toFixed(3).padStart(10)}  ${r.outputPerMTok.toFixed(3).padStart(10)}  ${String(r.contextWindow).padStart(9)}\n`);
      process.stdout.write(`${rows.length} model(s)${opts.catalog ? ' in the catalog' : ''}\n`);
    });
}
