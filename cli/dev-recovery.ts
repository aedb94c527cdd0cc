/**
 * How `charter dev` survives a registry whose state disagrees with the configured subgraphs
 * (issue 10, item 8): a refused publish is reported with how to go on instead of ending the
 * stack, `--reset` wipes the embedded state after a confirmation, and `--force` publishes past
 * usage and lint checks with a recorded reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { RegistryResponse } from '../schema-registry/client/registry-client';

/** A configured schema the registry would not take; the live version keeps serving. */
export interface RefusedPublish {
  subgraph: string;
  code: string;
  message: string;
  problems: Array<{ message: string; coordinate?: string; code?: string }>;
}

export function refusedPublishOf(subgraph: string, response: RegistryResponse): RefusedPublish {
  const error = response.body?.error ?? {};
  return { subgraph, code: String(error.code ?? response.status), message: String(error.message ?? `registry answered ${response.status}`), problems: Array.isArray(error.problems) ? error.problems : [] };
}

/** What to print when publishes were refused: which, why, and the three ways on. */
export function describeRefusals(refusals: RefusedPublish[], liveVersion: number | null, command = 'charter dev'): string {
  if (refusals.length === 0) return '';
  const lines = ['', `The registry refused ${refusals.length === 1 ? 'a configured schema' : `${refusals.length} configured schemas`}:`];
  for (const r of refusals) {
    lines.push(`  subgraph "${r.subgraph}" (${r.code})`);
    for (const p of r.problems.length ? r.problems : [{ message: r.message }]) lines.push(`    - ${p.coordinate ? `${p.coordinate}: ` : ''}${p.message}`);
  }
  lines.push(
    `Serving the registry's live version${liveVersion !== null ? ` ${liveVersion}` : ''} instead, so clients keep what the refused change would remove.`,
    'To go on, either:',
    "  - change the subgraph's schema so the check passes (e.g. keep the field, deprecated, until clients stop using it);",
    `  - ${command} --force "<reason>"   publish the configured schemas anyway (usage and lint checks skipped, composition still checked; the reason is kept in the version);`,
    `  - ${command} --reset              wipe the embedded registry (versions, tenants, usage) and start fresh (asks first; --yes for scripts).`,
    '',
  );
  return lines.join('\n') + '\n';
}

/** What `--reset` deletes under the data directory: the embedded registry's state and the gateway's caches of it. Demo keys stay. */
export const RESETTABLE = ['registry', 'usage', 'last-supergraph.json', 'last-tenants.json'] as const;

export interface ResetOptions {
  dataDir: string;
  /** Skip the question (scripts). */
  yes: boolean;
  /** Where the question is asked; default the process's terminal. */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}

/** Asks, then deletes the embedded state. Returns false (deleting nothing) when the answer is not yes. */
export async function resetEmbeddedState(options: ResetOptions): Promise<boolean> {
  const present = RESETTABLE.map((name) => path.join(options.dataDir, name)).filter((p) => fs.existsSync(p));
  const output = options.output ?? process.stdout;
  if (!options.yes) {
    const input = options.input ?? process.stdin;
    if (!input.isTTY) throw new Error('charter dev --reset asks for confirmation; add --yes when running it from a script');
    const rl = readline.createInterface({ input, output });
    try {
      const what = present.length ? present.map((p) => path.relative(process.cwd(), p) || p).join(', ') : '(nothing stored yet)';
      const answer = await rl.question(`This deletes the embedded registry state: ${what}.\nEvery published version, tenant change and usage count is lost. Type "yes" to go on: `);
      if (answer.trim().toLowerCase() !== 'yes') {
        output.write('Reset cancelled; nothing was deleted.\n');
        return false;
      }
    } finally {
      rl.close();
    }
  }
  for (const p of present) fs.rmSync(p, { recursive: true, force: true });
  output.write(`Reset: deleted ${present.length ? present.map((p) => path.basename(p)).join(', ') : 'nothing (no state yet)'}.\n`);
  return true;
}
