/**
 * Paths to source files (SDL, YAML) that the compiler does not copy to dist/: resolved from the
 * repository root, found by walking up to the folder holding package.json and tsconfig.json
 * (tsc may copy a package.json into dist/, never a tsconfig.json), so the same code works from
 * `subgraphs/rest/demo` (jest) and `dist/subgraphs/rest/demo` (compiled).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'tsconfig.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No repository root (package.json and tsconfig.json) above ${start}`);
  }
}

const REPO_ROOT = findRepoRoot(__dirname);

export function repoPath(...segments: string[]): string {
  return path.join(REPO_ROOT, ...segments);
}
