/**
 * A prompt template published through the registry (with the `charter prompt` CLI) becomes a typed
 * field at the gateway, served by the AI subgraph that follows the registry; a breaking template
 * change to a used field, or an invalid template, is refused and stores nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { RegistryClient } from '../schema-registry/client/registry-client';
import { graphql, REPO_ROOT, runCharter, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
let registry: RegistryClient;
let dir: string;
const key = () => stack.demoKeys.find((k) => k.tenant === 'acme')!.apiKey;

const TRANSLATE = `name: translate
description: A text in another language.
route: default
template: "Translate into {{language}}: {{text}}"
variables:
  text:
    type: String
    description: The text to translate.
  language:
    type: String
    description: The target language.
output:
  kind: text
`;

function writeTemplate(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The gateway and the AI subgraph each follow the registry: poll until the field answers. */
async function queryUntilServed(query: string, timeoutMs = 5000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await graphql(stack.gatewayUrl, query, { headers: { 'x-api-key': key() } });
    if (!body.errors || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = tempDir('prompt-e2e');
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: dir }));
  registry = new RegistryClient(stack.registryUrl, stack.registryAdminToken!);
});
afterAll(async () => {
  await stack?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('charter dev seeds the registry with the demo templates', async () => {
  const stored = await registry.fetchPrompts('prod');
  expect(stored!.templates!.map((t: any) => t.name)).toEqual(['sentiment', 'summary']);
  const list = await runCharter(['prompt', 'list', '--registry', stack.registryUrl, '--variant', 'prod'], { CHARTER_DATA_DIR: dir });
  expect(list.code).toBe(0);
  expect(list.stdout).toContain('summary(text: String!, maxWords: Int!): String!   A short summary of a text.');
});

test('a published template is a typed field at the gateway; a breaking change to it while used is refused', async () => {
  const published = await runCharter(['prompt', 'publish', writeTemplate('translate.yaml', TRANSLATE), '--registry', stack.registryUrl, '--variant', 'prod'], { CHARTER_DATA_DIR: dir });
  expect(published.stderr).toBe('');
  expect(published.code).toBe(0);
  expect(published.stdout).toMatch(/^Published: template translate -> variant prod version \d+ \(field Query\.translate\)/);

  const body = await queryUntilServed('{ translate(text: "hello", language: "French") }');
  expect(body).toEqual({ data: { translate: 'Echo: Translate into French: hello' } });
  // Typed: the argument is a required String, checked by the gateway before any call.
  const missing = await graphql(stack.gatewayUrl, '{ translate(text: "hello") }', { headers: { 'x-api-key': key() } });
  expect(missing.body.errors[0].message).toMatch(/argument "language" of type "String!" is required/);

  const versionsBefore = (await registry.history('prod')).body.versions.length;
  const usage = await registry.reportUsage([{ coordinate: 'Query.translate', count: 12, client: { name: 'web' } }]);
  expect(usage.status).toBe(202);

  // Removing a variable removes an argument clients send: breaking, and Query.translate is used.
  const noLanguage = TRANSLATE.replace('Translate into {{language}}: {{text}}', 'Translate into English: {{text}}').replace(/  language:\n    type: String\n    description: The target language.\n/, '');
  const refused = await runCharter(['prompt', 'publish', writeTemplate('translate-v2.yaml', noLanguage), '--registry', stack.registryUrl, '--variant', 'prod'], { CHARTER_DATA_DIR: dir });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('refused (CHECKS_FAILED)');
  expect(refused.stderr).toContain('Query.translate(language:)');

  const answer = await registry.publishPrompt('prod', { name: 'translate', description: 'A text in another language.', template: 'Translate into English: {{text}}', variables: { text: { type: 'String' } }, output: { kind: 'text' } });
  expect(answer.status).toBe(422);
  expect(answer.body.error.code).toBe('CHECKS_FAILED');
  const breaking = answer.body.report.changes.find((c: any) => c.coordinate === 'Query.translate(language:)');
  expect(breaking).toMatchObject({ criticality: 'BREAKING', type: 'FIELD_ARGUMENT_REMOVED' });
  // 12 from the report above (plus whatever the gateway itself reported for the queries before).
  expect(breaking.usage.clients).toContain('web');
  expect(breaking.usage.count).toBeGreaterThanOrEqual(12);

  // Changing the output type (text → an object) is breaking too.
  const typed = await registry.publishPrompt('prod', { name: 'translate', description: 'A text in another language.', template: 'Translate into {{language}}: {{text}}', variables: { text: { type: 'String' }, language: { type: 'String' } }, output: { kind: 'object', typeName: 'Translation', description: 'A translation', fields: { text: { type: 'String' } } } });
  expect(typed.status).toBe(422);
  expect(typed.body.report.failures.map((f: any) => f.coordinate)).toContain('Query.translate');

  // Nothing was stored: same versions, same template, and the gateway still serves the old field.
  expect((await registry.history('prod')).body.versions.length).toBe(versionsBefore);
  const stored = await registry.fetchPrompts('prod');
  expect(stored!.templates!.find((t: any) => t.name === 'translate')).toMatchObject({ variables: { language: { type: 'String' } } });
  const still = await graphql(stack.gatewayUrl, '{ translate(text: "hi", language: "German") }', { headers: { 'x-api-key': key() } });
  expect(still.body).toEqual({ data: { translate: 'Echo: Translate into German: hi' } });
});

test('an invalid template is refused by the CLI with the problem named, and nothing is stored', async () => {
  const before = await registry.fetchPrompts('prod');
  const bad = TRANSLATE.replace('name: translate', 'name: Translate2').replace('{{text}}', '{{body}}');
  const refused = await runCharter(['prompt', 'publish', writeTemplate('bad.yaml', bad), '--registry', stack.registryUrl, '--variant', 'prod'], { CHARTER_DATA_DIR: dir });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('refused (BAD_REQUEST)');
  expect(refused.stderr).toContain('name must be a camelCase GraphQL field name');
  expect(refused.stderr).toContain('{{body}} is not a declared variable');
  expect((await registry.fetchPrompts('prod'))!.etag).toBe(before!.etag);

  const unreadable = await runCharter(['prompt', 'publish', path.join(dir, 'nope.yaml'), '--registry', stack.registryUrl], { CHARTER_DATA_DIR: dir });
  expect(unreadable.code).toBe(2);
  expect(unreadable.stderr).toContain('no such file');
});
