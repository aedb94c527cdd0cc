import { listen, type RunningServer } from '../../core/http';
import { operationNameLabel } from './labels';
import { createMetrics, type Metrics } from './metrics';

describe('/metrics', () => {
  let metrics: Metrics;
  let server: RunningServer;
  beforeAll(async () => {
    metrics = createMetrics({ knownTenants: ['acme', 'globex'], maxOperations: 3, processMetrics: false });
    server = await listen((req, res) => metrics.handler(req, res));
  });
  afterAll(() => server.close());

  const scrape = async (): Promise<string> => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('shows every series with its labels', async () => {
    metrics.recordRequest({ operation: 'TopProducts', tenant: 'acme', status: 200, durationSec: 0.012 });
    metrics.recordRequest({ operation: 'TopProducts', tenant: 'acme', status: 200, durationSec: 0.02 });
    metrics.recordRequest({ operation: null, tenant: 'globex', status: 429, durationSec: 0.001 });
    metrics.recordError('RATE_LIMITED', 'globex');
    metrics.recordRateLimited('globex');
    metrics.recordCache('hit');
    metrics.recordCache('miss');
    metrics.recordRedisError('rate-limit');
    metrics.onSubgraphEvent({ type: 'request', subgraph: 'reviews', url: 'http://r:1/graphql', outcome: 'timeout', durationMs: 250 });
    metrics.onSubgraphEvent({ type: 'breaker', subgraph: 'reviews', url: 'http://r:1/graphql', state: 'open' });
    const text = await scrape();
    for (const line of [
      'charter_requests_total{operation="TopProducts",tenant="acme",status="200"} 2',
      'charter_requests_total{operation="anonymous",tenant="globex",status="429"} 1',
      'charter_request_duration_seconds_count{operation="TopProducts",tenant="acme"} 2',
      'charter_request_duration_seconds_bucket{le="0.025",operation="TopProducts",tenant="acme"} 2',
      'charter_errors_total{code="RATE_LIMITED",tenant="globex"} 1',
      'charter_rate_limited_total{tenant="globex"} 1',
      'charter_cache_total{result="hit"} 1',
      'charter_cache_total{result="miss"} 1',
      'charter_redis_errors_total{use="rate-limit"} 1',
      'charter_subgraph_requests_total{subgraph="reviews",outcome="timeout"} 1',
      'charter_subgraph_duration_seconds_bucket{le="0.25",subgraph="reviews"} 1',
      'charter_breaker_state{subgraph="reviews",url="http://r:1/graphql"} 2',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });

  it('bounds label values: unknown tenants and operations past the cap are folded, names cleaned', async () => {
    metrics.recordRequest({ operation: 'A', tenant: 'intruder-1', status: 200, durationSec: 0.001 });
    metrics.recordRequest({ operation: `B${'x'.repeat(200)}`, tenant: 'intruder-2', status: 200, durationSec: 0.001 });
    metrics.recordRequest({ operation: 'C"}\n', tenant: 'acme', status: 200, durationSec: 0.001 });
    metrics.recordRequest({ operation: 'D', tenant: 'acme', status: 200, durationSec: 0.001 });
    const text = await scrape();
    expect(text).not.toContain('intruder');
    expect(text).toContain('charter_requests_total{operation="A",tenant="other",status="200"} 1');
    expect(text).toContain('charter_requests_total{operation="other",tenant="other",status="200"} 1'); // B is the 4th name
    const series = text.split('\n').filter((l) => l.startsWith('charter_requests_total{'));
    // TopProducts, anonymous and A fill the cap of 3; B, C and D are "other".
    expect(new Set(series.map((l) => /operation="([^"]*)"/.exec(l)![1]))).toEqual(new Set(['TopProducts', 'anonymous', 'A', 'other']));
    expect(operationNameLabel('C"}\n')).toBe('C___');
    expect(operationNameLabel('x'.repeat(200))).toHaveLength(64);
    expect(operationNameLabel('')).toBe('anonymous');
  });

  it('keeps each registry separate', async () => {
    const other = createMetrics({ processMetrics: false });
    expect(await other.registry.metrics()).not.toContain('TopProducts');
  });
});
