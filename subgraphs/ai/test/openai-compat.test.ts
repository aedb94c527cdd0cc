/** OpenAI chat-completions bodies map to runChat requests, and results map back to bodies and SSE. */
import { CharterError } from '../../../core/errors';
import { fromOpenAIRequest, toOpenAIError, toOpenAIResponse, toOpenAIStreamChunks } from '../openai-compat';
import type { ChatResult } from '../chat-types';

const result: ChatResult = {
  text: 'Hello there friend',
  usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 },
  costUsd: 0.00005,
  finishReason: 'length',
  model: 'gpt',
  provider: 'oa',
  attempts: [{ model: 'gpt', provider: 'oa' }],
};

test('a request body becomes a ChatRequest; a route name selects the route', () => {
  const body = {
    model: 'default',
    messages: [
      { role: 'developer', content: 'be kind' },
      { role: 'user', content: [{ type: 'text', text: 'hi ' }, { type: 'text', text: 'you' }] },
    ],
    temperature: 0.5,
    max_completion_tokens: 64,
    stream: true,
    stream_options: { include_usage: true },
    response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' } } },
  };
  expect(fromOpenAIRequest(body, ['default'])).toEqual({
    request: {
      route: 'default',
      messages: [
        { role: 'system', content: 'be kind' },
        { role: 'user', content: 'hi you' },
      ],
      temperature: 0.5,
      maxTokens: 64,
      responseFormat: { type: 'json', schema: { type: 'object' }, name: 'out' },
    },
    stream: true,
    includeUsage: true,
  });
  expect(fromOpenAIRequest({ model: 'gpt', messages: [{ role: 'user', content: 'x' }], max_tokens: 5, response_format: { type: 'json_object' } }, ['default']).request).toEqual({
    model: 'gpt',
    messages: [{ role: 'user', content: 'x' }],
    maxTokens: 5,
    responseFormat: { type: 'json' },
  });
});

test.each([
  [[], /JSON object/],
  [{ messages: [] }, /model is required/],
  [{ model: 'gpt', messages: [{ role: 'tool', content: 'x' }] }, /messages\[0\]: a tool message needs tool_call_id/],
  [{ model: 'gpt', messages: [{ role: 'function', content: 'x' }] }, /messages\[0\]\.role 'function' is not supported/],
  [{ model: 'gpt', messages: [], functions: [] }, /deprecated functions and function_call are not supported/],
  [{ model: 'gpt', messages: [], n: 2 }, /only n = 1/],
  [{ model: 'gpt', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }, /only text parts/],
])('an unsupported body %j is BAD_USER_INPUT', (body, message) => {
  expect(() => fromOpenAIRequest(body, [])).toThrow(message);
  try {
    fromOpenAIRequest(body, []);
  } catch (err) {
    expect((err as CharterError).code).toBe('BAD_USER_INPUT');
  }
});

test('a result becomes a chat.completion body', () => {
  expect(toOpenAIResponse(result, { id: 'chatcmpl-1', created: 1700 })).toEqual({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1700,
    model: 'gpt',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there friend' }, finish_reason: 'length', logprobs: null }],
    usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
    charter: { provider: 'oa', cost_usd: 0.00005, attempts: [{ model: 'gpt', provider: 'oa' }] },
  });
});

test('a result becomes SSE chunks whose deltas rebuild the text, then usage, then [DONE]', () => {
  const frames = toOpenAIStreamChunks(result, { id: 'c', created: 1 }, { includeUsage: true });
  expect(frames.at(-1)).toBe('data: [DONE]\n\n');
  const chunks = frames.slice(0, -1).map((frame) => {
    expect(frame.startsWith('data: ') && frame.endsWith('\n\n')).toBe(true);
    return JSON.parse(frame.slice(6));
  });
  expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === 'c')).toBe(true);
  expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
  expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('Hello there friend');
  expect(chunks.at(-2).choices[0].finish_reason).toBe('length');
  expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } });
  expect(toOpenAIStreamChunks(result, { id: 'c', created: 1 }, { includeUsage: false }).some((frame) => frame.includes('usage'))).toBe(false);
});

test('errors become OpenAI error bodies with the catalogue status', () => {
  expect(toOpenAIError(new CharterError('BUDGET_EXCEEDED', 'daily budget of $1.00 for tenant acme is spent'))).toEqual({
    status: 429,
    body: { error: { message: 'daily budget of $1.00 for tenant acme is spent', type: 'insufficient_quota', code: 'budget_exceeded' } },
  });
  expect(toOpenAIError(new CharterError('UPSTREAM_TIMEOUT', 'x')).status).toBe(504);
});
