#!/usr/bin/env node
/**
 * This repository governs itself: `charter check` on each of its own subgraphs (the REST-wrapped
 * ones from charter.config.yaml and the AI subgraph with the demo prompt templates) against the
 * committed baseline in governance/baseline/. Fails when any check fails or cannot run.
 * Runs from the build in dist/ (`npm test` builds first).
 *
 *   node scripts/check-own-schemas.js            check every subgraph (exit 0 pass, 1 fail)
 *   node scripts/check-own-schemas.js --update   refresh the baseline copies after an intended change
 *   node scripts/check-own-schemas.js --format markdown   any `charter check --format`
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const BASELINE_DIR = path.join(ROOT, 'governance/baseline');
const BASELINE = path.join(BASELINE_DIR, 'supergraph.yaml');
const args = process.argv.slice(2);
const update = args.includes('--update');
const formatAt = args.indexOf('--format');
const format = formatAt >= 0 ? args[formatAt + 1] : 'text';

/** name → the file holding the subgraph's current SDL. */
function currentSchemas(tmp) {
  const config = YAML.parse(fs.readFileSync(path.join(ROOT, 'charter.config.yaml'), 'utf8'));
  const files = {};
  for (const sub of config.subgraphs ?? []) files[sub.name] = path.resolve(ROOT, sub.schema);
  // The AI subgraph's SDL is generated from its base schema and the prompt templates it serves.
  const ai = require(path.join(ROOT, 'dist/subgraphs/ai'));
  files.ai = path.join(tmp, 'ai.graphql');
  fs.writeFileSync(files.ai, ai.templatesToSdl(ai.loadDemoTemplates()));
  return files;
}

function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
    process.stderr.write('check-own-schemas: dist/ is missing: run `npm run build` first\n');
    return 2;
  }
  const baseline = YAML.parse(fs.readFileSync(BASELINE, 'utf8'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-own-schemas-'));
  try {
    const current = currentSchemas(tmp);
    const missing = Object.keys(current).filter((name) => !baseline.subgraphs?.[name]);
    if (missing.length && !update) {
      process.stderr.write(`check-own-schemas: ${missing.join(', ')} not in ${path.relative(ROOT, BASELINE)}: add them there (checked as new subgraphs meanwhile)\n`);
    }
    let worst = 0;
    for (const [name, file] of Object.entries(current)) {
      if (update) {
        const target = baseline.subgraphs?.[name]?.schema?.file;
        if (!target) continue;
        fs.copyFileSync(file, path.resolve(BASELINE_DIR, target));
        process.stdout.write(`baseline of ${name} refreshed\n`);
        continue;
      }
      const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/charter.js'), 'check', '--config', BASELINE, '--subgraph', name, '--schema', file, '--format', format], { cwd: ROOT, encoding: 'utf8' });
      const code = run.status ?? 2;
      if (code !== 0) {
        process.stdout.write(run.stdout);
        process.stderr.write(run.stderr);
        process.stderr.write(`check-own-schemas: subgraph "${name}" ${code === 1 ? 'fails its checks' : 'could not be checked'} (exit ${code})\n`);
      } else {
        process.stdout.write(`check-own-schemas: ${name} passes\n`);
      }
      worst = Math.max(worst, code);
    }
    if (worst !== 0) {
      process.stderr.write('If the change is intended and reviewed, refresh the baseline: node scripts/check-own-schemas.js --update\n');
    }
    return worst;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = main();
