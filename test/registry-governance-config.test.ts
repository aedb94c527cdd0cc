/**
 * The `governance:` section of charter.config.yaml is validated at start (bad keys named) and is
 * what `charter registry` runs its checks with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../core/config';
import { REPO_ROOT, spawnCharter, tempDir, waitForOk } from './support/charter-process';
import { freePort } from './support/ports';

const dir = tempDir('governance-config');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('a bad governance section fails the start, naming each bad key', () => {
  const file = writeConfig('bad.yaml', 'governance:\n  lint:\n    rules:\n      field-names-camelcase: error\n  usage:\n    windowDays: 0\n');
  let error: unknown;
  try {
    loadConfig(file, {});
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems.join('\n');
  expect(problems).toMatch(/governance\.lint\.rules: Unrecognized key\(s\) in object: 'field-names-camelcase'/);
  expect(problems).toMatch(/governance\.usage\.windowDays: Number must be greater than or equal to 1/);
});

test("the repository's own config has a governance section", () => {
  const config = loadConfig(path.join(REPO_ROOT, 'charter.config.yaml'), {});
  expect(config.governance?.usage).toEqual({ windowDays: 7, threshold: 0, excludedClients: [] });
  expect(config.governance?.lint?.rules['deprecate-before-delete']).toBe('error');
});

test('charter registry runs with the configured usage window', async () => {
  const port = await freePort();
  const file = writeConfig('charter.yaml', `dataDir: ${JSON.stringify(path.join(dir, 'data'))}\ngovernance:\n  usage:\n    windowDays: 3\n    excludedClients: [ci-bot]\n`);
  const registry = spawnCharter(['--config', file, 'registry', '--insecure-dev', '--port', String(port)], { CHARTER_REGISTRY_TOKENS: '', REDIS_URL: '' });
  try {
    await waitForOk(`http://127.0.0.1:${port}/health`, registry);
    const reported = await fetch(`http://127.0.0.1:${port}/api/usage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reports: [{ coordinate: 'Query.books', count: 4, client: { name: 'web' } }, { coordinate: 'Query.books', count: 9, client: { name: 'ci-bot' } }] }),
    });
    expect(reported.status).toBe(202);
    const res = await fetch(`http://127.0.0.1:${port}/api/usage?coordinates=Query.books`);
    const body = await res.json();
    // The window and the excluded client both come from the config's governance section.
    expect(body.windowDays).toBe(3);
    expect(body.usage['Query.books']).toMatchObject({ count: 4, clients: ['web'] });
  } finally {
    await registry.stop();
  }
});
