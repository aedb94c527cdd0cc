/** Where the AI subgraph's base SDL lives, from the source tree or from `dist/`. */
import fs from 'node:fs';
import path from 'node:path';

/** Read a file of `subgraphs/ai/` next to this module; from `dist/` fall back to the source tree, since tsc copies no .graphql or .yaml. */
export function aiSourcePath(...segments: string[]): string {
  const candidates = [path.join(__dirname, ...segments), path.resolve(__dirname, '../../../subgraphs/ai', ...segments)];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`subgraphs/ai/${segments.join('/')} not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The base SDL of the AI subgraph (without template fields). */
export function readAiTypeDefs(): string {
  return fs.readFileSync(aiSourcePath('schema.graphql'), 'utf8');
}
