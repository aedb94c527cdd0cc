/** Build a REST-wrapped subgraph from its two files: `<name>.graphql` and `<name>.rest.yaml`. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { buildRestSubgraph, type ExtraResolvers, type RestSubgraph } from './build';
import type { RestMapping } from './mapping';

export interface RestSubgraphFiles {
  name: string;
  schemaFile: string;
  mappingFile: string;
  baseUrl: string;
  resolvers?: ExtraResolvers;
  timeoutMs?: number;
}

export async function loadRestSubgraphFromFiles(options: RestSubgraphFiles): Promise<RestSubgraph> {
  const [typeDefs, mappingText] = await Promise.all([readFile(options.schemaFile, 'utf8'), readFile(options.mappingFile, 'utf8')]);
  let document: unknown;
  try {
    document = parseYaml(mappingText);
  } catch (err) {
    throw new Error(`REST subgraph "${options.name}": ${options.mappingFile} is not valid YAML: ${(err as Error).message}`);
  }
  return buildRestSubgraph({
    name: options.name,
    typeDefs,
    // Validated by buildRestSubgraph, whose errors name this file.
    mapping: document as RestMapping,
    mappingSource: options.mappingFile,
    baseUrl: options.baseUrl,
    resolvers: options.resolvers,
    timeoutMs: options.timeoutMs,
  });
}
