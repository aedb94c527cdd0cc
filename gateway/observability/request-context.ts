/**
 * Request ids and per-request loggers. An incoming `x-request-id` is kept when it looks like an id
 * (so a trace can be followed across services), otherwise one is generated: a client must not be
 * able to inject log lines or huge values through it.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Logger } from '../../core/logger';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(req: http.IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
}

/** A child logger whose every line carries the request id (and any other bindings given). */
export function requestLogger(logger: Logger, id: string, bindings: Record<string, unknown> = {}): Logger {
  return logger.child({ reqId: id, ...bindings });
}
