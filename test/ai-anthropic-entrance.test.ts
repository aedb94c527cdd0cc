/**
 * The Anthropic-compatible entrance, `POST /v1/messages`, with the official `@anthropic-ai/sdk` as a
 * real client against the gateway: a message, a streamed message, a tool round trip (tool_use then
 * tool_result), metering into the same usage, errors as Anthropic's error classes, and the same
 * field policy as `chat` (a tenant denied it is refused).
 */
import Anthropic from '@anthropic-ai/sdk';
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { graphql, REPO_ROOT, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;
const clientFor = (tenant: string) => new Anthropic({ apiKey: key(tenant), baseURL: stack.gatewayUrl.replace(/\/graphql$/, ''), maxRetries: 0 });

beforeAll(async () => {
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('anthropic') }));
});
afterAll(() => stack?.close());

test('a message: text, stop reason and usage as Anthropic sends them', async () => {
  const message = await clientFor('acme').messages.create({ model: 'local/echo', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'hello lamp' }] });
  expect(message.type).toBe('message');
  expect(message.content).toEqual([{ type: 'text', text: 'Echo: hello lamp' }]);
  expect(message.stop_reason).toBe('end_turn');
  expect(message.usage.input_tokens).toBeGreaterThan(0);
  expect(message.usage.output_tokens).toBe(4);
});

test('streaming: the SDK assembles the same message from the events', async () => {
  const stream = clientFor('acme').messages.stream({ model: 'local/echo', max_tokens: 100, messages: [{ role: 'user', content: 'stream this please' }] });
  const deltas: string[] = [];
  stream.on('text', (text) => deltas.push(text));
  const final = await stream.finalMessage();
  expect(deltas.join('')).toBe('Echo: stream this please');
  expect(deltas.length).toBeGreaterThan(1);
  expect(final.content).toEqual([{ type: 'text', text: 'Echo: stream this please' }]);
  expect(final.stop_reason).toBe('end_turn');
});

test('a tool round trip: tool_use, then the tool_result, then the answer', async () => {
  const tools = [{ name: 'get_stock', description: 'Stock of a product', input_schema: { type: 'object' as const, properties: { product: { type: 'string' } }, required: ['product'] } }];
  const first = await clientFor('acme').messages.create({ model: 'local/echo', max_tokens: 100, tools, tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'lamp' }] });
  expect(first.stop_reason).toBe('tool_use');
  const use = first.content.find((b) => b.type === 'tool_use');
  expect(use).toMatchObject({ type: 'tool_use', name: 'get_stock', input: { product: 'lamp' } });
  if (use?.type !== 'tool_use') throw new Error('no tool_use');
  const second = await clientFor('acme').messages.create({
    model: 'local/echo',
    max_tokens: 100,
    tools,
    messages: [{ role: 'user', content: 'lamp' }, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '12 in stock' }] }],
  });
  expect(second.content).toEqual([{ type: 'text', text: 'Tool get_stock returned: 12 in stock' }]);
});

test('errors come as the SDK\'s classes: unknown model 404, bad request 400, denied tenant 403', async () => {
  await expect(clientFor('acme').messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  await expect(clientFor('acme').messages.create({ model: 'local/echo', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA==' } }] }] })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  await expect(clientFor('initech').messages.create({ model: 'local/echo', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
});

test('messages are metered like chat: they appear in aiUsage', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const { body } = await graphql(stack.gatewayUrl, `{ aiUsage(from: "${today}", to: "${today}", groupBy: MODEL) { key requests } }`, { headers: { 'x-api-key': key('acme') } });
  expect(body.data.aiUsage.find((r: { key: string }) => r.key === 'local/echo').requests).toBeGreaterThanOrEqual(4);
});
