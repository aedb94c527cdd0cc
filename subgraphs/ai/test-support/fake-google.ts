/**
 * A fake Google Generative Language API (`POST /v1beta/models/{model}:generateContent`), with its
 * error shape (`{ error: { code, message, status } }`). Configure `baseUrl` as `googleBaseUrl(fake)`.
 */
import type { FakeServer, WireFormat } from './fake-provider';
import { sendJson } from '../../../core/http';
import { startFakeServer } from './fake-provider';

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

const googleFormat: WireFormat = {
  matches: (path) => /^\/v1beta\/models\/[^/]+:generateContent$/.test(path),
  reply(res, _body, behaviour) {
    const input = behaviour.inputTokens ?? 10;
    const output = behaviour.outputTokens ?? 5;
    sendJson(res, 200, {
      candidates: [{ content: { parts: [{ text: behaviour.text ?? 'fake answer' }], role: 'model' }, finishReason: behaviour.finishReason ?? 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: input, candidatesTokenCount: output, totalTokenCount: input + output },
      modelVersion: 'fake',
    });
  },
  error(res, behaviour) {
    sendJson(res, behaviour.status, { error: { code: behaviour.status, message: behaviour.message ?? `fake ${behaviour.status}`, status: STATUS[behaviour.status] ?? 'UNKNOWN' } }, behaviour.headers);
  },
};

export function startFakeGoogle(): Promise<FakeServer> {
  return startFakeServer(googleFormat);
}

export const googleBaseUrl = (fake: FakeServer): string => fake.baseUrl.replace(/\/v1$/, '/v1beta');
