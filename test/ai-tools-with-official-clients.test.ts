/**
 * Tools (function calling) through the gateway, with the official `openai` npm client as a real
 * client: a tool call, the tool's result sent back, the final answer; the same while streaming;
 * tool_choice honoured; a model that cannot call tools refused with a 400 naming it. The embedded
 * local model calls tools deterministically, so this runs with no provider key. The GraphQL `chat`
 * field takes the same tools. A tenant denied `Query.chat` is refused on /v1 with tools too.
 */
import OpenAI from 'openai';
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { graphql, REPO_ROOT, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
let client: OpenAI;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;

const WEATHER = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } },
};
const TIME = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string', enum: ['UTC', 'CET'] } } } } };

beforeAll(async () => {
  const port = await freePortRange(20);
  const config = loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('ai-tools') });
  // A second local model declared unable to call tools.
  config.ai = { ...(config.ai ?? {}), models: [...((config.ai?.models as unknown[]) ?? []), { id: 'local/plain', provider: 'local', model: 'plain', inputPricePerMTok: 0, outputPricePerMTok: 0, contextWindow: 4096, tools: false }] } as never;
  stack = await startDevStack(config);
  client = new OpenAI({ apiKey: key('acme'), baseURL: stack.gatewayUrl.replace(/\/graphql$/, '/v1'), maxRetries: 0 });
});
afterAll(() => stack?.close());

test('a tool round trip: the model calls get_weather, the client runs it, the model answers with its result', async () => {
  const question = { role: 'user' as const, content: 'Paris: use get_weather please' };
  const first = await client.chat.completions.create({ model: 'local/echo', messages: [question], tools: [WEATHER, TIME] });
  const choice = first.choices[0]!;
  expect(choice.finish_reason).toBe('tool_calls');
  expect(choice.message.content).toBeNull();
  const call = choice.message.tool_calls![0]!;
  expect(call.type).toBe('function');
  if (call.type !== 'function') throw new Error('not a function call');
  expect(call.function.name).toBe('get_weather');
  expect(JSON.parse(call.function.arguments)).toEqual({ city: "Paris: use get_weather please", days: 7 }); // days: the token count of the text

  const second = await client.chat.completions.create({
    model: 'local/echo',
    messages: [question, choice.message, { role: 'tool', tool_call_id: call.id, content: '18°C and sunny' }],
    tools: [WEATHER, TIME],
  });
  expect(second.choices[0]!.finish_reason).toBe('stop');
  expect(second.choices[0]!.message.content).toBe('Tool get_weather returned: 18°C and sunny');
  expect(second.usage!.total_tokens).toBeGreaterThan(0);
});

test('streaming: the tool call arrives in tool_calls deltas that the client assembles', async () => {
  const stream = await client.chat.completions.create({ model: 'local/echo', messages: [{ role: 'user', content: 'time?' }], tools: [WEATHER, TIME], tool_choice: { type: 'function', function: { name: 'get_time' } }, stream: true, stream_options: { include_usage: true } });
  const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
  let finish: string | null = null;
  let usage: unknown;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      for (const delta of choice.delta.tool_calls ?? []) {
        calls[delta.index] ??= { arguments: '' };
        if (delta.id) calls[delta.index]!.id = delta.id;
        if (delta.function?.name) calls[delta.index]!.name = delta.function.name;
        calls[delta.index]!.arguments += delta.function?.arguments ?? '';
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  expect(finish).toBe('tool_calls');
  expect(calls).toEqual([{ id: expect.any(String), name: 'get_time', arguments: JSON.stringify({ zone: 'UTC' }) }]);
  expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
});

test("tool_choice none answers in text; auto without a tool named answers in text", async () => {
  const none = await client.chat.completions.create({ model: 'local/echo', messages: [{ role: 'user', content: 'get_weather in Rome' }], tools: [WEATHER], tool_choice: 'none' });
  expect([none.choices[0]!.finish_reason, none.choices[0]!.message.content]).toEqual(['stop', 'Echo: get_weather in Rome']);
  const auto = await client.chat.completions.create({ model: 'local/echo', messages: [{ role: 'user', content: 'hello' }], tools: [WEATHER] });
  expect(auto.choices[0]!.message.content).toBe('Echo: hello');
});

test('a model that cannot call tools is refused with a 400 naming it; bad tool messages are 400s', async () => {
  const refused = await client.chat.completions.create({ model: 'local/plain', messages: [{ role: 'user', content: 'x' }], tools: [WEATHER] }).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
  expect((refused as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/model 'local\/plain' cannot call tools/);
  const orphan = await client.chat.completions.create({ model: 'local/echo', messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_nobody', content: '1' }], tools: [WEATHER] }).catch((err: unknown) => err);
  expect(orphan).toBeInstanceOf(OpenAI.BadRequestError);
  expect((orphan as Error).message).toMatch(/no earlier assistant message made/);
});

test('a tenant denied Query.chat is refused on /v1 with tools as without', async () => {
  const initech = new OpenAI({ apiKey: key('initech'), baseURL: stack.gatewayUrl.replace(/\/graphql$/, '/v1'), maxRetries: 0 });
  const refused = await initech.chat.completions.create({ model: 'local/echo', messages: [{ role: 'user', content: 'get_weather' }], tools: [WEATHER] }).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
});

test('the GraphQL chat field takes the same tools and returns toolCalls', async () => {
  const query = `query($input: ChatInput!) { chat(input: $input) { text finishReason toolCalls { id name arguments } } }`;
  const input = { model: 'local/echo', messages: [{ role: 'USER', content: 'Oslo' }], tools: [{ name: 'get_weather', parameters: WEATHER.function.parameters }], toolChoice: 'get_weather' };
  const { body } = await graphql(stack.gatewayUrl, query, { variables: { input }, headers: { 'x-api-key': key('acme') } });
  expect(body.errors).toBeUndefined();
  expect(body.data.chat).toEqual({ text: '', finishReason: 'TOOL_CALLS', toolCalls: [{ id: expect.any(String), name: 'get_weather', arguments: JSON.stringify({ city: 'Oslo', days: 1 }) }] });
  const call = body.data.chat.toolCalls[0];
  const followUp = { ...input, messages: [...input.messages, { role: 'ASSISTANT', content: '', toolCalls: [call] }, { role: 'TOOL', content: 'rain', toolCallId: call.id }], toolChoice: 'auto' };
  const answered = await graphql(stack.gatewayUrl, query, { variables: { input: followUp }, headers: { 'x-api-key': key('acme') } });
  expect(answered.body.data.chat).toMatchObject({ text: 'Tool get_weather returned: rain', finishReason: 'STOP', toolCalls: [] });
});
