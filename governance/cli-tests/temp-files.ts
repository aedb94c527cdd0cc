/** Test helper: a temp directory with the given files, removed by the returned cleanup. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';

export function writeTempFiles(files: Record<string, string>): { dir: string; file(name: string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-governance-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a commander program and captures what it writes and the exit code it sets. */
export async function runProgram(build: (program: Command) => void, argv: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const program = new Command().option('-c, --config <file>', 'configuration file', 'charter.config.yaml').exitOverride();
  build(program);
  let stdout = '';
  let stderr = '';
  // Plain reassignment (not jest.spyOn): this helper is compiled by the build too, where jest's globals do not exist.
  const realOut = process.stdout.write;
  const realErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'charter', ...argv]);
    return { exitCode: process.exitCode as number | undefined, stdout, stderr };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    process.exitCode = before;
  }
}
