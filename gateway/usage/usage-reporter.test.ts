import { createLogger } from '../../core/logger';
import { createUsageReporter, type UsageSink } from './usage-reporter';

const logger = createLogger('test', 'silent');

function recordingSink(failures: number): UsageSink & { batches: Array<Array<{ coordinate: string; count: number; tenant?: string; client?: { name: string; version?: string } }>> } {
  const batches: Array<Array<any>> = [];
  let left = failures;
  return {
    batches,
    async reportUsage(reports) {
      if (left-- > 0) throw new Error('registry unreachable');
      batches.push(reports);
      return { status: 202 };
    },
  };
}

test('counts per coordinate, tenant and client are summed into one batch', async () => {
  const sink = recordingSink(0);
  const reporter = createUsageReporter({ sink, flushIntervalMs: 60_000, logger });
  reporter.record(['Query.books', 'Book.title'], { tenant: 'acme', clientName: 'ios', clientVersion: '4.2' });
  reporter.record(['Query.books'], { tenant: 'acme', clientName: 'ios', clientVersion: '4.2' });
  reporter.record(['Query.books'], { tenant: 'globex' });
  await reporter.close();
  const sorted = sink.batches[0]!.map(({ at: _at, ...r }: any) => r).sort((a: any, b: any) => `${a.coordinate}${a.tenant}`.localeCompare(`${b.coordinate}${b.tenant}`));
  expect(sorted).toEqual([
    { coordinate: 'Book.title', tenant: 'acme', count: 1, client: { name: 'ios', version: '4.2' } },
    { coordinate: 'Query.books', tenant: 'acme', count: 2, client: { name: 'ios', version: '4.2' } },
    { coordinate: 'Query.books', tenant: 'globex', count: 1 },
  ]);
});

test('a failed flush keeps its counts for the next one, merged with what came since', async () => {
  const sink = recordingSink(1);
  const reporter = createUsageReporter({ sink, flushIntervalMs: 60_000, logger });
  reporter.record(['Query.books'], { tenant: 'acme' });
  await reporter.flush();
  expect(sink.batches).toEqual([]);
  reporter.record(['Query.books'], { tenant: 'acme' });
  await reporter.close();
  expect(sink.batches).toHaveLength(1);
  expect(sink.batches[0]).toEqual([expect.objectContaining({ coordinate: 'Query.books', tenant: 'acme', count: 2 })]);
});

test('a sink answering an error status counts as a failure too', async () => {
  let calls = 0;
  const reporter = createUsageReporter({ sink: { reportUsage: async () => ({ status: calls++ === 0 ? 503 : 202 }) }, flushIntervalMs: 60_000, logger });
  reporter.record(['Query.books'], { tenant: 'acme' });
  await reporter.flush();
  await reporter.flush();
  expect(calls).toBe(2);
});
