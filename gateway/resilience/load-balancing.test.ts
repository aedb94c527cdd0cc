import { freePort } from '../../test/support/ports';
import { createSubgraphDataSourceFactory, type SubgraphEvent } from './index';
import { sendThrough, startTestSubgraph, type TestSubgraph } from './test-subgraph';

const typeDefs = 'type Query { hello: String }';

describe('load balancing over several URLs of one subgraph', () => {
  let replicas: TestSubgraph[];
  beforeEach(async () => {
    replicas = await Promise.all([1, 2, 3].map((n) => startTestSubgraph(typeDefs, { Query: { hello: () => `replica ${n}` } })));
  });
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.close()));
  });

  it('spreads requests round-robin', async () => {
    const factory = createSubgraphDataSourceFactory({ subgraphs: { greetings: { urls: replicas.map((r) => r.url) } } });
    try {
      const source = factory.buildService({ name: 'greetings', url: 'http://127.0.0.1:1/unused' });
      const answers = [];
      for (let i = 0; i < 9; i++) answers.push((await sendThrough(source, '{ hello }')).data?.hello);
      expect(replicas.map((r) => r.received.length)).toEqual([3, 3, 3]);
      expect(answers.slice(0, 3)).toEqual(['replica 1', 'replica 2', 'replica 3']);
    } finally {
      await factory.close();
    }
  });

  it('retries a query on another URL when one is dead, then skips it once its breaker opens', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/graphql`;
    const events: SubgraphEvent[] = [];
    const factory = createSubgraphDataSourceFactory({
      subgraphs: { greetings: { urls: [dead, replicas[0]!.url, replicas[1]!.url] } },
      defaults: { retries: 1, retryBaseDelayMs: 1, breakerFailureThreshold: 2, breakerCooldownMs: 60_000 },
      onEvent: (e) => events.push(e),
    });
    try {
      const source = factory.buildService({ name: 'greetings' });
      for (let i = 0; i < 12; i++) expect((await sendThrough(source, '{ hello }')).errors).toBeUndefined();
      const unreachable = events.filter((e) => e.type === 'request' && e.outcome === 'unreachable');
      expect(unreachable).toHaveLength(2); // then the breaker opened and the dead URL was skipped
      expect(factory.breakerStates().find((s) => s.url === dead)?.state).toBe('open');
      expect(replicas[0]!.received.length + replicas[1]!.received.length).toBe(12);
    } finally {
      await factory.close();
    }
  });

  it('skips a URL whose active health check fails, and takes it back when it recovers', async () => {
    const factory = createSubgraphDataSourceFactory({ subgraphs: { greetings: { urls: [replicas[0]!.url, replicas[1]!.url], healthIntervalMs: 30 } } });
    try {
      const source = factory.buildService({ name: 'greetings' });
      replicas[1]!.behaviour.healthy = false;
      await new Promise((r) => setTimeout(r, 120));
      for (let i = 0; i < 4; i++) await sendThrough(source, '{ hello }');
      expect(replicas.map((r) => r.received.length)).toEqual([4, 0, 0]);
      replicas[1]!.behaviour.healthy = true;
      await new Promise((r) => setTimeout(r, 120));
      for (let i = 0; i < 4; i++) await sendThrough(source, '{ hello }');
      expect(replicas.map((r) => r.received.length)).toEqual([6, 2, 0]);
    } finally {
      await factory.close();
    }
  });
});
