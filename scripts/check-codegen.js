#!/usr/bin/env node
// Fails when a generated file is stale: regenerate into memory and compare with what is committed.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const config = YAML.parse(fs.readFileSync(path.join(root, 'codegen.yml'), 'utf8'));
const targets = Object.keys(config.generates);
const before = new Map(targets.map((t) => [t, fs.existsSync(path.join(root, t)) ? fs.readFileSync(path.join(root, t), 'utf8') : null]));
execFileSync(process.execPath, [path.join(path.dirname(require.resolve('@graphql-codegen/cli/package.json')), 'cjs/bin.js'), '--config', 'codegen.yml', '--silent'], { cwd: root, stdio: 'inherit' });
const stale = targets.filter((t) => before.get(t) !== fs.readFileSync(path.join(root, t), 'utf8'));
if (stale.length) {
  console.error(`Generated files were stale (now regenerated; commit them): ${stale.join(', ')}\nRun: npm run codegen`);
  process.exit(1);
}
console.log(`codegen: ${targets.length} generated files are up to date`);
