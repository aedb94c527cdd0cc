/**
 * A circuit breaker for one upstream URL. Closed: requests flow, outcomes are counted. Open (after
 * `failureThreshold` consecutive failures, or a failure ratio of at least `failureRatio` over the
 * last `windowSize` outcomes): requests are refused at once, sparing a struggling upstream and the
 * caller's latency. After `cooldownMs` one probe is let through (half-open): success closes the
 * breaker, failure opens it for another cooldown.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker; default 5. */
  failureThreshold?: number;
  /** Failure ratio over the window that opens the breaker (0..1); default: not used. */
  failureRatio?: number;
  /** Outcomes remembered for the ratio; default 20. The ratio is judged only on a full window. */
  windowSize?: number;
  /** How long the breaker stays open before a probe; default 10 s. */
  cooldownMs?: number;
  onStateChange?: (state: BreakerState) => void;
  /** Clock, for tests. */
  now?: () => number;
}

export interface CircuitBreaker {
  readonly state: BreakerState;
  /** Whether a request could go now (no state change): used to pick among URLs. */
  isAvailable(): boolean;
  /** Claim the right to send one request; in half-open only one probe at a time gets it. */
  tryAcquire(): boolean;
  recordSuccess(): void;
  recordFailure(): void;
}

export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const windowSize = options.windowSize ?? 20;
  const cooldownMs = options.cooldownMs ?? 10_000;
  const now = options.now ?? Date.now;
  let state: BreakerState = 'closed';
  let consecutive = 0;
  let openedAt = 0;
  let probing = false;
  const window: boolean[] = []; // true = failure

  function moveTo(next: BreakerState): void {
    if (next === state) return;
    state = next;
    if (next === 'open') openedAt = now();
    if (next !== 'half-open') probing = false;
    if (next === 'closed') {
      consecutive = 0;
      window.length = 0;
    }
    options.onStateChange?.(next);
  }

  function remember(failed: boolean): void {
    window.push(failed);
    if (window.length > windowSize) window.shift();
  }

  function ratioExceeded(): boolean {
    if (options.failureRatio === undefined || window.length < windowSize) return false;
    return window.filter(Boolean).length / window.length >= options.failureRatio;
  }

  const cooledDown = (): boolean => now() - openedAt >= cooldownMs;

  return {
    get state() {
      return state;
    },
    isAvailable() {
      if (state === 'closed') return true;
      if (state === 'open') return cooledDown();
      return !probing;
    },
    tryAcquire() {
      if (state === 'closed') return true;
      if (state === 'open') {
        if (!cooledDown()) return false;
        moveTo('half-open');
      }
      if (probing) return false;
      probing = true;
      return true;
    },
    recordSuccess() {
      if (state === 'half-open') return moveTo('closed');
      consecutive = 0;
      remember(false);
    },
    recordFailure() {
      if (state === 'half-open') return moveTo('open');
      if (state === 'open') return;
      consecutive++;
      remember(true);
      if (consecutive >= threshold || ratioExceeded()) moveTo('open');
    },
  };
}
