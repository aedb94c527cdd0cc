/**
 * Registry benchmark: a publish with every check (composition, API diff with usage lookups,
 * federation rules, lint, durable append to the file store) on a generated 50-subgraph graph of
 * about 2,000 types, against bare `composeServices` of the same SDL in the same run.
 * Target (DESIGN.md): publish ≤ 1.5× bare composition. Prints both medians and the ratio and
 * appends them to bench/RESULTS.md.
 *
 *   npm run build && node dist/bench/registry-publish.js [--runs 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { composeSubgraphs } from '../governance/check';
import { SchemaPublisher } from '../schema-registry/publisher';
import { FileRegistryStore } from '../schema-registry/store/file-store';
import { FileUsageStore } from '../schema-registry/usage/file-usage-store';

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

export interface GeneratedSubgraph {
  name: string;
  url: string;
  sdl: string;
}

/**
 * `subgraphs` subgraphs of `typesPerSubgraph` entity types each; every subgraph also extends the
 * first entity of the previous one, so composition has real cross-subgraph work to do.
 */
export function generateGraph(subgraphs = 50, typesPerSubgraph = 40): GeneratedSubgraph[] {
  const out: GeneratedSubgraph[] = [];
  for (let s = 0; s < subgraphs; s++) {
    const lines = [FED];
    for (let t = 0; t < typesPerSubgraph; t++) {
      const next = `S${s}T${(t + 1) % typesPerSubgraph}`;
      lines.push(`"""Type ${s}.${t}"""\ntype S${s}T${t} @key(fields: "id") {\n  id: ID!\n  name: String!\n  count: Int\n  score: Float\n  tags: [String!]!\n  next: ${next}\n}`);
    }
    if (s > 0) lines.push(`type S${s - 1}T0 @key(fields: "id") {\n  id: ID!\n  fromS${s}: String\n}`);
    lines.push(`type Query {\n  "Items of subgraph ${s}"\n  s${s}Items(first: Int = 10): [S${s}T0!]!\n}`);
    out.push({ name: `s${s}`, url: `http://s${s}.bench/graphql`, sdl: lines.join('\n') });
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runRegistryPublishBench(runs = 5): Promise<{ composeMs: number; publishMs: number; ratio: number; types: number; report: string }> {
  const graph = generateGraph();
  const types = graph.reduce((n, s) => n + (s.sdl.match(/^type S\d+T\d+ @key/gm)?.length ?? 0), 0) - (graph.length - 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-bench-registry-'));
  const usage = await FileUsageStore.open(path.join(dir, 'usage'));
  // Some traffic, so usage lookups do real work.
  await usage.record(graph.slice(0, 10).map((_, i) => ({ coordinate: `S${i}T0.name`, client: { name: 'web' }, count: 10 })));
  const publisher = new SchemaPublisher(new FileRegistryStore(path.join(dir, 'registry')), { usage });
  try {
    // Seed the live head with one composition (setup, not measured).
    const seed = composeSubgraphs(graph);
    if (!seed.ok) throw new Error(`generated graph does not compose: ${seed.errors[0]!.message}`);
    await publisher.store.append('bench', null, { action: 'publish', subgraphs: graph.map((s) => ({ ...s, status: 'active' as const })), supergraphSdl: seed.supergraphSdl });
    const composeTimes: number[] = [];
    const publishTimes: number[] = [];
    let sdl = graph[7]!.sdl;
    // Interleaved, so both sides see the same machine load; run 0 warms the JIT and the worker.
    for (let run = 0; run <= runs; run++) {
      let start = performance.now();
      const bare = composeServices(graph.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
      const composeMs = performance.now() - start;
      if (bare.errors) throw new Error(`bare composition failed: ${bare.errors[0]!.message}`);

      sdl = sdl.replace('type Query {', `type Query {\n  "Added in run ${run}"\n  added${run}: String`);
      start = performance.now();
      const outcome = await publisher.publish({ variant: 'bench', name: 's7', url: graph[7]!.url, sdl });
      const publishMs = performance.now() - start;
      if (outcome.status !== 'published') throw new Error(`bench publish refused: ${JSON.stringify(outcome).slice(0, 500)}`);
      if (run > 0) {
        composeTimes.push(composeMs);
        publishTimes.push(publishMs);
      }
    }
    const composeMs = median(composeTimes);
    const publishMs = median(publishTimes);
    const ratio = publishMs / composeMs;
    const report = [
      `registry publish (${graph.length} subgraphs, ${types} types, median of ${runs} runs, ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores)`,
      `  bare composeServices (parse + compose): ${composeMs.toFixed(0)} ms`,
      `  publish with all checks + file store:   ${publishMs.toFixed(0)} ms`,
      `  ratio: ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? 'PASS' : 'FAIL'}`,
    ].join('\n');
    return { composeMs, publishMs, ratio, types, report };
  } finally {
    await publisher.close();
    await usage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 5;
  const result = await runRegistryPublishBench(runs);
  process.stdout.write(`${result.report}\n`);
  const resultsFile = path.resolve(__dirname, '../../bench/RESULTS.md');
  const file = fs.existsSync(path.dirname(resultsFile)) ? resultsFile : path.resolve('bench/RESULTS.md');
  fs.appendFileSync(file, `\n### Registry publish\n\n\`\`\`\n$ node dist/bench/registry-publish.js --runs ${runs}\n${result.report}\n\`\`\`\n`);
  if (result.ratio > 1.5) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`registry-publish bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  });
}
