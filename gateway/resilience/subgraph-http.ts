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

/** Response headers as undici hands them to a dispatch handler: alternating raw names and values. */
function headerRecord(raw: Buffer[] | string[] | null): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {};
  if (!raw) return headers;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString().toLowerCase();
    const value = raw[i + 1]!.toString();
    const known = headers[name];
    headers[name] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
  }
  return headers;
}

/**
 * Through undici's dispatch handler rather than `pool.request`: no response stream, no async
 * iterator and no AbortSignal per call (the profile of the gateway-bound benchmark showed those in
 * the per-fetch cost). One timer per call is the deadline; an oversized answer is cut off while
 * it arrives.
 */
export function postToSubgraph(pool: Pool | Dispatcher, path: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<HttpOutcome> {
  return new Promise<HttpOutcome>((resolve) => {
    let settled = false;
    let abort: (() => void) | null = null;
    let status = 0;
    let responseHeaders: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const stop = (outcome: HttpOutcome) => {
      settle(outcome);
      abort?.();
    };
    const timer = setTimeout(() => stop({ kind: 'timeout' }), options.timeoutMs);
    try {
      pool.dispatch(
        { path, method: 'POST', headers, body },
        {
          onConnect(abortRequest) {
            abort = abortRequest;
            // Timed out while queued for a connection: drop it now.
            if (settled) abortRequest();
          },
          onHeaders(statusCode, rawHeaders) {
            if (settled) return false;
            if (statusCode < 200) return true; // 1xx: the real answer follows
            status = statusCode;
            responseHeaders = headerRecord(rawHeaders);
            if (Number(responseHeaders['content-length'] ?? 0) > options.maxResponseBytes) {
              stop({ kind: 'too-large' });
              return false;
            }
            return true;
          },
          onData(chunk) {
            if (settled) return false;
            size += chunk.length;
            if (size > options.maxResponseBytes) {
              // Stop reading at once: a runaway subgraph must not fill the gateway's memory.
              stop({ kind: 'too-large' });
              return false;
            }
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            settle({ kind: 'response', status, headers: responseHeaders, body: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8') });
          },
          onError(err) {
            settle({ kind: 'unreachable', message: err.message });
          },
        },
      );
    } catch (err) {
      settle({ kind: 'unreachable', message: err instanceof Error ? err.message : String(err) });
    }
  });
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
