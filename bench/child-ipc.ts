/**
 * What every benchmark child process does: tell the parent it is ready, answer its CPU-time
 * questions (so the gateway's own CPU is measured inside its process, not guessed from outside), and
 * stop cleanly when asked (so `--cpu-prof` gets to write its profile).
 */
export interface ReadyMessage {
  type: 'ready';
  url: string;
  [key: string]: unknown;
}

export interface CpuMessage {
  type: 'cpu';
  /** process.cpuUsage() user + system, microseconds. */
  micros: number;
}

export function reportReady(message: Omit<ReadyMessage, 'type'>): void {
  process.send!({ type: 'ready', ...message });
}

export function reportFailure(err: unknown): void {
  process.send?.({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}

/** Answers `cpu` and `stop` from the parent; exits when the parent goes away. */
export function serveParent(stop: () => Promise<void>): void {
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send!({ type: 'cpu', micros: usage.user + usage.system } satisfies CpuMessage);
    } else if (message.type === 'stop') {
      void stop()
        .catch(() => undefined)
        .finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}
