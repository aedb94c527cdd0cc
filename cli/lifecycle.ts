/** Graceful stop: close every server on SIGINT/SIGTERM, then exit. */
export function stopOnSignals(parts: Array<{ close(): Promise<void> }>): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    Promise.allSettled(parts.map((p) => p.close())).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
