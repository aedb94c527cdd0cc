/**
 * Test helpers for the AI HTTP surface: a principal read from a test header (standing in for the
 * gateway's signed header), the exact requests the official `openai` npm client sends, and an SSE reader.
 */
import type http from 'node:http';
import type { Principal } from '../subgraph';

/** `x-test-tenant: acme` (and optional `x-test-key`) is the caller; no header is no caller. */
export function principalFromTestHeader(req: http.IncomingMessage): Principal | null {
  const tenant = req.headers['x-test-tenant'];
  if (typeof tenant !== 'string' || !tenant) return null;
  const keyId = req.headers['x-test-key'];
  return { tenant, subject: `user@${tenant}`, keyId: typeof keyId === 'string' ? keyId : undefined, roles: [], scopes: [] };
}

/** The headers `openai` v4/v5 for Node sends with every request (values as it sets them). */
export function openAiSdkHeaders(tenant?: string, stream = false): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    authorization: 'Bearer sk-charter-test',
    'user-agent': 'OpenAI/JS 5.12.2',
    'x-stainless-lang': 'js',
    'x-stainless-package-version': '5.12.2',
    'x-stainless-os': 'Linux',
    'x-stainless-arch': 'x64',
    'x-stainless-runtime': 'node',
    'x-stainless-runtime-version': 'v20.20.2',
    'x-stainless-retry-count': '0',
    'x-stainless-timeout': '600',
    ...(tenant ? { 'x-test-tenant': tenant } : {}),
  };
}

/** Read a `text/event-stream` body into its `data:` payloads, in order. */
export async function readSse(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const data = block.split('\n').filter((line) => line.startsWith('data: '));
      if (data.length !== 1) throw new Error(`not one data line in SSE block: ${JSON.stringify(block)}`);
      return data[0]!.slice('data: '.length);
    });
}
