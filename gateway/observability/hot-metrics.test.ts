import { Counter, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics';

const buckets = [0.001, 0.01, 0.1, 1];
const observations: Array<[string, string, number]> = [
  ['TopProducts', 'acme', 0.0005],
  ['TopProducts', 'acme', 0.02],
  ['Top"Products\\n', 'globex', 5],
  ['TopProducts', 'acme', 1],
  ['other', 'initech', Number.NaN],
];

test('the hot counter and histogram render exactly what prom-client renders for the same records', async () => {
  const reference = new Registry();
  const hot = new Registry();
  const refCount = new Counter({ name: 'x_total', help: 'h', labelNames: ['operation', 'tenant'], registers: [reference] });
  const refTime = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['operation', 'tenant'], buckets, registers: [reference] });
  const hotCount = new HotCounter({ name: 'x_total', help: 'h', labelNames: ['operation', 'tenant'], registers: [hot] });
  const hotTime = new HotHistogram({ name: 'x_seconds', help: 'h', labelNames: ['operation', 'tenant'], buckets, registers: [hot] });
  for (const [operation, tenant, seconds] of observations) {
    refCount.labels(operation, tenant).inc();
    hotCount.labels(operation, tenant).inc();
    // prom-client throws on a value that is not a number; the hot path must never throw.
    if (Number.isFinite(seconds)) refTime.labels(operation, tenant).observe(seconds);
    hotTime.labels(operation, tenant).observe(seconds);
  }
  expect(await hot.metrics()).toBe(await reference.metrics());
});

test('reset empties every series', async () => {
  const registry = new Registry();
  const count = new HotCounter({ name: 'y_total', help: 'h', labelNames: ['a'], registers: [registry] });
  count.labels('1').inc(3);
  expect(await registry.metrics()).toContain('y_total{a="1"} 3');
  registry.resetMetrics();
  expect(await registry.metrics()).not.toContain('y_total{');
});
