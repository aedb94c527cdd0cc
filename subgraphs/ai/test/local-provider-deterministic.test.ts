/** With no keys, the default config's local model answers deterministically, for text and JSON. */
import { createAiService } from '../routing';
import { parseAiConfig } from '../models';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { countTokens } from '../tokens';
import { answerLocally } from '../providers/local';

const tenant = { tenant: 'acme', budget: {} };

test('the default config has a keyless local provider, local/echo and a default route', () => {
  const config = parseAiConfig(undefined);
  expect(config.providers).toEqual({ local: { kind: 'local', catalog: true } });
  expect(config.models.map((m) => m.id)).toEqual(['local/echo', 'local/embed']);
  expect(config.routes).toEqual({ default: ['local/echo'] });
});

test('the same messages give the same answer, usage and zero cost, every time', async () => {
  const ai = createAiService({ config: parseAiConfig(undefined), ledger: new MemoryUsageLedger() });
  const messages = [
    { role: 'system' as const, content: 'You are terse.' },
    { role: 'user' as const, content: 'What is Charter?' },
  ];
  const first = await ai.runChat({ request: { messages }, tenant });
  const second = await ai.runChat({ request: { messages }, tenant });
  expect(first).toEqual(second);
  expect(first).toEqual({
    text: 'Echo: What is Charter?',
    usage: { inputTokens: 4 + 4, outputTokens: 6, totalTokens: 14 },
    costUsd: 0,
    finishReason: 'stop',
    model: 'local/echo',
    provider: 'local',
    attempts: [{ model: 'local/echo', provider: 'local' }],
  });
  const other = await ai.runChat({ request: { messages: [{ role: 'user', content: 'Something else' }] }, tenant });
  expect(other.text).toBe('Echo: Something else');
});

test('maxTokens truncates with finish reason length', async () => {
  const ai = createAiService({ config: parseAiConfig(undefined), ledger: new MemoryUsageLedger() });
  const result = await ai.runChat({ request: { messages: [{ role: 'user', content: 'one two three four five' }], maxTokens: 4 }, tenant });
  expect(result.text).toBe('Echo: one two');
  expect(result.finishReason).toBe('length');
  expect(result.usage.outputTokens).toBe(4);
});

test('JSON output follows the schema, deterministically', async () => {
  const ai = createAiService({ config: parseAiConfig(undefined), ledger: new MemoryUsageLedger() });
  const schema = { type: 'object', properties: { summary: { type: 'string' }, words: { type: 'integer' }, tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } }, ok: { type: 'boolean' } }, required: ['summary'] };
  const result = await ai.runChat({ request: { messages: [{ role: 'user', content: 'hello big world' }], responseFormat: { type: 'json', schema } }, tenant });
  expect(result.object).toEqual({ summary: 'hello big world', words: 3, tags: ['a'], ok: true });
  expect(JSON.parse(result.text)).toEqual(result.object);
  const schemaless = await ai.runChat({ request: { messages: [{ role: 'user', content: 'hi' }], responseFormat: { type: 'json' } }, tenant });
  expect(schemaless.object).toEqual({ echo: 'hi', tokens: 1 });
});

test('the tokenizer counts words and punctuation', () => {
  expect(countTokens('Hello, world! 42 times.')).toBe(7);
  expect(countTokens('')).toBe(0);
  const options = { prompt: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'x y' }] }] };
  expect(answerLocally(options)).toEqual(answerLocally(options));
});
