/** The four demo REST-wrapped subgraphs: which files describe each and which backend it wraps. */
import type { ExtraResolvers } from '../wrap/build';
import type { DemoBackendName } from './backends';
import { repoPath } from './files';
import { inventoryResolvers } from './inventory.resolvers';

export interface DemoRestSubgraph {
  name: string;
  schemaFile: string;
  mappingFile: string;
  backend: DemoBackendName;
  resolvers?: ExtraResolvers;
}

const demoFile = (file: string) => repoPath('subgraphs', 'rest', 'demo', file);

const DEMOS: Array<Omit<DemoRestSubgraph, 'schemaFile' | 'mappingFile'>> = [
  { name: 'accounts', backend: 'users' },
  { name: 'products', backend: 'catalog' },
  { name: 'inventory', backend: 'inventory', resolvers: inventoryResolvers },
  { name: 'reviews', backend: 'reviews' },
];

export const DEMO_REST_SUBGRAPHS: DemoRestSubgraph[] = DEMOS.map((demo) => ({ ...demo, schemaFile: demoFile(`${demo.name}.graphql`), mappingFile: demoFile(`${demo.name}.rest.yaml`) }));
