/** Structured JSON logs (pino). `LOG_LEVEL` sets the level; tests default to `silent`. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info')): Logger {
  return pino({ name, level, redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'apiKey', 'key'], censor: '[redacted]' } });
}
