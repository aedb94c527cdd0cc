/**
 * Configuration that silently weakened safety (hardening issue, item 7): a `gateway.subgraphs.ai`
 * entry with only a timeout dropped the built-in `noRetry`, so billed AI calls could be retried; a
 * `limits:` section naming one limit dropped the others (cost included). Settings are now merged
 * key by key over the built-in ones and validated at start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { ConfigError, loadConfig } from '../../cli/config';
import { listen, sendJson, type RunningServer } from '../../core/http';
import { createSubgraphCalls } from '../../gateway/subgraph-calls';
import { tempDir } from '../support/charter-process';

function configFrom(yaml: string) {
  const file = path.join(tempDir('config'), 'charter.config.yaml');
  fs.writeFileSync(file, yaml);
  return loadConfig(file, {});
}

let failing: RunningServer & { calls: number };
beforeAll(async () => {
  const server = await listen((_req, res) => {
    failing.calls++;
    sendJson(res, 503, { error: 'overloaded' });
  }, { host: '127.0.0.1' });
  failing = Object.assign(server, { calls: 0 });
});
afterAll(() => failing?.close());

async function attemptsFor(subgraph: string, settingsYaml: string): Promise<number> {
  const config = configFrom(`gateway:\n  subgraphs:\n${settingsYaml}`);
  const calls = createSubgraphCalls({ secret: 's', subgraphs: config.gateway.subgraphs as never });
  failing.calls = 0;
  try {
    const query = '{ chat { text } }';
    const answer = await calls.buildService({ name: subgraph, url: `${failing.url}/graphql` }).process({ kind: 0, request: { query, http: { method: 'POST', url: `${failing.url}/graphql`, headers: new Headers() as never } }, context: {}, document: parse(query) } as never);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  } finally {
    await calls.close();
  }
  return failing.calls;
}

test('an ai entry with only a timeout keeps noRetry: a failing AI call is sent once, where another subgraph is retried', async () => {
  expect(await attemptsFor('books', '    books:\n      timeoutMs: 5000\n      retries: 2\n      retryBaseDelayMs: 0\n')).toBe(3);
  expect(await attemptsFor('ai', '    ai:\n      timeoutMs: 5000\n')).toBe(1);
  expect(await attemptsFor('ai', '    ai:\n      timeoutMs: 5000\n      retries: 3\n      retryBaseDelayMs: 0\n')).toBe(1);
});

test('turning noRetry off for the AI subgraph is refused at start, naming the key', () => {
  expect(() => configFrom('gateway:\n  subgraphs:\n    ai:\n      noRetry: false\n')).toThrow(ConfigError);
  try {
    configFrom('gateway:\n  subgraphs:\n    ai:\n      noRetry: false\n');
  } catch (err) {
    expect((err as ConfigError).problems).toEqual([expect.stringMatching(/^gateway\.subgraphs\.ai\.noRetry: the AI subgraph is never retried/)]);
  }
});

test('a limits section naming one limit keeps the default of every other (the cost limit included)', () => {
  const { limits } = configFrom('gateway:\n  limits:\n    maxDepth: 5\n').gateway;
  expect(limits).toMatchObject({ maxDepth: 5, maxCost: 100_000, maxAliases: 30, maxTokens: 10_000 });
});
