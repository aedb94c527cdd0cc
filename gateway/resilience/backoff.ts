/**
 * Delay before retry number `attempt` (1 for the first retry): "full jitter", a random wait between
 * 0 and min(maxMs, baseMs·2^(attempt-1)). The randomness spreads the retries of many gateways so they
 * do not hit a recovering subgraph in synchronized waves.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
