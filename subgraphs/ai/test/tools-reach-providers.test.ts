/** Tools are passed to providers in their own wire formats (OpenAI `tools`, Anthropic `tools`), with the tool choice. */
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { startFakeAnthropic } from '../test-support/fake-anthropic';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, model, testConfig } from '../test-support/fixtures';

let openai: FakeServer;
let anthropic: FakeServer;
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
});
afterAll(() => Promise.all([openai.close(), anthropic.close()]));

const tools = [{ name: 'lookup', description: 'Find a record', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }];
const messages = [
  { role: 'user' as const, content: 'find 7' },
  { role: 'assistant' as const, content: '', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"id":"7"}' }] },
  { role: 'tool' as const, content: 'record 7', toolCallId: 'call_1' },
];

test('OpenAI and Anthropic receive the tools, the choice and the earlier call and result in their formats', async () => {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: openai.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, an: { kind: 'anthropic', baseUrl: anthropic.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('gpt', 'oa'), model('claude', 'an')],
  });
  const ai = createAiService({ config, ledger: new MemoryUsageLedger() });
  await ai.runChat({ request: { model: 'gpt', messages, tools, toolChoice: 'required' }, tenant: { tenant: 't', budget: {} } });
  const sentToOpenAI = openai.requests.at(-1)!.body;
  expect(sentToOpenAI.tools).toEqual([{ type: 'function', function: expect.objectContaining({ name: 'lookup', description: 'Find a record', parameters: expect.objectContaining({ properties: { id: { type: 'string' } } }) }) }]);
  expect(sentToOpenAI.tool_choice).toBe('required');
  expect(sentToOpenAI.messages.slice(1)).toEqual([
    expect.objectContaining({ role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":"7"}' } }] }),
    { role: 'tool', tool_call_id: 'call_1', content: 'record 7' },
  ]);

  // With a forced tool the fake answers the programmed text as that tool's input.
  anthropic.enqueue({ kind: 'reply', text: '{"id":"8"}' });
  const forced = await ai.runChat({ request: { model: 'claude', messages, tools, toolChoice: { name: 'lookup' } }, tenant: { tenant: 't', budget: {} } });
  expect(forced.toolCalls).toEqual([{ id: 'toolu_fake', name: 'lookup', arguments: '{"id":"8"}' }]);
  expect(forced.finishReason).toBe('tool-calls');
  const sentToAnthropic = anthropic.requests.at(-1)!.body;
  expect(sentToAnthropic.tools).toEqual([expect.objectContaining({ name: 'lookup', description: 'Find a record', input_schema: expect.objectContaining({ properties: { id: { type: 'string' } } }) })]);
  expect(sentToAnthropic.tool_choice).toEqual(expect.objectContaining({ type: 'tool', name: 'lookup' }));
  expect(JSON.stringify(sentToAnthropic.messages)).toContain('"tool_use_id":"call_1"');
});
