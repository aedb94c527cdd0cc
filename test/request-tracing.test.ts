/**
 * With an OpenTelemetry provider registered, each gateway request is one trace: Charter's request
 * span is the root of @apollo/gateway's plan and fetch spans, and the subgraph receives the
 * trace context (traceparent) of its fetch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../core/logger';
import { registerTracing } from '../gateway/observability';
import { startGateway, type RunningGateway } from '../gateway/server';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { composeSubgraphs } from '../governance/check';
import { graphql, tempDir } from './support/charter-process';
import { SHOP_SDL, startShopSubgraph, type ShopSubgraph } from './support/shop-subgraph';

const exporter = new InMemorySpanExporter();
let shutdown: () => Promise<void>;
let shop: ShopSubgraph;
let gateway: RunningGateway;

beforeAll(async () => {
  const setup = registerTracing({ exporter, immediate: true });
  if (setup.status !== 'enabled') throw new Error(`tracing not enabled: ${JSON.stringify(setup)}`);
  shutdown = setup.shutdown;
  shop = await startShopSubgraph('trace');
  const composed = composeSubgraphs([{ name: 'shop', url: `${shop.url}/graphql`, sdl: SHOP_SDL }]);
  if (!composed.ok) throw new Error('compose');
  const file = path.join(tempDir('trace'), 'supergraph.graphql');
  fs.writeFileSync(file, composed.supergraphSdl);
  gateway = await startGateway({ source: fileSupergraphSource(file), subgraphSecret: 'trace', tracing: true, cache: false, logger: createLogger('test', 'silent') });
  await gateway.ready;
});

afterAll(async () => {
  await gateway?.close();
  await shop?.close();
  await shutdown?.();
});

test('a request is one trace from Charter’s root span down to the subgraph fetch', async () => {
  exporter.reset();
  const { body } = await graphql(`${gateway.url}/graphql`, '{ products { name } }');
  expect(body).toEqual({ data: { products: [{ name: 'Lamp' }, { name: 'Desk' }] } });
  const spans = exporter.getFinishedSpans();
  const root = spans.find((s) => s.name === 'charter.request');
  const fetchSpan = spans.find((s) => s.name === 'gateway.fetch');
  expect(root).toBeDefined();
  expect(root!.attributes['charter.tenant']).toBe('anonymous');
  expect(fetchSpan).toBeDefined();
  expect(fetchSpan!.spanContext().traceId).toBe(root!.spanContext().traceId);
  expect(spans.find((s) => s.name === 'gateway.plan')?.spanContext().traceId).toBe(root!.spanContext().traceId);
});
