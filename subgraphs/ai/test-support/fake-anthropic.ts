/**
 * A fake Anthropic Messages server (`POST /v1/messages`), JSON and streaming events. When the
 * client forces a tool (the AI SDK's JSON mode), the programmed text is parsed and answered as
 * that tool's input.
 */
import type { FakeServer, WireFormat } from './fake-provider';
import { sendJson } from '../../../core/http';
import { splitDeltas, startFakeServer, writeSse } from './fake-provider';

const anthropicFormat: WireFormat = {
  matches: (path) => path === '/v1/messages',
  reply(res, body, behaviour) {
    const text = behaviour.text ?? 'fake answer';
    const inputTokens = behaviour.inputTokens ?? 10;
    const outputTokens = behaviour.outputTokens ?? 5;
    const stopReason = behaviour.finishReason ?? 'end_turn';
    const forcedTool = body?.tool_choice?.type === 'tool' ? (body.tool_choice.name as string) : undefined;
    const message = { id: 'msg_fake', type: 'message', role: 'assistant', model: body?.model ?? 'unknown', stop_sequence: null };
    if (body?.stream) {
      const events: Array<{ event: string; data: unknown }> = [
        { event: 'message_start', data: { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: inputTokens, output_tokens: 1 } } } },
        { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      ];
      for (const delta of splitDeltas(text)) events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: delta } } });
      events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } });
      events.push({ event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } } });
      events.push({ event: 'message_stop', data: { type: 'message_stop' } });
      // message_start and content_block_start come first.
      return writeSse(res, events, behaviour.stallAfterDeltas === undefined ? undefined : behaviour.stallAfterDeltas + 2);
    }
    const content = forcedTool ? [{ type: 'tool_use', id: 'toolu_fake', name: forcedTool, input: JSON.parse(text) }] : [{ type: 'text', text }];
    sendJson(res, 200, { ...message, content, stop_reason: forcedTool ? 'tool_use' : stopReason, usage: { input_tokens: inputTokens, output_tokens: outputTokens } });
  },
  error(res, behaviour) {
    const type = behaviour.status === 429 ? 'rate_limit_error' : behaviour.status === 529 ? 'overloaded_error' : behaviour.status >= 500 ? 'api_error' : 'invalid_request_error';
    sendJson(res, behaviour.status, { type: 'error', error: { type, message: behaviour.message ?? `fake ${behaviour.status}` } }, behaviour.headers);
  },
};

export function startFakeAnthropic(): Promise<FakeServer> {
  return startFakeServer(anthropicFormat);
}
