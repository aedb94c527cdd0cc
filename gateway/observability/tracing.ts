/**
 * OpenTelemetry tracing. `@apollo/gateway` already emits spans (gateway.request, gateway.plan,
 * gateway.fetch, ...) through `@opentelemetry/api`; they go nowhere until a tracer provider is
 * registered. `registerTracing` registers one when `@opentelemetry/sdk-trace-base` is installed,
 * with a context manager on AsyncLocalStorage so spans nest across awaits (request → plan → fetch)
 * and the W3C propagator so subgraph calls carry `traceparent`.
 * The SDK is loaded with `require` at run time: without it the gateway runs untraced and the
 * result says which packages are missing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type ContextManager } from '@opentelemetry/api';
// Types only (erased at build): the SDK itself is loaded at run time, if it is installed.
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';

const loadOptional = createRequire(__filename);

/** The part of an SDK span exporter this module needs (e.g. `InMemorySpanExporter`, `OTLPTraceExporter`). */
export interface SpanExporterLike {
  export(spans: unknown[], resultCallback: (result: { code: number }) => void): void;
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName?: string;
  /** Where spans go. Default: OTLP over HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. */
  exporter?: SpanExporterLike;
  /** Export each span at once (tests) instead of in batches. */
  immediate?: boolean;
}

export type TracingSetup = { status: 'enabled'; shutdown(): Promise<void> } | { status: 'disabled'; reason: string } | { status: 'unavailable'; missing: string[] };

/** Keeps the active OpenTelemetry context in AsyncLocalStorage, so it follows promises and callbacks. */
export class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (thunk: () => unknown): unknown => this.storage.run(ctx, thunk);
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function (this: unknown, ...args: unknown[]) {
      return run(() => fn.apply(this, args));
    } as unknown as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

function load<T>(name: string, missing: string[]): T | null {
  try {
    return loadOptional(name) as T;
  } catch {
    missing.push(name);
    return null;
  }
}

export function registerTracing(options: TracingOptions = {}): TracingSetup {
  const missing: string[] = [];
  const sdk = load<typeof SdkTraceBase>('@opentelemetry/sdk-trace-base', missing);
  let exporter = options.exporter;
  if (!exporter && process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const otlp = load<{ OTLPTraceExporter: new () => SpanExporterLike }>('@opentelemetry/exporter-trace-otlp-http', missing);
    if (otlp) exporter = new otlp.OTLPTraceExporter();
  }
  if (!sdk || missing.length > 0) return { status: 'unavailable', missing };
  if (!exporter) return { status: 'disabled', reason: 'no exporter: set OTEL_EXPORTER_OTLP_ENDPOINT or pass one' };

  const resources = load<typeof Resources>('@opentelemetry/resources', []);
  const spanExporter = exporter as unknown as SdkTraceBase.SpanExporter;
  const processor = options.immediate ? new sdk.SimpleSpanProcessor(spanExporter) : new sdk.BatchSpanProcessor(spanExporter);
  const provider = new sdk.BasicTracerProvider({
    spanProcessors: [processor],
    ...(resources ? { resource: new resources.Resource({ 'service.name': options.serviceName ?? 'charter-gateway' }) } : {}),
  });
  // Registers the global provider, our context manager and the default W3C trace-context propagator.
  provider.register({ contextManager: new AsyncLocalContextManager() });
  return { status: 'enabled', shutdown: () => provider.shutdown() };
}

/**
 * Run `fn` in a span that becomes the parent of everything inside it (Apollo's gateway spans, the
 * subgraph fetches). With no provider registered it costs next to nothing.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return trace.getTracer('charter').startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}
