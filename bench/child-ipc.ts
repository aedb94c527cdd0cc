/**
 * What every benchmark child process does: tell the parent it is ready, answer its CPU-time
 * questions (so the gateway's own CPU is measured inside its process, not guessed from outside),
 * collect garbage between measured windows when told, and
 * stop cleanly when asked (so `--cpu-prof` gets to write its profile).
 */
import type { ChildProcess } from 'node:child_process';

export interface ReadyMessage {
  type: 'ready';
  url: string;
  [key: string]: unknown;
}

export interface CpuMessage {
  type: 'cpu';
  /** process.cpuUsage() user + system, microseconds. */
  micros: number;
  /** Resident set size in bytes, read at the same time. */
  rss: number;
}

export function reportReady(message: Omit<ReadyMessage, 'type'>): void {
  process.send!({ type: 'ready', ...message });
}

export function reportFailure(err: unknown): void {
  process.send?.({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}

export interface GcMessage {
  type: 'gc';
  /** Whether a full collection ran (the child was started with `--expose-gc`). */
  collected: boolean;
}

/** Answers `cpu`, `gc` and `stop` from the parent; exits when the parent goes away. */
export function serveParent(stop: () => Promise<void>): void {
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'gc') {
      // A full collection between windows, so garbage one window left is not collected (and billed)
      // in the next one, which may belong to another case.
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) gc();
      process.send!({ type: 'gc', collected: !!gc } satisfies GcMessage);
    } else if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send!({ type: 'cpu', micros: usage.user + usage.system, rss: process.memoryUsage.rss() } satisfies CpuMessage);
    } else if (message.type === 'stop') {
      void stop()
        .catch(() => undefined)
        .finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Asks a bench child for its CPU time and RSS so far (it answers through `serveParent`). */
export function usageOf(child: ChildProcess): Promise<{ micros: number; rss: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child did not report its usage')), 5000);
    const onMessage = (message: CpuMessage | { type: string }) => {
      if (message.type !== 'cpu') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve({ micros: (message as CpuMessage).micros, rss: (message as CpuMessage).rss });
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu' });
  });
}
