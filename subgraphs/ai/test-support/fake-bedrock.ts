/**
 * A fake Amazon Bedrock runtime (`POST /model/{modelId}/converse`, the Converse API) with its error
 * shape (`{ message }` and an `x-amzn-errortype` header, e.g. ThrottlingException on 429).
 * Configure `baseUrl` as `bedrockBaseUrl(fake)`.
 */
import type { FakeServer, WireFormat } from './fake-provider';
import { sendJson } from '../../../core/http';
import { startFakeServer } from './fake-provider';

const ERROR_TYPE: Record<number, string> = { 400: 'ValidationException', 403: 'AccessDeniedException', 429: 'ThrottlingException', 500: 'InternalServerException', 503: 'ServiceUnavailableException' };

const bedrockFormat: WireFormat = {
  matches: (path) => /^\/model\/[^/]+\/converse$/.test(path),
  reply(res, _body, behaviour) {
    const input = behaviour.inputTokens ?? 10;
    const output = behaviour.outputTokens ?? 5;
    sendJson(res, 200, {
      output: { message: { role: 'assistant', content: [{ text: behaviour.text ?? 'fake answer' }] } },
      stopReason: behaviour.finishReason ?? 'end_turn',
      usage: { inputTokens: input, outputTokens: output, totalTokens: input + output },
      metrics: { latencyMs: 1 },
    });
  },
  error(res, behaviour) {
    sendJson(res, behaviour.status, { message: behaviour.message ?? `fake ${behaviour.status}` }, { 'x-amzn-errortype': `${ERROR_TYPE[behaviour.status] ?? 'UnknownException'}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...(behaviour.headers ?? {}) });
  },
};

export function startFakeBedrock(): Promise<FakeServer> {
  return startFakeServer(bedrockFormat);
}

export const bedrockBaseUrl = (fake: FakeServer): string => fake.baseUrl.replace(/\/v1$/, '');
