/**
 * A fake OpenAI chat-completions server (`POST /v1/chat/completions`), JSON and SSE streaming with
 * `usage`. Also answers Mistral and OpenAI-compatible clients, which speak the same format.
 */
import type { FakeServer, WireFormat } from './fake-provider';
import { sendJson } from '../../../core/http';
import { splitDeltas, startFakeServer, writeSse } from './fake-provider';

const openAiFormat: WireFormat = {
  matches: (path) => path === '/v1/chat/completions',
  reply(res, body, behaviour) {
    const text = behaviour.text ?? 'fake answer';
    const usage = { prompt_tokens: behaviour.inputTokens ?? 10, completion_tokens: behaviour.outputTokens ?? 5, total_tokens: (behaviour.inputTokens ?? 10) + (behaviour.outputTokens ?? 5) };
    const finish = behaviour.finishReason ?? 'stop';
    const head = { id: 'chatcmpl-fake', created: 1_700_000_000, model: body?.model ?? 'unknown' };
    if (body?.stream) {
      const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] });
      const events: Array<{ data: unknown }> = [{ data: chunk({ role: 'assistant', content: '' }, null) }];
      for (const delta of splitDeltas(text)) events.push({ data: chunk({ content: delta }, null) });
      events.push({ data: chunk({}, finish) });
      // Usage arrives in a last chunk with no choices when the client asked for it.
      if (body.stream_options?.include_usage) events.push({ data: { ...head, object: 'chat.completion.chunk', choices: [], usage } });
      events.push({ data: '[DONE]' });
      // The role chunk comes first, so stalling after k deltas means after k + 1 events.
      return writeSse(res, events, behaviour.stallAfterDeltas === undefined ? undefined : behaviour.stallAfterDeltas + 1);
    }
    sendJson(res, 200, { ...head, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }], usage });
  },
  error(res, behaviour) {
    const type = behaviour.status === 429 ? 'rate_limit_exceeded' : behaviour.status >= 500 ? 'server_error' : 'invalid_request_error';
    sendJson(res, behaviour.status, { error: { message: behaviour.message ?? `fake ${behaviour.status}`, type, code: null, param: null } }, behaviour.headers);
  },
};

export function startFakeOpenAI(): Promise<FakeServer> {
  return startFakeServer(openAiFormat);
}
