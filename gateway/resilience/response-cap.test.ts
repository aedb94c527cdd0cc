import { createSubgraphDataSourceFactory, type SubgraphEvent } from './index';
import { sendThrough, startTestSubgraph } from './test-subgraph';

describe('response size cap', () => {
  it.each([
    ['with a content-length', false],
    ['streamed without a content-length', true],
  ])('refuses a response past maxResponseBytes (%s) and keeps serving small ones', async (_, chunked) => {
    const subgraph = await startTestSubgraph('type Query { items(n: Int!): [String!]! }', { Query: { items: (_s: unknown, args: unknown) => Array.from({ length: (args as { n: number }).n }, (_v, i) => `item-${i}`) } });
    subgraph.behaviour.chunked = chunked;
    const events: SubgraphEvent[] = [];
    const factory = createSubgraphDataSourceFactory({ defaults: { maxResponseBytes: 10_000, retries: 2 }, onEvent: (e) => events.push(e) });
    try {
      const source = factory.buildService({ name: 'lists', url: subgraph.url });
      const big = await sendThrough(source, '{ items(n: 5000) }');
      expect(big).toEqual({ errors: [{ message: 'Subgraph "lists" sent a response larger than allowed', extensions: { code: 'UPSTREAM_UNAVAILABLE', subgraph: 'lists' } }] });
      expect(subgraph.received).toHaveLength(1); // not retried: the answer would be as large again
      expect(events).toEqual([expect.objectContaining({ type: 'request', outcome: 'too-large' })]);
      const small = await sendThrough(source, '{ items(n: 2) }');
      expect(small).toEqual({ data: { items: ['item-0', 'item-1'] } });
      expect(factory.breakerStates()[0]!.state).toBe('closed');
    } finally {
      await factory.close();
      await subgraph.close();
    }
  });
});
