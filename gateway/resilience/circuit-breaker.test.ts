import { createCircuitBreaker, type BreakerState } from './circuit-breaker';
import { createSubgraphDataSourceFactory, type SubgraphEvent } from './index';
import { sendThrough, startTestSubgraph } from './test-subgraph';

describe('circuit breaker', () => {
  function breakerWithClock(options: Parameters<typeof createCircuitBreaker>[0] = {}): { breaker: ReturnType<typeof createCircuitBreaker>; clock: { t: number }; states: BreakerState[] } {
    const clock = { t: 0 };
    const states: BreakerState[] = [];
    const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, ...options, now: () => clock.t, onStateChange: (s) => states.push(s) });
    return { breaker, clock, states };
  }

  it('opens after N consecutive failures and refuses until the cooldown has passed', () => {
    const { breaker, clock, states } = breakerWithClock();
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess(); // resets the run
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    clock.t = 999;
    expect(breaker.isAvailable()).toBe(false);
    clock.t = 1000;
    expect(breaker.isAvailable()).toBe(true);
    expect(states).toEqual(['open']);
  });

  it('lets one probe through when half-open; success closes, failure reopens for another cooldown', () => {
    const { breaker, clock, states } = breakerWithClock({ failureThreshold: 1 });
    breaker.recordFailure();
    clock.t = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(false); // only one probe at a time
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    clock.t = 1500;
    expect(breaker.tryAcquire()).toBe(false);
    clock.t = 2000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('opens on the failure ratio over a full window, even without a long run of failures', () => {
    const { breaker } = breakerWithClock({ failureThreshold: 100, failureRatio: 0.5, windowSize: 10 });
    for (let i = 0; i < 4; i++) {
      breaker.recordFailure();
      breaker.recordSuccess();
    }
    breaker.recordFailure();
    expect(breaker.state).toBe('closed'); // 5 of 9: window not full yet
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed'); // 5 of 10 judged only on the next failure
    breaker.recordFailure();
    expect(breaker.state).toBe('open'); // 6 of the last 10
  });
});

describe('circuit breaker on a real subgraph', () => {
  it('opens after failures, fails fast without calling the subgraph, and recovers through a probe', async () => {
    const subgraph = await startTestSubgraph('type Query { hello: String }', { Query: { hello: () => 'world' } });
    const events: SubgraphEvent[] = [];
    const factory = createSubgraphDataSourceFactory({
      defaults: { retries: 0, breakerFailureThreshold: 3, breakerCooldownMs: 200 },
      onEvent: (e) => events.push(e),
    });
    try {
      const source = factory.buildService({ name: 'greetings', url: subgraph.url });
      subgraph.behaviour.failWithStatus = 500;
      for (let i = 0; i < 3; i++) await sendThrough(source, '{ hello }');
      expect(factory.breakerStates()).toEqual([{ subgraph: 'greetings', url: subgraph.url, state: 'open', healthy: true }]);

      subgraph.behaviour.failWithStatus = 0;
      const fastFail = await sendThrough(source, '{ hello }');
      expect(fastFail.errors).toEqual([{ message: 'Subgraph "greetings" is unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE', subgraph: 'greetings' } }]);
      expect(subgraph.received).toHaveLength(3); // refused without a call

      await new Promise((r) => setTimeout(r, 220));
      expect(await sendThrough(source, '{ hello }')).toEqual({ data: { hello: 'world' } });
      expect(factory.breakerStates()[0]!.state).toBe('closed');
      expect(events.filter((e) => e.type === 'breaker').map((e) => e.type === 'breaker' && e.state)).toEqual(['open', 'half-open', 'closed']);
      // A supergraph update rebuilds the data source; the breaker (per URL) is the same one.
      expect(factory.buildService({ name: 'greetings', url: subgraph.url })).not.toBe(source);
      expect(factory.breakerStates()).toHaveLength(1);
    } finally {
      await factory.close();
      await subgraph.close();
    }
  });
});
