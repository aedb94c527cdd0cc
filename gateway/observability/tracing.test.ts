import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { parse } from 'graphql';
import { createSubgraphDataSourceFactory } from '../resilience';
import { startTestSubgraph, type TestSubgraph } from '../resilience/test-subgraph';
import { registerTracing, withSpan } from './tracing';

const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { hello: String }`;

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let subgraph: TestSubgraph;
  let apollo: ApolloServer;
  let factory: ReturnType<typeof createSubgraphDataSourceFactory>;
  let shutdown: () => Promise<void>;

  beforeAll(async () => {
    const setup = registerTracing({ exporter, immediate: true });
    if (setup.status !== 'enabled') throw new Error(`tracing not enabled: ${JSON.stringify(setup)}`);
    shutdown = setup.shutdown;
    subgraph = await startTestSubgraph(sdl, { Query: { hello: () => 'world' } });
    const composed = composeServices([{ name: 'greetings', url: subgraph.url, typeDefs: parse(sdl) }]);
    if (composed.errors) throw composed.errors[0];
    factory = createSubgraphDataSourceFactory();
    apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl, buildService: factory.buildService }) });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo.stop();
    await factory.close();
    await subgraph.close();
    await shutdown();
  });

  it('nests the gateway\'s plan and fetch spans under the request span and sends traceparent to the subgraph', async () => {
    exporter.reset();
    const result = await withSpan('charter.request', { 'charter.tenant': 'acme' }, () => apollo.executeOperation({ query: '{ hello }' }));
    expect(result.body.kind === 'single' && result.body.singleResult.data).toEqual({ hello: 'world' });
    const spans = exporter.getFinishedSpans();
    const byName = (name: string): ReadableSpan => {
      const span = spans.find((s) => s.name === name);
      if (!span) throw new Error(`no ${name} span among ${spans.map((s) => s.name).join(', ')}`);
      return span;
    };
    const root = byName('charter.request');
    const fetchSpan = byName('gateway.fetch');
    expect(root.attributes['charter.tenant']).toBe('acme');
    for (const name of ['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']) expect(byName(name).spanContext().traceId).toBe(root.spanContext().traceId);
    expect(byName('gateway.request').parentSpanId).toBe(root.spanContext().spanId);
    const traceparent = subgraph.received.at(-1)!.headers.traceparent;
    expect(traceparent).toBe(`00-${root.spanContext().traceId}-${fetchSpan.spanContext().spanId}-01`);
  });
});

describe('registerTracing without an exporter package', () => {
  const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  afterEach(() => {
    if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
  });

  it('names the missing OTLP exporter package instead of failing', () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:4318';
    // The exporter may be in node_modules through another package: make it missing for this test.
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/exporter-trace-otlp-http', () => {
        throw Object.assign(new Error("Cannot find module '@opentelemetry/exporter-trace-otlp-http'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy under the mock
      const { registerTracing: register } = require('./tracing') as { registerTracing: typeof registerTracing };
      expect(register()).toEqual({ status: 'unavailable', missing: ['@opentelemetry/exporter-trace-otlp-http'] });
    });
    jest.dontMock('@opentelemetry/exporter-trace-otlp-http');
  });

  it('stays off when no exporter is configured', () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    expect(registerTracing()).toMatchObject({ status: 'disabled' });
  });
});
