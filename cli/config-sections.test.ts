import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';

/** Writes `yaml` to a fresh temp config file and loads it, returning the problems it reports. */
function problemsOf(yaml: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-config-'));
  const file = path.join(dir, 'charter.config.yaml');
  fs.writeFileSync(file, yaml);
  try {
    loadConfig(file, {});
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('per-subgraph settings are validated at start, naming the bad key', () => {
  const problems = problemsOf('gateway:\n  subgraphs:\n    books:\n      timeoutMS: 500\n      retries: -1\n      urls: ["not a url"]\n');
  expect(problems).toEqual(expect.arrayContaining([
    expect.stringMatching(/^gateway\.subgraphs\.books: Unrecognized key\(s\) in object: 'timeoutMS'/),
    expect.stringMatching(/^gateway\.subgraphs\.books\.retries: /),
    expect.stringMatching(/^gateway\.subgraphs\.books\.urls\.0: /),
  ]));
});

test('valid per-subgraph settings load unchanged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-config-'));
  const file = path.join(dir, 'charter.config.yaml');
  fs.writeFileSync(file, 'gateway:\n  subgraphs:\n    books:\n      timeoutMs: 500\n      retries: 0\n      urls: ["http://127.0.0.1:1/graphql"]\n');
  try {
    expect(loadConfig(file, {}).gateway.subgraphs).toEqual({ books: { timeoutMs: 500, retries: 0, urls: ['http://127.0.0.1:1/graphql'] } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('each part’s section still reports its own bad keys in one pass', () => {
  const problems = problemsOf('gateway:\n  port: "x"\nregistry:\n  url: nope\ntenants:\n  - id: Bad_Id\n');
  expect(problems).toEqual(expect.arrayContaining([
    expect.stringMatching(/^gateway\.port: /),
    expect.stringMatching(/^registry\.url: /),
    expect.stringMatching(/^tenants\.0\.id: /),
  ]));
});
