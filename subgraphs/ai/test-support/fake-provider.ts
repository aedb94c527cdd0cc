/**
 * Shared machinery of the fake LLM servers: a real HTTP server on 127.0.0.1 whose next answers are
 * programmed (reply, HTTP error, garbage, hang) and which counts and keeps every request it got.
 */
import type http from 'node:http';
import { listen, readBody, sendJson } from '../../../core/http';

export type FakeBehaviour =
  /** A well-formed answer; `text` defaults to "fake answer", tokens to 10 in and 5 out. */
  | {
      kind: 'reply';
      text?: string;
      inputTokens?: number;
      outputTokens?: number;
      finishReason?: string;
      /** Streaming only: send this many text deltas, then keep the connection open and send nothing more. */
      stallAfterDeltas?: number;
    }
  /** An HTTP error with the provider's error body. */
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  /** 200 with a body that is not the wire format. */
  | { kind: 'garbage' }
  /** Accept the request and never answer. */
  | { kind: 'hang' };

export interface FakeRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeServer {
  /** Base URL to configure as the provider's `baseUrl` (ends in `/v1`). */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  /** Requests whose connection closed before an answer was sent (aborted by the client). */
  readonly abandoned: number;
  /** Queue behaviours for the next requests; after the queue runs out, the default answers. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  setDefault(behaviour: FakeBehaviour): void;
  close(): Promise<void>;
}

export interface WireFormat {
  /** Whether a request path is the chat endpoint. */
  matches(path: string): boolean;
  reply(res: http.ServerResponse, body: any, behaviour: Extract<FakeBehaviour, { kind: 'reply' }>): void;
  error(res: http.ServerResponse, behaviour: Extract<FakeBehaviour, { kind: 'status' }>): void;
}

export async function startFakeServer(format: WireFormat): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const queue: FakeBehaviour[] = [];
  let fallback: FakeBehaviour = { kind: 'reply' };
  let abandoned = 0;
  const running = await listen(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const raw = await readBody(req, 10 * 1024 * 1024);
    const body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    requests.push({ path, headers: req.headers, body });
    if (!format.matches(path)) return sendJson(res, 404, { error: { message: `no route ${path}` } });
    res.on('close', () => {
      if (!res.writableFinished) abandoned++;
    });
    const behaviour = queue.shift() ?? fallback;
    switch (behaviour.kind) {
      case 'reply':
        return format.reply(res, body, behaviour);
      case 'status':
        return format.error(res, behaviour);
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"this is": not json at all');
        return;
      case 'hang':
        return;
    }
  });
  return {
    baseUrl: `${running.url}/v1`,
    requests,
    get abandoned() {
      return abandoned;
    },
    enqueue: (...behaviours) => queue.push(...behaviours),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    close: () => running.close(),
  };
}

/** Write server-sent events: `data:` lines, with an `event:` line when named. With `stallAfter`, write that many and hang. */
export function writeSse(res: http.ServerResponse, events: Array<{ event?: string; data: unknown }>, stallAfter?: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const sent = stallAfter === undefined ? events : events.slice(0, stallAfter);
  for (const { event, data } of sent) {
    res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  }
  if (stallAfter === undefined) res.end();
}

/** Split a text into a few deltas for streaming. */
export function splitDeltas(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}
