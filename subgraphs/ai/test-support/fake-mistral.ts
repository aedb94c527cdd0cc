/**
 * A fake Mistral API (`POST /v1/chat/completions`): chat completions in Mistral's own shape (its
 * `usage`, finish reasons) and its error body (`{ object: "error", message, type, code }`).
 */
import type { FakeServer, WireFormat } from './fake-provider';
import { sendJson } from '../../../core/http';
import { startFakeServer } from './fake-provider';

const mistralFormat: WireFormat = {
  matches: (path) => path === '/v1/chat/completions',
  reply(res, body, behaviour) {
    const input = behaviour.inputTokens ?? 10;
    const output = behaviour.outputTokens ?? 5;
    sendJson(res, 200, {
      id: 'cmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body?.model ?? 'unknown',
      choices: [{ index: 0, message: { role: 'assistant', content: behaviour.text ?? 'fake answer', tool_calls: null }, finish_reason: behaviour.finishReason ?? 'stop' }],
      usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
    });
  },
  error(res, behaviour) {
    const type = behaviour.status === 429 ? 'rate_limited' : behaviour.status >= 500 ? 'internal_server_error' : 'invalid_request_error';
    sendJson(res, behaviour.status, { object: 'error', message: behaviour.message ?? `fake ${behaviour.status}`, type, param: null, code: String(behaviour.status) }, behaviour.headers);
  },
};

export function startFakeMistral(): Promise<FakeServer> {
  return startFakeServer(mistralFormat);
}
