export { createLabelFolder, operationNameLabel } from './labels';
export { createMetrics, type BreakerStateName, type CacheResult, type Metrics, type MetricsOptions } from './metrics';
export { REQUEST_ID_HEADER, requestId, requestLogger } from './request-context';
export { AsyncLocalContextManager, registerTracing, withSpan, type TracingOptions, type TracingSetup } from './tracing';
