/**
 * The layering rules of eslint.config.js fail on a wrong import. Each case writes a probe module
 * with a RUNTIME import into the real tree (zones depend on where a file lives), lints it with the
 * project's own config, and removes it again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const ESLINT_BIN = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}

/** Writes `files` (path relative to the root → source), lints them, and always removes them. */
function lintProbes(files: Record<string, string>): string[] {
  const written = Object.entries(files).map(([rel, source]) => {
    const file = path.join(ROOT, rel);
    fs.writeFileSync(file, source);
    return file;
  });
  try {
    // The eslint CLI in its own process, as `npm run lint` runs it (jest cannot load the flat config in-process).
    const run = spawnSync(process.execPath, [ESLINT_BIN, '--format', 'json', ...written], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed to run: ${run.stderr}`);
    expect(run.status).toBe((JSON.parse(run.stdout) as LintResult[]).some((r) => r.messages.length) ? 1 : 0);
    const results = JSON.parse(run.stdout) as LintResult[];
    return results.flatMap((r) => r.messages.map((m) => `${path.relative(ROOT, r.filePath)}: ${m.ruleId}: ${m.message}`));
  } finally {
    for (const file of written) fs.rmSync(file, { force: true });
  }
}

const probe = (dir: string, name: string): string => `${dir}/zz-layering-probe-${process.pid}-${name}.ts`;

test('core/ importing a part at run time fails lint', () => {
  const messages = lintProbes({ [probe('core', 'gateway')]: "import { startGateway } from '../gateway/server';\n\nexport const probe = startGateway;\n" });
  expect(messages).toEqual([expect.stringMatching(/import-x\/no-restricted-paths: .*core\/ is the floor/)]);
});

test('the gateway importing the registry server (not its client) fails lint', () => {
  const messages = lintProbes({ [probe('gateway', 'registry')]: "import { startRegistry } from '../schema-registry/server';\n\nexport const probe = startRegistry;\n" });
  expect(messages).toEqual([expect.stringMatching(/no-restricted-paths: .*only schema-registry\/client/)]);
});

test('tenancy/ and subgraphs importing the gateway fail lint', () => {
  const messages = lintProbes({
    [probe('tenancy', 'gateway')]: "import { compilePolicy } from '../gateway/policy/compile';\n\nexport const probe = compilePolicy;\n",
    [probe('subgraphs/ai', 'gateway')]: "import { compilePolicy } from '../../gateway/policy/compile';\n\nexport const probe = compilePolicy;\n",
  });
  expect(messages).toHaveLength(2);
  expect(messages.every((m) => m.includes('import-x/no-restricted-paths'))).toBe(true);
});

test('an import cycle fails lint', () => {
  const a = probe('core', 'cycle-a');
  const b = probe('core', 'cycle-b');
  const messages = lintProbes({
    [a]: `import { b } from './${path.basename(b, '.ts')}';\n\nexport const a = (): unknown => b;\n`,
    [b]: `import { a } from './${path.basename(a, '.ts')}';\n\nexport const b = (): unknown => a;\n`,
  });
  expect(messages.filter((m) => m.includes('import-x/no-cycle'))).toHaveLength(2);
});

test('the allowed direction passes: the gateway using the registry client and tenancy', () => {
  const messages = lintProbes({
    [probe('gateway', 'allowed')]: "import { RegistryClient } from '../schema-registry/client/registry-client';\nimport { hashApiKey } from '../tenancy/api-key-hash';\n\nexport const probe = [RegistryClient, hashApiKey];\n",
  });
  expect(messages).toEqual([]);
});
