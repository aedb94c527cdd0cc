/**
 * Validation messages never name what a tenant's view hides (hardening issue, item 5): validation
 * ran against the whole schema, so `initech` (denied the AI fields) read
 * `Unknown argument "x" on field "AiModel.id"`. A message naming a hidden type is now replaced by
 * what validating against the tenant's view says — the words a type that does not exist gets.
 * (Per RULINGS, the existence of a type that is not internal is not secret; what must never
 * appear is a hidden type's fields, arguments or members.)
 */
import { startDevStack, type DevStack } from '../../cli/commands/dev';
import { loadConfig } from '../../cli/config';
import { graphql, REPO_ROOT, tempDir } from '../support/charter-process';
import { freePortRange } from '../support/ports';

let stack: DevStack;
const as = (tenant: string) => ({ headers: { 'x-api-key': stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey } });

beforeAll(async () => {
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('view-validation') }));
});
afterAll(() => stack?.close());

test('the premise: acme (admin) is told about AiModel.id, the type exists', async () => {
  const { body } = await graphql(stack.gatewayUrl, '{ models { id(x: 1) } }', as('acme'));
  expect(body.errors[0].message).toBe('Unknown argument "x" on field "AiModel.id".');
});

test.each([
  ['an argument on a hidden type', '{ models { id(x: 1) } }', '{ nosuchfield { id(x: 1) } }'],
  ['a fragment on a hidden type', '{ ... on AiModel { id } }', '{ ... on NoSuchType { id } }'],
])('%s answers as a type that does not exist would, without its name', async (_what, hiddenQuery, missingQuery) => {
  const hidden = await graphql(stack.gatewayUrl, hiddenQuery, as('initech'));
  const missing = await graphql(stack.gatewayUrl, missingQuery, as('initech'));
  expect(hidden.status).toBe(missing.status);
  expect(hidden.body.errors.map((e: any) => e.extensions.code)).toEqual(missing.body.errors.map((e: any) => e.extensions.code));
  expect(JSON.stringify(hidden.body)).not.toMatch(/AiModel\.|"id"/);
  // Same wording, the client's own name aside (a name is only ever quoted back as the client wrote it).
  const normalise = (body: any, name: string) => body.errors.map((e: any) => e.message.replaceAll(name, 'X'));
  const [hiddenName, missingName] = hiddenQuery.includes('models') ? ['models', 'nosuchfield'] : ['AiModel', 'NoSuchType'];
  expect(normalise(hidden.body, hiddenName)).toEqual(normalise(missing.body, missingName));
});
