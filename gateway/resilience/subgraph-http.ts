/**
 * One HTTP POST to a subgraph over a keep-alive undici pool, with a deadline covering connect,
 * headers and body, and a cap on the bytes read. Outcomes are values: the caller decides what a
 * timeout or an unreachable host means for retries and the breaker.
 */
import type { Dispatcher, Pool } from 'undici';

export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: string }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'too-large' };

export interface PostOptions {
  timeoutMs: number;
  maxResponseBytes: number;
}

/** Drop a body unread; undici reports the abort as an 'error' event, which is expected here. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

export async function postToSubgraph(pool: Pool | Dispatcher, path: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<HttpOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await pool.request({ path, method: 'POST', headers, body, signal: controller.signal });
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > options.maxResponseBytes) {
      discard(response.body);
      return { kind: 'too-large' };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxResponseBytes) {
        // Stop reading at once: a runaway subgraph must not fill the gateway's memory.
        discard(response.body);
        return { kind: 'too-large' };
      }
      chunks.push(chunk as Buffer);
    }
    return { kind: 'response', status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') };
  } catch (err) {
    if (timedOut) return { kind: 'timeout' };
    return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** `GET path` answered with 2xx within `timeoutMs`: the active health check. */
export async function probeHealth(pool: Pool | Dispatcher, path: string, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await pool.request({ path, method: 'GET', signal: controller.signal });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
